// What every calsyncctl command shares: exit codes, the errors that carry them, where output
// goes, and the options that say which master to talk to and how to print.
#pragma once

#include <iostream>
#include <stdexcept>
#include <string>

namespace calsync::ctl {

// sysexits-style codes; 78 (EX_CONFIG) matches calsyncd --test-config.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitConfig = 78;

// Thrown by commands; the dispatcher prints the message and exits with the code. Messages
// say what went wrong and what to do about it, and never contain a secret.
class CtlError : public std::runtime_error {
 public:
  CtlError(int exit_code, const std::string& message) : std::runtime_error(message), exit_code_(exit_code) {}
  int exitCode() const { return exit_code_; }

 private:
  int exit_code_;
};

inline CtlError usageError(const std::string& message) { return CtlError(kExitUsage, message); }
inline CtlError operationFailed(const std::string& message) { return CtlError(kExitFailed, message); }
inline CtlError configProblem(const std::string& message) { return CtlError(kExitConfig, message); }

struct Io {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
};

// Options shared by the commands that talk to a master, and by every command for output.
struct Globals {
  std::string master_url;     // --master; empty = the local daemon
  std::string config_path;    // --config; empty = calsyncd's default path
  bool config_given = false;  // --config was given: a missing file is an error, not a fallback
  std::string token_file;     // --token-file
  std::string ca_file;        // --ca-file
  int timeout_seconds = 30;   // --timeout
  bool json = false;          // --json
};

}  // namespace calsync::ctl
