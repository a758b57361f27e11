#include "master/update_broker.h"

#include <ctime>

namespace calsync::master {
namespace {

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

std::int64_t UpdateBroker::enqueue(const std::string& agent_id, const AgentUpdate& update, const std::string& actor) {
  const std::int64_t id = queue_.enqueue(agent_id, update, actor, now());
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
  return id;
}

std::vector<AgentUpdate> UpdateBroker::take(const std::string& agent_id) {
  return queue_.takeDue(agent_id, now(), policy_.redeliver_after_seconds, policy_.per_response);
}

std::vector<AgentUpdate> UpdateBroker::waitAndTake(const std::string& agent_id, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    std::uint64_t seen;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return {};
      seen = generation_;
    }
    // Checked after reading the generation: an enqueue in between bumps it and we look again.
    if (queue_.hasDue(agent_id, now(), policy_.redeliver_after_seconds)) return take(agent_id);
    std::unique_lock lock(mutex_);
    // Retries come due by the clock, not by an enqueue: look again at least once a second.
    const auto next_look = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(1));
    changed_.wait_until(lock, next_look, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return {};
    if (std::chrono::steady_clock::now() >= deadline && generation_ == seen) {
      lock.unlock();
      return take(agent_id);
    }
  }
}

bool UpdateBroker::complete(const std::string& agent_id, const UpdateOutcome& outcome) {
  const bool settled = queue_.complete(agent_id, outcome, now(), policy_.max_attempts, policy_.retry_delay_seconds);
  if (settled && !outcome.ok) {
    // A retry may be due later; wake long-polls so they re-arm their clocks.
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
  return settled;
}

void UpdateBroker::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
}

}  // namespace calsync::master
