// Writes the daemon's pid to a file for init scripts and removes it on exit.
#pragma once

#include <string>

namespace calsync::daemon {

class PidFile {
 public:
  // Throws std::runtime_error when the file cannot be written.
  explicit PidFile(std::string path);
  ~PidFile();
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

 private:
  std::string path_;
};

}  // namespace calsync::daemon
