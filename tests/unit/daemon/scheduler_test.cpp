#include "daemon/scheduler.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

namespace calsync::daemon {
namespace {

// Counts cycles and lets the test wait, with a deadline, for the n-th one.
class CycleCounter {
 public:
  void cycle() {
    std::lock_guard lock(mutex_);
    ++count_;
    changed_.notify_all();
  }
  bool waitFor(int n, std::chrono::seconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return count_ >= n; });
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

TEST(Scheduler, AShorterIntervalEndsAWaitInProgress) {
  CycleCounter counter;
  Scheduler scheduler([&](const std::function<bool()>&) { counter.cycle(); }, std::chrono::hours(1));
  scheduler.start();
  ASSERT_TRUE(counter.waitFor(1, std::chrono::seconds(5))) << "a cycle runs at start";
  // Waiting an hour now; a pushed interval of zero seconds must not wait for that hour.
  scheduler.setInterval(std::chrono::seconds(0));
  EXPECT_TRUE(counter.waitFor(3, std::chrono::seconds(5)));
  scheduler.setInterval(std::chrono::hours(1));
  scheduler.stop();
}

TEST(Scheduler, WakeRunsACycleAtOnce) {
  CycleCounter counter;
  Scheduler scheduler([&](const std::function<bool()>&) { counter.cycle(); }, std::chrono::hours(1));
  scheduler.start();
  ASSERT_TRUE(counter.waitFor(1, std::chrono::seconds(5)));
  scheduler.wake();
  EXPECT_TRUE(counter.waitFor(2, std::chrono::seconds(5)));
  scheduler.stop();
}

}  // namespace
}  // namespace calsync::daemon
