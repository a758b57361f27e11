#include "net/socket_watchdog.h"

#include <sys/socket.h>
#include <unistd.h>

namespace calsync::net {

SocketWatchdog::SocketWatchdog() : thread_([this] { run(); }) {}

SocketWatchdog::~SocketWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    releaseLocked();
  }
  changed_.notify_all();
  thread_.join();
}

void SocketWatchdog::arm(int fd, Clock::time_point deadline) {
  {
    std::lock_guard lock(mutex_);
    releaseLocked();
    fd_ = fd >= 0 ? ::dup(fd) : -1;
    deadline_ = cancelled_ ? Clock::time_point::min() : deadline;
    fired_ = false;
  }
  changed_.notify_all();
}

bool SocketWatchdog::disarm() {
  std::lock_guard lock(mutex_);
  bool fired = fired_;
  releaseLocked();
  fired_ = false;
  return fired;
}

bool SocketWatchdog::fired() {
  std::lock_guard lock(mutex_);
  return fired_;
}

void SocketWatchdog::cancel() {
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    deadline_ = Clock::time_point::min();
  }
  changed_.notify_all();
}

void SocketWatchdog::releaseLocked() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void SocketWatchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (fd_ < 0) {
      changed_.wait(lock);
      continue;
    }
    if (Clock::now() < deadline_) {
      changed_.wait_until(lock, deadline_);
      continue;
    }
    // shutdown() acts on the socket, not the descriptor: the owner's blocked call returns.
    ::shutdown(fd_, SHUT_RDWR);
    fired_ = true;
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace calsync::net
