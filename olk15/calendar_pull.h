// One pull of one calendar: compares the calendar's rows and files with the state of the
// previous pull, reads only the files of objects that changed (or that just entered the
// window), and says what changed. Without a previous state it is a full listing: every
// object in the window is read, and the listing is marked complete when no file failed.
//
// Deletions: an incremental pull reports an object as removed only when none of its rows
// is left in a listing that was read completely (the caller throws instead of listing
// partially). An object whose file cannot be read is skipped with a ReadWarning, keeps its
// previous state (so it is neither updated nor removed) and is tried again next time.
#pragma once

#include <string>
#include <vector>

#include "core/connector.h"
#include "olk15/calendar_state.h"
#include "olk15/data_files.h"
#include "olk15/store_listing.h"

namespace calsync::olk15 {

struct CalendarPull {
  ChangeSet changes;
  CalendarState state;      // to remember for the next pull (its generation is in changes.cursor)
  bool state_changed = false;
  std::size_t files_read = 0;
};

CalendarPull pullCalendar(const std::vector<const EventRow*>& rows, DataFiles& files, const Window& window,
                          const CalendarState* previous);

// Whether an object spanning [start, end) touches the window; a zero-length one counts when
// it starts inside.
bool touches(const Window& window, std::int64_t start, std::int64_t end);

}  // namespace calsync::olk15
