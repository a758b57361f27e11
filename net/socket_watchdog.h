// A hard deadline for blocking socket calls. Poco's per-call timeouts do not bound a TLS
// handshake or a clean TLS shutdown (each can wait several timeouts in a row), so a helper
// thread shuts the socket down when the deadline passes; the blocked call then fails at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace calsync::net {

class SocketWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  SocketWatchdog();
  ~SocketWatchdog();
  SocketWatchdog(const SocketWatchdog&) = delete;
  SocketWatchdog& operator=(const SocketWatchdog&) = delete;

  // Watches the socket `fd` until `deadline` (replacing whatever was watched). The watchdog
  // keeps its own duplicate of the descriptor, so the caller may close `fd` at any time.
  void arm(int fd, Clock::time_point deadline);
  // Stops watching. Returns true when the deadline had passed and the socket was shut down.
  bool disarm();
  // Whether the socket was shut down since the last arm(), without disarming.
  bool fired();
  // From any thread: shuts the watched socket down now, and every socket armed later at once.
  void cancel();

 private:
  void run();
  void releaseLocked();

  std::mutex mutex_;
  std::condition_variable changed_;
  int fd_ = -1;                    // our duplicate, -1 when idle
  Clock::time_point deadline_{};
  bool fired_ = false;
  bool cancelled_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace calsync::net
