// Hands queued updates to agents: in heartbeat responses, and to long-polls that wait until
// something is due so a change reaches a connected agent at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/master_link.h"
#include "store/update_queue.h"

namespace calsync::master {

struct UpdatePolicy {
  int max_attempts = 5;
  std::int64_t retry_delay_seconds = 30;       // doubles with each failed attempt
  std::int64_t redeliver_after_seconds = 300;  // a delivery never reported is sent again
  std::size_t per_response = 50;
};

class UpdateBroker {
 public:
  UpdateBroker(store::UpdateQueue& queue, UpdatePolicy policy) : queue_(queue), policy_(policy) {}

  std::int64_t enqueue(const std::string& agent_id, const AgentUpdate& update, const std::string& actor);
  std::vector<AgentUpdate> take(const std::string& agent_id);
  // Waits up to `wait` for something due (or for shutdown), then takes it.
  std::vector<AgentUpdate> waitAndTake(const std::string& agent_id, std::chrono::milliseconds wait);
  bool complete(const std::string& agent_id, const UpdateOutcome& outcome);
  // Wakes every waiting long-poll so the server can stop.
  void shutdown();

  store::UpdateQueue& queue() { return queue_; }
  const UpdatePolicy& policy() const { return policy_; }

 private:
  store::UpdateQueue& queue_;
  UpdatePolicy policy_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t generation_ = 0;
  bool stopping_ = false;
};

}  // namespace calsync::master
