// One cycle for one source: read each calendar, keep what changed since the master last
// heard about it, and record it in the agent's state together with a batch for the outbox.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "agent/calendar_selection.h"
#include "core/connector.h"
#include "store/agent_state.h"

namespace calsync::agent {

struct SourceSyncResult {
  std::size_t calendars = 0;
  std::size_t objects_in_window = 0;
  std::size_t changes = 0;          // upserts + deletions queued for the master
  std::size_t warnings = 0;         // items the connector skipped
  std::vector<std::string> held_deletions;  // calendars whose deletions the guard held back
};

class SourceSync {
 public:
  // `conflict_resolution` ("inherit" or a strategy) goes to the master with each calendar.
  SourceSync(store::AgentStateStore& state, std::string source_name, std::string source_type, Connector& connector,
             std::string conflict_resolution = "inherit");

  // Reads every calendar (or only `calendar_filter`, by id or name). Throws the
  // connector's error when a read fails; what was committed for earlier calendars stays.
  SourceSyncResult run(const Window& window, const std::vector<std::string>& calendar_filter,
                       const std::function<bool()>& stop_requested);
  // As run(), with the master's include / exclude rules on top of the filter.
  SourceSyncResult runSelected(const Window& window, const CalendarSelection& selection,
                               const std::function<bool()>& stop_requested);

 private:
  void syncCalendar(const Calendar& calendar, const Window& window, SourceSyncResult& result);

  store::AgentStateStore& state_;
  std::string source_name_;
  std::string source_type_;
  Connector& connector_;
  std::string conflict_resolution_;
};

// A complete listing that comes back empty while this many or more objects were known is
// not trusted to mean "everything was deleted": the deletions are held and reported.
inline constexpr std::size_t kEmptyListingGuard = 5;

}  // namespace calsync::agent
