#include "daemon/logging/rotating_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace calsync::logging {

namespace fs = std::filesystem;

RotatingFile::RotatingFile(std::string path, std::int64_t max_bytes, int file_count)
    : path_(std::move(path)), max_bytes_(max_bytes), file_count_(file_count < 1 ? 1 : file_count) {
  open(std::ios::app);
}

void RotatingFile::open(std::ios::openmode mode) {
  out_.close();
  out_.clear();
  out_.open(path_, std::ios::out | std::ios::binary | mode);
  if (!out_) throw std::runtime_error("cannot open log file '" + path_ + "': " + std::strerror(errno));
  std::error_code error;
  const auto size = fs::file_size(path_, error);
  size_ = error ? 0 : static_cast<std::int64_t>(size);
}

void RotatingFile::rotate() {
  out_.close();
  std::error_code ignored;   // a missing older file is normal; the new file must still open
  if (file_count_ > 1) fs::remove(path_ + "." + std::to_string(file_count_ - 1), ignored);
  for (int k = file_count_ - 2; k >= 1; --k) {
    fs::rename(path_ + "." + std::to_string(k), path_ + "." + std::to_string(k + 1), ignored);
  }
  if (file_count_ > 1) fs::rename(path_, path_ + ".1", ignored);
  open(std::ios::trunc);
}

void RotatingFile::writeLine(std::string_view line) {
  const auto length = static_cast<std::int64_t>(line.size()) + 1;
  try {
    // After a failed rotation the file is closed: reopen rather than rotate again, which would
    // push the kept files further down on every record.
    if (!out_.is_open()) open(std::ios::app);
    if (size_ > 0 && size_ + length > max_bytes_) rotate();
  } catch (const std::runtime_error&) {
    return;   // nowhere to write; the console and syslog sinks still carry the record
  }
  out_ << line << '\n';
  out_.flush();
  size_ += length;
}

}  // namespace calsync::logging
