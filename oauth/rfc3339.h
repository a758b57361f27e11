// RFC 3339 timestamps as Google and Graph write them ("2026-03-21T09:00:00+01:00", "...Z", fractions
// allowed) and the basic forms used inside recurrence lines and instance ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/date_time.h"

namespace calsync::web {

struct Rfc3339 {
  DateTime wall;               // the civil fields as written, tzid empty
  bool has_offset = false;
  int offset_seconds = 0;      // east of UTC
  std::int64_t instant() const;  // wall - offset (wall read as UTC when there is no offset)
};
std::optional<Rfc3339> parseRfc3339(const std::string& text);

// "2026-03-21T08:00:00Z"
std::string formatUtc(std::int64_t instant);
// "2026-03-21T09:00:00" (no offset: for use with a timeZone field)
std::string formatWall(const DateTime& value);
// "2026-03-21"
std::string formatDate(const DateTime& value);
// "YYYY-MM-DD" -> date value
std::optional<DateTime> parseDate(const std::string& text);

}  // namespace calsync::web
