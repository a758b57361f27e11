// POSIX permissions for the token key and the encrypted token file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/errors.h"
#include "oauth/encoding.h"
#include "oauth/key_file.h"

namespace calsync::oauth {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errnoText() { return std::strerror(errno); }

std::string readChecked(int fd, const std::filesystem::path& path) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw ConnectorError(ErrorKind::Config, "cannot stat " + path.string() + ": " + errnoText());
  if (!S_ISREG(info.st_mode)) throw ConnectorError(ErrorKind::Config, path.string() + " is not a regular file");
  if ((info.st_mode & 077) != 0) {
    throw ConnectorError(ErrorKind::Config, "the token key " + path.string() +
                                                " is accessible to group or others; refusing to use it (run chmod 600 " +
                                                path.string() + ", then sign in again if it may have leaked)");
  }
  if (info.st_uid != ::geteuid()) {
    throw ConnectorError(ErrorKind::Config, "the token key " + path.string() + " belongs to another user; refusing to use it");
  }
  std::string key(kKeyBytes + 1, '\0');
  std::size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw ConnectorError(ErrorKind::Config, "cannot read " + path.string() + ": " + errnoText());
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != kKeyBytes) {
    throw ConnectorError(ErrorKind::Config, "the token key " + path.string() + " is damaged (expected " +
                                                std::to_string(kKeyBytes) + " bytes)");
  }
  key.resize(kKeyBytes);
  return key;
}

void writeAll(int fd, const std::string& bytes, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw ConnectorError(ErrorKind::Config, "cannot write " + path.string() + ": " + errnoText());
    done += static_cast<std::size_t>(n);
  }
}

void ensureDirectory(const std::filesystem::path& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return;
  ensureDirectory(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    throw ConnectorError(ErrorKind::Config, "cannot create " + dir.string() + ": " + errnoText());
  }
}

// "<path>.<random>.tmp" beside `path`.
std::filesystem::path uniqueTemporary(const std::filesystem::path& path) {
  return path.string() + "." + base64UrlEncode(randomBytes(9)) + ".tmp";
}

}  // namespace

std::string loadKey(const std::filesystem::path& path) {
  Fd file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (file.fd < 0) throw ConnectorError(ErrorKind::Config, "cannot open the token key " + path.string() + ": " + errnoText());
  return readChecked(file.fd, path);
}

std::string loadOrCreateKey(const std::filesystem::path& path) {
  ensureDirectory(path.parent_path());
  {
    Fd existing;
    existing.fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (existing.fd >= 0) return readChecked(existing.fd, path);
    if (errno != ENOENT) throw ConnectorError(ErrorKind::Config, "cannot open the token key " + path.string() + ": " + errnoText());
  }
  // The key is written in full under a private name and then linked into place: link() fails
  // when the name exists, so two processes creating it at once (calsyncd and calsyncctl) agree on
  // one key, and nobody ever reads a key file that is still empty.
  const std::string key = randomBytes(kKeyBytes);
  const std::filesystem::path temporary = uniqueTemporary(path);
  {
    Fd file;
    file.fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (file.fd < 0) throw ConnectorError(ErrorKind::Config, "cannot create the token key " + temporary.string() + ": " + errnoText());
    writeAll(file.fd, key, temporary);
    if (::fsync(file.fd) != 0) throw ConnectorError(ErrorKind::Config, "cannot sync " + temporary.string() + ": " + errnoText());
  }
  const int linked = ::link(temporary.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temporary.c_str());
  if (linked == 0) return key;
  if (link_errno != EEXIST) {
    throw ConnectorError(ErrorKind::Config, "cannot create the token key " + path.string() + ": " + std::strerror(link_errno));
  }
  return loadKey(path);  // made by someone else a moment ago: use theirs
}

void writePrivateFile(const std::filesystem::path& path, const std::string& bytes) {
  ensureDirectory(path.parent_path());
  // A name of its own per writer, so two writers never write into each other's file.
  const std::filesystem::path temporary = uniqueTemporary(path);
  {
    Fd file;
    file.fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (file.fd < 0) throw ConnectorError(ErrorKind::Config, "cannot create " + temporary.string() + ": " + errnoText());
    try {
      writeAll(file.fd, bytes, temporary);
      if (::fsync(file.fd) != 0) throw ConnectorError(ErrorKind::Config, "cannot sync " + temporary.string() + ": " + errnoText());
    } catch (...) {
      ::unlink(temporary.c_str());
      throw;
    }
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = errnoText();
    ::unlink(temporary.c_str());
    throw ConnectorError(ErrorKind::Config, "cannot replace " + path.string() + ": " + reason);
  }
}

}  // namespace calsync::oauth
