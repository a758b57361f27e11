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

#include "core/date_time.h"
#include "core/event.h"
#include "core/log.h"
#include "tests/support/temp_dir.h"

namespace calsync::ics::test {

namespace fs = std::filesystem;

// A fresh folder, removed again at the end of the test, that can also take fixture files.
class ScratchDir : public calsync::testing::TempDir {
 public:
  fs::path copyFixture(const std::string& fixture, const std::string& name) const {
    fs::copy_file(fs::path(CALSYNC_SOURCE_DIR) / "tests/fixtures/ics" / fixture, path() / name);
    return path() / name;
  }
};

// The window the tests read in: all of 2026.
inline const Window kYear2026{civilToEpoch(2026, 1, 1, 0, 0, 0), civilToEpoch(2027, 1, 1, 0, 0, 0)};

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
