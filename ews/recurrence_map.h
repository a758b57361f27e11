// EWS recurrence patterns <-> RFC 5545 RRULE. EWS has six patterns (daily, weekly, absolute
// and relative monthly, absolute and relative yearly) and three ranges (numbered, end date,
// no end); RRULE can say all of them, but EWS cannot say every RRULE.
#pragma once

#include <pugixml.hpp>

#include <string>

#include "core/date_time.h"
#include "ews/time_zones.h"

namespace calsync::ews {

// The RRULE for a <t:Recurrence> element. UNTIL is the end of the EndDate day in `zone`, in
// UTC (or a DATE for all-day series). Throws ConnectorError(BadData) for a pattern it cannot
// read (a task regeneration pattern, missing fields).
std::string rruleFromRecurrence(const pugi::xml_node& recurrence, const Zone& zone, bool all_day);

// The <t:Recurrence> element (with the t: prefix) for an RRULE whose first occurrence is
// `dtstart`, a wall time in `zone` (or a date). Throws ConnectorError(BadData) for rules EWS
// cannot express (hourly, BYWEEKNO, several months, RDATE-only series, ...).
std::string recurrenceFromRrule(const std::string& rrule, const DateTime& dtstart, const Zone& zone);

}  // namespace calsync::ews
