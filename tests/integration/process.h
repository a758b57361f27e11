// Runs calsyncd as a real child process and reports how it exited.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace calsync::testing {

class Process {
 public:
  // Starts argv (argv[0] is a path) with stdout and stderr appended to `log_file`.
  Process(const std::vector<std::string>& argv, const std::string& log_file);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Waits up to `timeout_ms` for the process to exit; returns its exit status, or -1 on
  // timeout (the process is then killed), or 128+N when a signal N ended it.
  int wait(int timeout_ms);
  void signal(int signal_number);

 private:
  pid_t pid_ = -1;
};

// Runs to completion (at most `timeout_ms`) and returns the exit status as Process::wait.
int runProcess(const std::vector<std::string>& argv, const std::string& log_file, int timeout_ms = 120000);

std::string readFile(const std::string& path);

}  // namespace calsync::testing
