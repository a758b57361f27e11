// Time zones as EWS names them (TimeZoneDefinition with a Windows id, sometimes an IANA id,
// sometimes a custom definition that only its periods and transitions describe) and as the
// model names them (IANA ids, "UTC", or the TZID of a VTIMEZONE the object carries).
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/date_time.h"

namespace calsync::ews {

// The yearly rules of a custom zone: a standard offset, and optionally a daylight offset
// with the two yearly switches (Windows style: month, n-th weekday, local time of day).
struct ZoneRules {
  struct Switch {
    int month = 0;          // 1..12
    int occurrence = 1;     // 1..4, -1 = last
    int weekday = 0;        // 0 = Sunday
    int time_of_day = 0;    // seconds after local midnight, in the time that is being left
  };
  std::int64_t standard_offset = 0;   // seconds east of UTC
  std::int64_t daylight_offset = 0;
  std::optional<Switch> to_daylight;  // both set, or neither
  std::optional<Switch> to_standard;

  std::int64_t offsetAt(std::int64_t instant) const;
  // VTIMEZONE text (CRLF lines) for these rules under `tzid`.
  std::string vtimezone(const std::string& tzid) const;
};

class Zone {
 public:
  static std::shared_ptr<const Zone> utc();
  // An IANA zone the system database knows (nullptr otherwise).
  static std::shared_ptr<const Zone> iana(const std::string& name);
  static std::shared_ptr<const Zone> custom(std::string label, ZoneRules rules);

  // "UTC", an IANA id, or the label of a custom zone.
  const std::string& tzid() const { return tzid_; }
  bool isCustom() const { return rules_.has_value(); }
  // The VTIMEZONE a custom zone needs in the object; empty otherwise.
  std::string vtimezone() const { return rules_ ? rules_->vtimezone(tzid_) : std::string(); }
  // The wall-clock value of `instant` in this zone (utc filled in).
  DateTime wallTime(std::int64_t instant) const;
  // The instant of a wall-clock value read in this zone (the earlier one in a fold, the
  // time shifted forward in a gap).
  std::int64_t toUtc(int year, int month, int day, int hour, int minute, int second) const;

 private:
  std::int64_t offsetAt(std::int64_t instant) const;
  std::string tzid_;
  std::string iana_;
  std::optional<ZoneRules> rules_;
};

// The zone a <t:TimeZoneDefinition> (or StartTimeZone/EndTimeZone element of that type)
// stands for: a Windows id mapped through CLDR, an IANA id as is, else the definition's own
// periods and transitions. nullptr when none of these can be read.
std::shared_ptr<const Zone> zoneFromDefinition(const pugi::xml_node& definition);
// Reads periods and transitions alone (what a custom definition carries).
std::optional<ZoneRules> rulesFromDefinition(const pugi::xml_node& definition);

// The Windows id to write for a model tzid ("UTC", IANA, or a Windows id already); nullopt
// when it has none (a custom VTIMEZONE).
std::optional<std::string> windowsIdFor(const std::string& tzid);
// The zone to read a model tzid in for writing (IANA or UTC); nullptr when unknown.
std::shared_ptr<const Zone> zoneForTzid(const std::string& tzid);

}  // namespace calsync::ews
