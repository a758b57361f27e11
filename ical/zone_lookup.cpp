#include "ical/zone_lookup.h"

#include "ical/zone_resolver.h"

namespace calsync::ical {
namespace {

const ZoneResolver& databaseOnly() {
  static const ZoneResolver resolver(std::vector<std::string>{});
  return resolver;
}

}  // namespace

std::optional<DateTime> wallTimeAt(std::int64_t instant, const std::string& tzid) {
  auto local = databaseOnly().fromUtc(instant, tzid == "UTC" ? "" : tzid);
  if (!local) return std::nullopt;
  local->tzid = tzid.empty() ? "UTC" : tzid;
  local->utc = instant;
  return local;
}

std::optional<std::int64_t> instantOf(const DateTime& value) { return databaseOnly().toUtc(value); }

std::optional<std::string> ianaZoneFor(const std::string& tzid) { return ianaNameFor(tzid); }

}  // namespace calsync::ical
