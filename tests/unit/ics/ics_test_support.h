// Helpers for the ics connector tests: scratch folders and a log sink that records warnings.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "core/log.h"

namespace calsync::ics::test {

namespace fs = std::filesystem;

// A fresh folder under the build tree, removed again at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device random;
    path_ = fs::path(CALSYNC_BINARY_DIR) / "test-scratch" / ("ics-" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& bytes) const {
    std::ofstream out(path_ / name, std::ios::binary);
    out << bytes;
    return path_ / name;
  }
  fs::path copyFixture(const std::string& fixture, const std::string& name) const {
    fs::copy_file(fs::path(CALSYNC_SOURCE_DIR) / "tests/fixtures/ics" / fixture, path_ / name);
    return path_ / name;
  }

 private:
  fs::path path_;
};

// Captures log lines while alive, then restores the default stderr sink.
class LogCapture {
 public:
  LogCapture() {
    log::setSink([this](log::Level level, std::string_view component, std::string_view message) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.push_back(std::string(log::toString(level)) + " " + std::string(component) + " " + std::string(message));
    });
  }
  ~LogCapture() {
    log::setSink([](log::Level level, std::string_view component, std::string_view message) {
      if (level >= log::Level::Warning) std::fprintf(stderr, "%s [%.*s] %.*s\n", log::toString(level),
                                                     static_cast<int>(component.size()), component.data(),
                                                     static_cast<int>(message.size()), message.data());
    });
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace calsync::ics::test
