// Internal to calsync_ical: turns the model's zone-tagged wall times into instants and back,
// using an object's own VTIMEZONEs first, then the IANA database, then Windows zone names.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date_time.h"
#include "ical/libical_ptr.h"

namespace calsync::ical {

// A zone built from one VTIMEZONE text, shared by every resolver that meets the same text.
struct SharedZone;

class ZoneResolver {
 public:
  // `vtimezones`: VTIMEZONE blocks as iCalendar text; unusable ones are ignored.
  explicit ZoneResolver(const std::vector<std::string>& vtimezones);
  // Uses the VTIMEZONE components of a parsed calendar.
  explicit ZoneResolver(icalcomponent* vcalendar);
  ~ZoneResolver();

  // The instant of `value`; floating times and dates are read as UTC. Nullopt when the zone
  // is not known anywhere.
  std::optional<std::int64_t> toUtc(const DateTime& value) const;
  // The wall time in zone `tzid` at `instant` (tzid "" or "UTC": UTC itself).
  std::optional<DateTime> fromUtc(std::int64_t instant, const std::string& tzid) const;
  bool hasVtimezone(const std::string& tzid) const { return zones_.count(tzid) != 0; }

 private:
  void add(const std::string& vtimezone_text);
  std::map<std::string, std::shared_ptr<SharedZone>> zones_;  // by TZID
};

// The IANA zone a TZID stands for: itself, the zone of a Windows id, or the IANA tail of a
// prefixed id such as "/mozilla.org/20050126_1/America/New_York".
std::optional<std::string> ianaNameFor(const std::string& tzid);

// A VTIMEZONE block for IANA zone `iana`, labelled with TZID `tzid`, from libical's zone data.
std::optional<std::string> vtimezoneFromIana(const std::string& iana, const std::string& tzid);

// The TZID a VTIMEZONE block declares; empty when it is not a usable VTIMEZONE.
std::string vtimezoneTzid(const std::string& vtimezone_text);

}  // namespace calsync::ical
