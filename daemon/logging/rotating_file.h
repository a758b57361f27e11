// A log file rotated by size the way logrotate names them: when the next line would take
// calsyncd.log past the limit, calsyncd.log.N-1 is dropped, each calsyncd.log.K becomes .K+1,
// calsyncd.log becomes calsyncd.log.1 and a new calsyncd.log is started.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace calsync::logging {

class RotatingFile {
 public:
  // Opens (appends to) `path`; throws std::runtime_error when it cannot.
  RotatingFile(std::string path, std::int64_t max_bytes, int file_count);
  // Writes one line (a newline is added) and flushes, so a crash loses nothing written.
  void writeLine(std::string_view line);

 private:
  void rotate();
  void open(std::ios::openmode mode);

  std::string path_;
  std::int64_t max_bytes_;
  int file_count_;
  std::ofstream out_;
  std::int64_t size_ = 0;
};

}  // namespace calsync::logging
