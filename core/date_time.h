// Zone-aware calendar time as iCalendar expresses it: a wall-clock value plus
// the zone it is read in, or an all-day date.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace calsync {

struct DateTime {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  // An all-day value (iCalendar VALUE=DATE): only year/month/day count.
  bool is_date = false;
  // "" = floating (local to whoever reads it), "UTC" = absolute (iCalendar 'Z'),
  // otherwise a zone name: an IANA id or the TZID of a VTIMEZONE carried by the object.
  std::string tzid;
  // The instant in seconds since the Unix epoch, when the producer could resolve it
  // (floating times and dates resolve as if in UTC). Derived data: never hashed.
  std::optional<std::int64_t> utc;

  bool isUtc() const { return tzid == "UTC"; }
  bool isFloating() const { return !is_date && tzid.empty(); }
  // Value comparison ignores the derived `utc` field.
  bool sameValue(const DateTime& other) const;
  // RFC 5545 text of the value without its TZID: "20260321T090000", "...Z" for UTC, "20260321" for dates.
  std::string toIcalValue() const;
  // Parses the forms toIcalValue produces; `tzid` is applied unless the text ends in 'Z'.
  static std::optional<DateTime> fromIcalValue(const std::string& text, const std::string& tzid = "");
};

// Seconds since the epoch for a civil time taken as UTC.
std::int64_t civilToEpoch(int year, int month, int day, int hour, int minute, int second);
// The inverse: UTC civil fields of an instant.
DateTime epochToUtc(std::int64_t epoch_seconds);

// Resolves `value` to an instant using the system's IANA database, for values whose tzid is
// UTC, empty (floating: read as UTC), a date, or an IANA name. Returns nullopt for a zone
// name the database does not know (a custom VTIMEZONE needs the iCalendar layer).
std::optional<std::int64_t> resolveWithIana(const DateTime& value);

// True when `tzid` names a zone in the system's IANA database.
bool isIanaZone(const std::string& tzid);

}  // namespace calsync
