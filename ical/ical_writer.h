// Internal to calsync_ical: writes iCalendar content lines (RFC 5545 section 3.1): values
// escaped, parameters quoted when they must be, lines folded at 75 octets without splitting
// a UTF-8 character, CRLF line ends. Nothing a caller passes can start a new line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/date_time.h"

namespace calsync::ical {

class ContentWriter {
 public:
  // One property: `head` is the name followed by ";PARAM=value" pairs, already in iCalendar
  // form; `value` is written as given (escape TEXT values with escapeText first).
  void property(std::string_view head, std::string_view value);
  // A block already in iCalendar form (a VTIMEZONE): copied with line ends made CRLF.
  void block(std::string_view text);
  std::string take() { return std::move(text_); }

 private:
  void folded(std::string_view line);
  std::string text_;
};

// TEXT value escaping: backslash, semicolon, comma and newlines.
std::string escapeText(std::string_view text);
// ";NAME=value" with the value quoted when it holds ':', ';' or ','; DQUOTE and control
// characters, which a parameter cannot carry, are dropped.
std::string param(std::string_view name, std::string_view value);
// "-PT15M", "P1D", "PT0S": a DURATION value for a number of seconds.
std::string formatDuration(std::int64_t seconds);
// A date or date-time property head and value: "DTSTART;TZID=Europe/Berlin" + "20260321T090000".
void timeProperty(ContentWriter& out, std::string_view name, const DateTime& value);

}  // namespace calsync::ical
