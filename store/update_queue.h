// The master's durable per-agent queues of changes to make at sources (renames, event edits,
// sync settings). An update is pending until delivered, delivered until the agent reports
// it, then processed or, after too many failed attempts, failed with the reason.
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

enum class UpdateStatus { Pending, Delivered, Processed, Failed };
const char* toString(UpdateStatus status);

struct QueuedUpdate {
  std::string agent_id;
  AgentUpdate update;           // update.attempt = deliveries so far
  UpdateStatus status = UpdateStatus::Pending;
  std::string last_error;
  std::string result;           // e.g. the native id an event_create made
  std::string created_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t next_attempt_at = 0;
};

struct UpdateFilter {
  std::string agent_id;                 // empty = every agent
  std::optional<UpdateStatus> status;
  std::size_t limit = 100;
};

class UpdateQueue {
 public:
  virtual ~UpdateQueue() = default;
  // Stores the update (its id is assigned) and returns the id.
  virtual std::int64_t enqueue(const std::string& agent_id, const AgentUpdate& update, const std::string& actor,
                               std::int64_t now) = 0;
  // Hands out what is due for the agent, oldest first, and marks it delivered. A delivery
  // that was never reported is handed out again after `redeliver_after` seconds.
  virtual std::vector<AgentUpdate> takeDue(const std::string& agent_id, std::int64_t now,
                                           std::int64_t redeliver_after, std::size_t limit) = 0;
  // True when something is due for the agent now (cheap; for long-polls).
  virtual bool hasDue(const std::string& agent_id, std::int64_t now, std::int64_t redeliver_after) = 0;
  // Records what the agent reported. A retryable failure goes back to pending after
  // `retry_delay` seconds until `max_attempts` deliveries were made, then fails for good.
  // False when the update is unknown, belongs to another agent, or was already settled.
  virtual bool complete(const std::string& agent_id, const UpdateOutcome& outcome, std::int64_t now,
                        int max_attempts, std::int64_t retry_delay) = 0;
  virtual std::optional<QueuedUpdate> find(std::int64_t id) = 0;
  virtual std::vector<QueuedUpdate> list(const UpdateFilter& filter) = 0;
  // Counts by agent and status: {"agent-1": {"pending": 2, ...}, ...}.
  virtual std::map<std::string, std::map<std::string, std::int64_t>> stats() = 0;
  // Removes processed and failed updates last touched before `before`; returns how many.
  virtual std::size_t cleanup(std::int64_t before) = 0;
};

}  // namespace calsync::store
