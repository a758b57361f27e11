#include "agent/update_listener.h"

#include <algorithm>
#include <chrono>

#include "core/errors.h"
#include "core/log.h"

namespace calsync::agent {

void UpdateListener::start() {
  std::lock_guard lock(mutex_);
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void UpdateListener::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  runtime_.master().stopWaiting();
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void UpdateListener::run() {
  int failures = 0;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      const auto updates = runtime_.master().pendingUpdates(runtime_.id(), wait_seconds_);
      failures = 0;
      if (!updates.empty()) runtime_.applyAndReport(updates);
      continue;
    } catch (const ConnectorError& e) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
      ++failures;
      if (failures == 1) log::warn("agent", std::string("waiting for updates from the master failed: ") + e.what());
    } catch (const std::exception& e) {
      ++failures;
      log::error("agent", std::string("update listener: ") + e.what());
    }
    // The master is away: try again after 2, 4, ... up to 60 seconds, or at once on stop.
    const auto delay = std::chrono::seconds(std::min(60, 1 << std::min(failures, 6)));
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [&] { return stopping_; });
  }
}

}  // namespace calsync::agent
