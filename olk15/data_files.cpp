#include "olk15/data_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace calsync::olk15 {
namespace {

namespace fs = std::filesystem;

FileStamp fromStat(const struct stat& st) {
  return {static_cast<std::int64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

}  // namespace

DataFiles::DataFiles(fs::path data_dir) : root_(std::move(data_dir)) {
  std::error_code ec;
  canonical_root_ = fs::canonical(root_, ec);
  if (ec) canonical_root_ = root_;
}

FileStamp DataFiles::stamp(const std::string& relative) const {
  struct stat st {};
  if (::lstat((root_ / relative).c_str(), &st) != 0) return {};
  return fromStat(st);
}

bool DataFiles::directoryInside(const fs::path& dir) {
  const std::string key = dir.string();
  if (auto it = checked_dirs_.find(key); it != checked_dirs_.end()) return it->second;
  std::error_code ec;
  const fs::path real = fs::canonical(dir, ec);
  bool inside = false;
  if (!ec) {
    const auto rel = real.lexically_relative(canonical_root_);
    inside = !rel.empty() && *rel.begin() != "..";
  }
  checked_dirs_[key] = inside;
  return inside;
}

DataFiles::Read DataFiles::read(const std::string& relative) {
  Read out;
  const fs::path full = root_ / relative;
  if (!directoryInside(full.parent_path())) {
    out.error = "its folder is missing or resolves outside Data/";
    return out;
  }
  const int fd = ::open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    out.error = err == ELOOP ? "is a symbolic link, refused" : err == ENOENT ? "is missing" : std::string(std::strerror(err));
    return out;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    out.error = "is not a regular file";
    return out;
  }
  out.stamp = fromStat(st);
  if (out.stamp.size > kMaxEventFileBytes) {
    ::close(fd);
    out.error = "is larger than " + std::to_string(kMaxEventFileBytes) + " bytes, refused";
    return out;
  }
  out.bytes.resize(static_cast<std::size_t>(out.stamp.size));
  std::size_t done = 0;
  while (done < out.bytes.size()) {
    const ssize_t n = ::read(fd, out.bytes.data() + done, out.bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  // A file that shrank while it was read keeps the bytes it had; the size check then refuses it.
  out.bytes.resize(done);
  return out;
}

}  // namespace calsync::olk15
