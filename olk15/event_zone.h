// Which zone an event's times are written in, from its time-zone record (olk15-format.md
// §3.3.3): the IANA name in CFtz when the system knows it, else the Windows zone its name
// stands for, else a VTIMEZONE built from the record's own transition rules, else none
// (the times are then written in UTC, which loses nothing but the zone's name).
#pragma once

#include <optional>
#include <string>

#include "olk15/nested_records.h"

namespace calsync::olk15 {

struct EventZone {
  std::string tzid;        // empty: write times in UTC
  bool iana = false;       // tzid names a zone of the system's database
  std::string vtimezone;   // the VTIMEZONE text when it was built from the record's rules
};

EventZone chooseZone(const std::optional<OlkTimeZone>& zone);

// A VTIMEZONE for `zone` labelled `tzid`, from its standard and daylight rules. Nullopt when
// the rules are missing or malformed (offsets not +-HHMM, RRULEs with foreign characters).
std::optional<std::string> vtimezoneFromRules(const OlkTimeZone& zone, const std::string& tzid);

}  // namespace calsync::olk15
