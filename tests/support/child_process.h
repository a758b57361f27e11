// Starting and stopping a helper program (a test server) from a test.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace calsync::testing {

// A child process that is stopped (SIGTERM, then SIGKILL after a grace period) when this
// object goes away, so a failing test never leaves a server running.
class ChildProcess {
 public:
  // Runs `argv[0]` (looked up in PATH) with stdout and stderr appended to `log_file`.
  // Throws std::runtime_error when the program cannot be started.
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // False once the process has exited (reaps it).
  bool running();
  // SIGTERM, wait up to `grace_ms`, then SIGKILL; idempotent.
  void stop(int grace_ms = 3000);

 private:
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, release it).
// Another process can take it in between: callers retry with a new port when binding fails.
int pickFreePort();

}  // namespace calsync::testing
