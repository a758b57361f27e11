// Reading files under a profile's Data/ directory without ever leaving it: paths are checked
// lexically by data_path.h, every directory a file sits in must resolve (symlinks followed)
// inside Data/, and the file itself is opened without following a symlink.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace calsync::olk15 {

struct FileStamp {
  std::int64_t size = -1;       // -1: no such file
  std::int64_t mtime_ns = 0;
  bool exists() const { return size >= 0; }
  bool operator==(const FileStamp&) const = default;
};

// Event files larger than this are refused rather than read (real ones are a few KB).
inline constexpr std::int64_t kMaxEventFileBytes = std::int64_t{16} << 20;

class DataFiles {
 public:
  explicit DataFiles(std::filesystem::path data_dir);

  const std::filesystem::path& root() const { return root_; }
  // The file's size and mtime (lstat: a symlink reports itself); size -1 when it is missing.
  FileStamp stamp(const std::string& relative) const;

  struct Read {
    std::string bytes;
    FileStamp stamp;
    std::string error;   // non-empty when the file could not be read; says why
  };
  // Reads `relative` (already checked by checkEventPath).
  Read read(const std::string& relative);

 private:
  bool directoryInside(const std::filesystem::path& dir);

  std::filesystem::path root_;
  std::filesystem::path canonical_root_;
  std::map<std::string, bool> checked_dirs_;
};

}  // namespace calsync::olk15
