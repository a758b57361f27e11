// iCalendar (RFC 5545) text <-> the calendar model, recurrence expansion and the instants an
// object spans. libical does the parsing and the recurrence arithmetic behind this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace calsync::ical {

// A part of the input that was skipped; the rest of the text was still read.
struct ParseWarning {
  int line = 0;                // 1-based line of the input where the bad component starts
  std::string message;         // says what was wrong, never the event's content
};

struct ParsedCalendar {
  // False when the text is not iCalendar at all (or was refused as hostile): no objects then,
  // and one warning saying why. A caller must not read that as an empty calendar.
  bool recognized = true;
  std::string name;            // X-WR-CALNAME if present
  std::string color;           // X-APPLE-CALENDAR-COLOR / COLOR if present
  // VEVENTs grouped by UID: master first, overrides after. `vtimezones` holds the VTIMEZONE
  // text of every zone an object's events name; `origin` comes from X-CALSYNC-ORIGIN.
  std::vector<CalendarObject> objects;
  std::vector<ParseWarning> warnings;
};

// Inputs larger than this are refused with a warning rather than parsed.
inline constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;

// Reads a VCALENDAR stream (several concatenated VCALENDARs are fine). A malformed VEVENT (no
// UID or DTSTART, an unparseable value) is skipped with a warning naming its line. Every
// object has computeSpan() applied.
ParsedCalendar parse(std::string_view text);

struct SerializeOptions {
  // Adds SCHEDULE-AGENT=CLIENT to ORGANIZER and every ATTENDEE (RFC 6638) so a server never
  // sends invitations for a copy.
  bool suppress_scheduling = false;
};

// One VCALENDAR (VERSION 2.0, our PRODID, no METHOD) holding the object's VTIMEZONEs, then its
// VEVENTs, with CRLF line ends and lines folded at 75 octets. A zone an event names that has
// no VTIMEZONE in the object is added from the IANA database when the name (or the Windows
// zone it stands for) is known. DTSTAMP is the current time; X-CALSYNC-ORIGIN is written
// when `origin` is set. parse(serialize(x)) has the same contentHash as x.
std::string serialize(const CalendarObject& object, const SerializeOptions& options = {});

struct Occurrence {
  std::string uid;
  std::optional<DateTime> recurrence_id;   // unset for a non-recurring event
  DateTime start;
  DateTime end;
  std::int64_t start_utc = 0;
  std::int64_t end_utc = 0;
  const Event* event = nullptr;            // the master or the override that defines it
};

// The occurrences that overlap `window` (a zero-length one counts when it starts inside),
// sorted by start. EXDATEs are removed, RDATEs added, RECURRENCE-ID overrides replace their
// occurrence wherever they moved it, and cancelled overrides are dropped. At most
// `max_occurrences` are returned (the earliest ones).
std::vector<Occurrence> expand(const CalendarObject& object, const Window& window,
                               std::size_t max_occurrences = 10000);

// Fills every DateTime::utc that can be resolved (the object's own VTIMEZONE first, then the
// IANA database, then a Windows zone name mapped to IANA) and the object's span:
// span_end_utc is INT64_MAX for an open-ended series, else the end of the last occurrence.
// Values whose zone is unknown are read as UTC for the span only, which is off by hours at
// most.
void computeSpan(CalendarObject& object);

}  // namespace calsync::ical
