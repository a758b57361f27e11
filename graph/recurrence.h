// Graph's patternedRecurrence <-> RFC 5545 RRULE. Graph has six pattern types and three range
// types; an RRULE outside that vocabulary (hourly, several month days, BYHOUR, ...) cannot be
// written to Graph and is refused as BadData instead of being approximated.
#pragma once

#include <string>

#include "core/date_time.h"
#include "oauth/json_access.h"

namespace calsync::graph {

// RRULE value for a pattern + range; `start` is the series start (its zone places UNTIL).
// Throws ConnectorError(BadData) for a pattern it cannot express.
std::string rruleFromPattern(const json::Object::Ptr& recurrence, const DateTime& start);

// The patternedRecurrence for an RRULE value; `start` gives defaults (BYDAY, month day) and
// the range's startDate; `windows_zone` is written as recurrenceTimeZone.
json::Object::Ptr patternFromRrule(const std::string& rrule, const DateTime& start, const std::string& windows_zone);

}  // namespace calsync::graph
