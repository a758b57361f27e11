// Which of a source's calendars a cycle reads: the INI `calendars` filter, widened by
// calendars the master asked to include and narrowed by the ones it took out of the sync.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/event.h"

namespace calsync::agent {

struct CalendarSelection {
  std::vector<std::string> filter;      // by id or name; empty = every calendar
  std::set<std::string> include_ids;    // read even when the filter leaves them out
  std::set<std::string> exclude_ids;    // never read; wins over both

  bool selects(const Calendar& calendar) const {
    if (exclude_ids.count(calendar.id)) return false;
    if (filter.empty() || include_ids.count(calendar.id)) return true;
    for (const auto& f : filter) {
      if (f == calendar.id || f == calendar.name) return true;
    }
    return false;
  }
};

}  // namespace calsync::agent
