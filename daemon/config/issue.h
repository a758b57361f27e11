// A problem found in the configuration, pinned to the file and line that caused it, and the
// exception that carries every problem found in one pass (so an admin fixes them all at once).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace calsync::config {

struct Origin {
  std::string file;
  int line = 0;   // 0 = the file as a whole (unreadable, or a key that is missing from it)
};

struct Issue {
  Origin origin;
  std::string section;
  std::string key;
  std::string reason;   // never contains a secret's value
  // "FILE:LINE: [section] key: reason"; the line, section and key are left out when unknown.
  std::string toString() const;
};

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<Issue> found);
  std::vector<Issue> issues;
};

}  // namespace calsync::config
