#include "ical/windows_zones.h"

#include "core/date_time.h"
#include "ical/tz_aliases.h"
#include "ical/windows_zone_table.h"

namespace calsync::ical {

std::optional<std::string> windowsToIana(const std::string& windows_id, const std::string& territory) {
  const std::vector<std::string>* zones = WindowsZoneTable::embedded().zonesFor(windows_id, territory);
  if (!zones) return std::nullopt;
  // CLDR keeps old names (Asia/Calcutta); a system whose tzdata dropped the old links only
  // knows the new one. When neither is known the CLDR name is still the right answer.
  return knownZoneName(zones->front(), [](const std::string& name) { return isIanaZone(name); });
}

std::optional<std::string> ianaToWindows(const std::string& iana) {
  const WindowsZoneTable& table = WindowsZoneTable::embedded();
  if (auto found = table.windowsFor(iana)) return found;
  for (const auto& alias : ianaAliases(iana)) {
    if (auto found = table.windowsFor(alias)) return found;
  }
  return std::nullopt;
}

}  // namespace calsync::ical
