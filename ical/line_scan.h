// Internal to calsync_ical: a cheap pass over raw iCalendar text before libical sees it. It
// finds where each VEVENT starts (libical keeps no line numbers) and measures what a hostile
// input would cost to parse.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace calsync::ical {

struct LineScan {
  bool starts_with_vcalendar = false;   // first non-blank line is BEGIN:VCALENDAR
  bool has_nul = false;                 // binary data: libical reads C strings
  std::size_t max_depth = 0;            // deepest BEGIN nesting
  // 1-based line of every BEGIN:VEVENT directly inside a VCALENDAR, in order.
  std::vector<int> vevent_lines;
};

LineScan scanLines(std::string_view text);

}  // namespace calsync::ical
