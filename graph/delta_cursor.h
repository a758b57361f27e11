// What a graph pull remembers between runs: the deltaLink of the calendarView/delta round and
// the window that round covers, plus the objects seen so far (single events and series
// masters). The latter lets a new round, after the link expired, ask Graph about each object it
// no longer lists instead of guessing: gone (404) is a deletion, anything else is not.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace calsync::graph {

struct DeltaCursor {
  std::string delta_link;
  std::int64_t from = 0;            // the round's calendarView window
  std::int64_t to = 0;
  std::set<std::string> singles;    // native ids of single events seen
  std::set<std::string> series;     // native ids of series masters seen

  std::string encode() const;
  // nullopt for text that is not a cursor of this version.
  static std::optional<DeltaCursor> decode(const std::string& text);
};

}  // namespace calsync::graph
