// One decoded .olk15Event as a calsync Event: text fields, the HTML body as plain text plus
// the HTML itself (X-ALT-DESC;FMTTYPE=text/html), people, all-day dates, zone-aware start and
// end, reminder, busy status, sensitivity and the recurrence rule when the file has one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "olk15/event_record.h"
#include "olk15/event_zone.h"

namespace calsync::olk15 {

struct MappedEvent {
  Event event;
  EventZone zone;   // the zone start and end are written in; its VTIMEZONE when one was built
};

// Maps `e`. `uid` is the UID to use (the file's, or a stand-in when it has none). Throws
// FormatError when the event has no usable start time.
MappedEvent mapEvent(const OlkEvent& e, const std::string& uid);

// The RECURRENCE-ID of an occurrence whose original start is `original_start_minutes`
// (minutes since 1601, UTC), written the way the master's DTSTART is written.
DateTime occurrenceId(std::int64_t original_start_minutes, const MappedEvent& master);

// The RRULE for Outlook's recurrence record, or "" when the pattern is unknown. `start` is
// the master's DTSTART (supplies the weekday and month a pattern leaves implicit).
std::string rruleFor(const OlkRecurrence& r, const DateTime& start, std::int64_t start_epoch);

}  // namespace calsync::olk15
