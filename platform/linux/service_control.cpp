#include "service_control.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <algorithm>
#include <cstddef>
#include <cstring>

namespace calsync::platform {
namespace {

sigset_t controlSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGQUIT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void blockControlSignals() {
  sigset_t set = controlSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ControlEvent waitForControlEvent() {
  sigset_t set = controlSignals();
  for (;;) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0) continue;
    if (signal_number == SIGHUP) return ControlEvent::Reload;
    return ControlEvent::Terminate;
  }
}

void requestReload() {
  // To the process, not a thread: it stays pending until waitForControlEvent() takes it.
  kill(getpid(), SIGHUP);
}

void notifyServiceManager(const std::string& state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path) return;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::size_t length = std::strlen(path);
  if (length >= sizeof(address.sun_path)) return;
  std::memcpy(address.sun_path, path, length);
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';  // abstract socket namespace
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address), size);
  close(fd);
}

int watchdogIntervalSeconds() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (!usec) return 0;
  const long long value = std::atoll(usec);
  // Ping at half the deadline, as systemd recommends.
  return value > 0 ? static_cast<int>(std::max(1LL, value / 2000000)) : 0;
}

}  // namespace calsync::platform
