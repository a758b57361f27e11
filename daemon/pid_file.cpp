#include "daemon/pid_file.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace calsync::daemon {

PidFile::PidFile(std::string path) : path_(std::move(path)) {
  // Written beside the target and renamed, so a reader never sees a half-written pid.
  const std::string temporary = path_ + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << ::getpid() << '\n';
    if (!out) throw std::runtime_error("cannot write pid file " + path_);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path_, ec);
  if (ec) throw std::runtime_error("cannot write pid file " + path_ + ": " + ec.message());
}

PidFile::~PidFile() {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace calsync::daemon
