// Runs the whole calsyncctl CLI in-process (the same run() the program calls) and captures
// what it prints, for the ctl unit tests.
#pragma once

#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/ctl/command_line.h"

namespace calsync::ctl::testing {

struct CtlRun {
  int code = -1;
  std::string out;
  std::string err;
};

inline CtlRun runCtl(const std::vector<std::string>& args, const std::string& input = "") {
  std::ostringstream out, err;
  std::istringstream in(input);
  CtlRun result;
  result.code = run(args, Io{out, err, in});
  result.out = out.str();
  result.err = err.str();
  return result;
}

// Sets (or, with nullopt, removes) an environment variable for one test, restoring it after.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) previous_ = old;
    if (value) ::setenv(name_.c_str(), value->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (previous_) ::setenv(name_.c_str(), previous_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

}  // namespace calsync::ctl::testing
