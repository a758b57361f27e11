// Internal to calsync_ical: libical's icaltimetype <-> DateTime, and wall-clock arithmetic.
#pragma once

#include <libical/ical.h>

#include <cstdint>
#include <string>

#include "core/date_time.h"

namespace calsync::ical {

// The model's value for a libical time read with TZID parameter `tzid` ("UTC" when the time
// itself says Z, whatever the parameter).
DateTime fromIcalTime(const icaltimetype& time, const std::string& tzid);
// A libical wall time: UTC-zoned for UTC values, zoneless otherwise.
icaltimetype toIcalTime(const DateTime& value);
// True when the civil fields form a real date (and time).
bool isValidCivil(const DateTime& value);
// The civil fields counted as seconds since the epoch as if in UTC; dates at midnight.
std::int64_t wallSeconds(const DateTime& value);
// `value` moved by `seconds` of wall-clock time, keeping its zone and kind.
DateTime addWallSeconds(const DateTime& value, std::int64_t seconds);

}  // namespace calsync::ical
