// The date and time forms EWS writes: xs:dateTime with "Z", an offset or nothing,
// xs:date with an optional zone suffix, and xs:duration for time zone biases.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calsync::ews {

// "2025-01-10T09:00:00Z", "2025-01-10T09:00:00.123-08:00", "2025-01-10T09:00:00" (read as UTC:
// with Exchange2010 and later and no TimeZoneContext, zoneless values are UTC).
std::optional<std::int64_t> parseDateTime(std::string_view text);
// "2025-01-13", "2025-01-13Z", "2025-01-13-08:00": the date as written (the suffix is ignored).
struct CivilDate {
  int year = 0, month = 0, day = 0;
};
std::optional<CivilDate> parseDate(std::string_view text);
// "PT60M", "-PT60M", "P0DT8H0M0.0S", "PT2H30M": signed seconds.
std::optional<std::int64_t> parseDuration(std::string_view text);

// "2025-01-10T09:00:00Z".
std::string formatUtc(std::int64_t instant);
// "2025-01-13".
std::string formatDate(int year, int month, int day);
// "PT90M" / "-PT60M" style, whole minutes.
std::string formatDuration(std::int64_t seconds);

// 0 = Sunday ... 6 = Saturday, for a civil date.
int weekday(int year, int month, int day);
int daysInMonth(int year, int month);

}  // namespace calsync::ews
