// What the EWS connector remembers between pulls of one calendar: the SyncFolderItems state
// (kept whole: a truncated state is refused by the server) and the window it last covered,
// so a window that slid forward gets its new days read with a CalendarView.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace calsync::ews {

struct SyncCursor {
  std::string sync_state;
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;

  std::string encode() const;
  // nullopt for text encode() did not produce (the caller then reads everything again).
  static std::optional<SyncCursor> decode(const std::string& text);
};

}  // namespace calsync::ews
