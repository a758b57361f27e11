// Runs the sync cycle on its own thread: once at start, then every interval, or sooner
// when woken. A stop request lets the cycle in flight finish its current item and return.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace calsync::daemon {

class Scheduler {
 public:
  // `cycle` receives a predicate telling it whether a stop was requested.
  Scheduler(std::function<void(const std::function<bool()>&)> cycle, std::chrono::seconds interval);
  ~Scheduler();
  void start();
  void wake();
  // Takes effect at once: a wait in progress is measured against the new interval.
  void setInterval(std::chrono::seconds interval);
  // Asks the cycle to finish and waits for the thread to end.
  void stop();
  bool stopRequested() const { return stop_.load(); }

 private:
  void loop();

  std::function<void(const std::function<bool()>&)> cycle_;
  std::chrono::seconds interval_;
  std::atomic<bool> stop_{false};
  bool woken_ = false;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace calsync::daemon
