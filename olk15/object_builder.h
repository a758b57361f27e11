// Builds one CalendarObject from a group's decoded event files: the master (or single event)
// first, then each modified occurrence with its RECURRENCE-ID, the VTIMEZONEs that had to be
// built from zone rules, and the object's span.
#pragma once

#include <vector>

#include "core/event.h"
#include "olk15/event_groups.h"
#include "olk15/event_record.h"

namespace calsync::olk15 {

// `events[i]` is the decoded file of `group.rows[i]`. Throws FormatError when the master
// has no usable start time.
CalendarObject buildObject(const EventGroup& group, const std::vector<OlkEvent>& events);

// The span of a group that has no series, from its rows alone (no file read): what a built
// object's span would be.
void spanFromRows(const EventGroup& group, std::int64_t& start, std::int64_t& end);

}  // namespace calsync::olk15
