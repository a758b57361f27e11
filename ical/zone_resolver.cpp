#include "ical/zone_resolver.h"

#include <date/tz.h>

#include <mutex>

#include "ical/ical_time.h"
#include "ical/windows_zones.h"

namespace calsync::ical {

struct SharedZone {
  ZonePtr zone;
  std::string tzid;
  // libical extends a zone's table of changes lazily, during conversions.
  std::mutex mutex;
};

namespace {

// Building an icaltimezone walks its rules from their first year on, which is slow (libical
// steps RRULEs through ICU), and every object of a calendar carries the same few VTIMEZONEs.
// So each distinct text is built once and shared.
class ZoneCache {
 public:
  std::shared_ptr<SharedZone> get(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = zones_.find(text);
    if (it != zones_.end()) return it->second;
    std::shared_ptr<SharedZone> built = build(text);
    // Bounded: a feed with ever-changing zone texts cannot grow the cache without limit.
    if (zones_.size() >= kMaxEntries) zones_.clear();
    zones_.emplace(text, built);
    return built;
  }

 private:
  static constexpr std::size_t kMaxEntries = 256;

  static std::shared_ptr<SharedZone> build(const std::string& text) {
    icalcomponent* parsed = icalparser_parse_string(text.c_str());
    if (!parsed) return nullptr;
    if (icalcomponent_isa(parsed) != ICAL_VTIMEZONE_COMPONENT) {
      icalcomponent_free(parsed);
      return nullptr;
    }
    if (!onlyYearlyRules(parsed)) {
      icalcomponent_free(parsed);
      return nullptr;
    }
    auto shared = std::make_shared<SharedZone>();
    shared->zone.reset(icaltimezone_new());
    // On success the zone owns the component; on failure we still do.
    if (!icaltimezone_set_component(shared->zone.get(), parsed)) {
      icalcomponent_free(parsed);
      return nullptr;
    }
    const char* tzid = icaltimezone_get_tzid(shared->zone.get());
    if (!tzid || !*tzid) return nullptr;
    shared->tzid = tzid;
    return shared;
  }

  // libical expands a zone's rules from their DTSTART to the year asked for, one occurrence at
  // a time: an hourly rule starting in 1601 takes minutes (found by fuzzing). Real zones change
  // at most twice a year, so a VTIMEZONE with any other rule is refused as unusable.
  static bool onlyYearlyRules(icalcomponent* vtimezone) {
    for (icalcomponent* part = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT); part;
         part = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
      for (icalproperty* p = icalcomponent_get_first_property(part, ICAL_RRULE_PROPERTY); p;
           p = icalcomponent_get_next_property(part, ICAL_RRULE_PROPERTY)) {
        if (icalproperty_get_rrule(p).freq != ICAL_YEARLY_RECURRENCE) return false;
      }
    }
    return true;
  }

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<SharedZone>> zones_;
};

ZoneCache& zoneCache() {
  static ZoneCache cache;
  return cache;
}

}  // namespace

ZoneResolver::ZoneResolver(const std::vector<std::string>& vtimezones) {
  for (const auto& text : vtimezones) add(text);
}

ZoneResolver::ZoneResolver(icalcomponent* vcalendar) {
  for (icalcomponent* c = icalcomponent_get_first_component(vcalendar, ICAL_VTIMEZONE_COMPONENT); c;
       c = icalcomponent_get_next_component(vcalendar, ICAL_VTIMEZONE_COMPONENT)) {
    add(takeString(icalcomponent_as_ical_string_r(c)));
  }
}

ZoneResolver::~ZoneResolver() = default;

void ZoneResolver::add(const std::string& vtimezone_text) {
  if (std::shared_ptr<SharedZone> zone = zoneCache().get(vtimezone_text)) zones_.emplace(zone->tzid, std::move(zone));
}

std::optional<std::int64_t> ZoneResolver::toUtc(const DateTime& value) const {
  if (!value.is_date && !value.tzid.empty() && !value.isUtc()) {
    auto it = zones_.find(value.tzid);
    if (it != zones_.end()) {
      const icaltimetype wall = toIcalTime(value);
      std::lock_guard<std::mutex> lock(it->second->mutex);
      return static_cast<std::int64_t>(icaltime_as_timet_with_zone(wall, it->second->zone.get()));
    }
  }
  if (auto instant = resolveWithIana(value)) return instant;
  if (auto iana = ianaNameFor(value.tzid)) {
    DateTime in_iana = value;
    in_iana.tzid = *iana;
    return resolveWithIana(in_iana);
  }
  return std::nullopt;
}

std::optional<DateTime> ZoneResolver::fromUtc(std::int64_t instant, const std::string& tzid) const {
  if (tzid.empty() || tzid == "UTC") return epochToUtc(instant);
  auto it = zones_.find(tzid);
  if (it != zones_.end()) {
    std::lock_guard<std::mutex> lock(it->second->mutex);
    const icaltimetype local = icaltime_from_timet_with_zone(static_cast<time_t>(instant), 0, it->second->zone.get());
    return fromIcalTime(local, tzid);
  }
  const std::string iana = isIanaZone(tzid) ? tzid : ianaNameFor(tzid).value_or("");
  if (iana.empty()) return std::nullopt;
  try {
    const date::zoned_seconds zoned{iana, date::sys_seconds{std::chrono::seconds{instant}}};
    DateTime local = epochToUtc(zoned.get_local_time().time_since_epoch().count());
    local.tzid = tzid;
    local.utc.reset();
    return local;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::string> ianaNameFor(const std::string& tzid) {
  if (tzid.empty()) return std::nullopt;
  if (isIanaZone(tzid)) return tzid;
  if (auto iana = windowsToIana(tzid); iana && isIanaZone(*iana)) return iana;
  // Prefixed ids: try ever shorter tails that still look like Area/Location.
  for (std::size_t slash = tzid.find('/'); slash != std::string::npos; slash = tzid.find('/', slash + 1)) {
    const std::string tail = tzid.substr(slash + 1);
    if (tail.find('/') != std::string::npos && isIanaZone(tail)) return tail;
  }
  return std::nullopt;
}

std::optional<std::string> vtimezoneFromIana(const std::string& iana, const std::string& tzid) {
  // libical owns its builtin zones; we only copy the component out.
  icaltimezone* builtin = icaltimezone_get_builtin_timezone(iana.c_str());
  if (!builtin) return std::nullopt;
  icalcomponent* source = icaltimezone_get_component(builtin);
  if (!source) return std::nullopt;
  ComponentPtr copy(icalcomponent_new_clone(source));
  icalproperty* id = icalcomponent_get_first_property(copy.get(), ICAL_TZID_PROPERTY);
  if (!id) return std::nullopt;
  icalproperty_set_tzid(id, tzid.c_str());
  return takeString(icalcomponent_as_ical_string_r(copy.get()));
}

std::string vtimezoneTzid(const std::string& vtimezone_text) {
  ComponentPtr parsed(icalparser_parse_string(vtimezone_text.c_str()));
  if (!parsed || icalcomponent_isa(parsed.get()) != ICAL_VTIMEZONE_COMPONENT) return {};
  icalproperty* id = icalcomponent_get_first_property(parsed.get(), ICAL_TZID_PROPERTY);
  const char* text = id ? icalproperty_get_tzid(id) : nullptr;
  return text ? text : "";
}

}  // namespace calsync::ical
