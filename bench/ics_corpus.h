// A synthetic but realistic iCalendar corpus for benchmarks: single events, weekly series
// with overrides and EXDATEs, all-day events, several zones, attendees and non-ASCII text.
#pragma once

#include <cstddef>
#include <string>

namespace calsync::bench {

// One VCALENDAR holding `events` VEVENTs (overrides count as events).
std::string makeIcsCorpus(std::size_t events);

}  // namespace calsync::bench
