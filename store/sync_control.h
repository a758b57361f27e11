// What the master decides about the sync beyond the objects themselves, and what agents say
// about themselves: the sync settings pushed to each agent, calendars taken out of (or added
// to) the sync, each agent's last report, and events created through the API while they
// travel to their agent. Shares the master store's connection; every method is one
// transaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/master_link.h"
#include "store/store_error.h"

namespace calsync::store {

// A calendar the admin took out of the sync (DELETE /calendars/{id}) or added to it on top
// of the agent's own filter (POST /calendars).
struct CalendarRule {
  std::string agent_id;
  std::string source;
  std::string calendar_id;
  bool excluded = true;      // false: included
  std::int64_t at = 0;
  std::string by;
};

struct StoredAgentReport {
  std::string agent_id;
  AgentReport report;
  std::int64_t reported_at = 0;
};

// An event create asked for through the API, until (and after) its agent applied it.
struct EventRequest {
  std::string id;            // "evt_…": stable for (calendar, UID)
  std::int64_t update_id = 0;
  std::string agent_id;
  std::string source;
  std::string calendar_id;
  std::string uid;
  std::string status;        // "pending" | "applied" | "failed"
  std::string error;
  std::string native_id;     // where the event lives at the source once applied
  std::string created_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

class SyncControl {
 public:
  virtual ~SyncControl() = default;

  // The override the admin pushed to one agent, as SyncConfig settings without the calendar
  // lists (those come from the rules); empty when none.
  virtual std::map<std::string, std::string> pushedSettings(const std::string& agent_id) = 0;
  virtual void setPushedSettings(const std::string& agent_id, const std::map<std::string, std::string>& settings,
                                 const std::string& by, std::int64_t at) = 0;

  // Settles the agent's older sync_config updates that were not processed yet as processed
  // with the result "superseded by update N": each one carries the whole override, so the
  // newest holds everything they asked for, and an older one redelivered later must not undo
  // it. Returns how many.
  virtual std::size_t supersedeSyncConfigs(const std::string& agent_id, std::int64_t newest_id) = 0;

  // Every rule of one agent ("" = every agent).
  virtual std::vector<CalendarRule> calendarRules(const std::string& agent_id) = 0;
  // Excludes a calendar and, in the same transaction, tombstones every object of it that is
  // not deleted yet (journalled as "delete" by `rule.by`), so the destination writer removes
  // their copies. Returns how many objects were tombstoned.
  virtual std::size_t excludeCalendar(const CalendarRule& rule) = 0;
  // Puts the calendar (back) into the sync, replacing an exclusion. What the agent sends
  // for it from now on is stored again.
  virtual void includeCalendar(const CalendarRule& rule) = 0;

  virtual void saveReport(const std::string& agent_id, const AgentReport& report, std::int64_t at) = 0;
  virtual std::optional<StoredAgentReport> report(const std::string& agent_id) = 0;
  virtual std::vector<StoredAgentReport> reports() = 0;

  virtual void addEventRequest(const EventRequest& request) = 0;
  virtual std::optional<EventRequest> eventRequest(const std::string& id) = 0;
  // Records the outcome (status, error, native_id, updated_at) of a request.
  virtual void settleEventRequest(const EventRequest& request) = 0;
  // Requests still pending, oldest first.
  virtual std::vector<EventRequest> pendingEventRequests(std::size_t limit) = 0;

  // How many objects wait for the destination writer (as MasterStore::pendingWrites finds
  // them), without reading them.
  virtual std::int64_t pendingWriteCount() = 0;
  // When the journal last recorded one of `actions`; 0 when never.
  virtual std::int64_t lastJournalAt(const std::vector<std::string>& actions) = 0;
  // Conflicts by status ("open", "resolved").
  virtual std::map<std::string, std::int64_t> conflictCounts() = 0;
};

}  // namespace calsync::store
