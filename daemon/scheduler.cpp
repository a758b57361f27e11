#include "daemon/scheduler.h"

#include "core/log.h"

namespace calsync::daemon {

Scheduler::Scheduler(std::function<void(const std::function<bool()>&)> cycle, std::chrono::seconds interval)
    : cycle_(std::move(cycle)), interval_(interval) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() { thread_ = std::thread([this] { loop(); }); }

void Scheduler::wake() {
  std::lock_guard<std::mutex> lock(mutex_);
  woken_ = true;
  cv_.notify_all();
}

void Scheduler::setInterval(std::chrono::seconds interval) {
  std::lock_guard<std::mutex> lock(mutex_);
  interval_ = interval;
  cv_.notify_all();
}

void Scheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Scheduler::loop() {
  const std::function<bool()> stop_requested = [this] { return stop_.load(); };
  while (!stop_) {
    try {
      cycle_(stop_requested);
    } catch (const std::exception& e) {
      // A cycle that throws is a bug somewhere below; keep the service alive and say so.
      log::error("scheduler", std::string("sync cycle failed: ") + e.what());
    }
    const auto finished = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mutex_);
    // Re-reads interval_ after every notification, so a shorter interval set mid-wait ends it.
    while (!stop_ && !woken_ && std::chrono::steady_clock::now() < finished + interval_) {
      cv_.wait_until(lock, finished + interval_);
    }
    woken_ = false;
  }
}

}  // namespace calsync::daemon
