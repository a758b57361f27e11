// Shared setup for the olk15 tests: a sample profile (tests/fixtures/olk15) in a fresh
// directory at a fixed "now", and connector options pointing at it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/date_time.h"
#include "core/log.h"
#include "olk15/olk15_connector.h"
#include "olk15_fixture.h"
#include "tests/support/temp_dir.h"

namespace calsync::olk15::test {

namespace fx = calsync::olk15::fixture;

// 2026-06-15 12:00 UTC: summer time in New York and Berlin, far from any DST change.
inline const std::int64_t kNow = civilToEpoch(2026, 6, 15, 12, 0, 0);
inline constexpr std::int64_t kDay = 86400;

struct SampleStore {
  calsync::testing::TempDir dir;
  fx::ProfileBuilder profile{dir.path() / "Outlook 15 Profiles"};
  std::map<std::string, fx::EventSpec> events = fx::writeSampleProfile(profile, kNow);

  Olk15Options options() const {
    Olk15Options o;
    o.profile_root = profile.profileDir().string();
    o.state_dir = dir.path() / "state";
    o.busy_timeout_ms = 50;
    o.listing_reuse = std::chrono::seconds(0);
    return o;
  }
  Window window() const { return {kNow - 30 * kDay, kNow + 90 * kDay}; }
  std::string path(const std::string& name) const { return profile.relativePathOf(events.at(name)); }
};

inline const CalendarObject* objectWithUid(const ChangeSet& changes, const std::string& uid) {
  for (const auto& o : changes.upserts) {
    if (o.uid == uid) return &o;
  }
  return nullptr;
}

inline bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

inline const ExtraProperty* extra(const Event& e, const std::string& name) {
  for (const auto& x : e.extra_properties) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

// Collects log lines while alive (event content must only appear at debug level).
class LogCapture {
 public:
  LogCapture() {
    log::setSink([this](log::Level level, std::string_view component, std::string_view message) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.push_back({level, std::string(component) + " " + std::string(message)});
    });
  }
  ~LogCapture() {
    log::setSink([](log::Level level, std::string_view component, std::string_view message) {
      if (level >= log::Level::Warning) {
        std::fprintf(stderr, "%s [%.*s] %.*s\n", log::toString(level), static_cast<int>(component.size()),
                     component.data(), static_cast<int>(message.size()), message.data());
      }
    });
  }
  std::vector<std::string> atOrAbove(log::Level min) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [level, text] : lines_) {
      if (level >= min) out.push_back(text);
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<log::Level, std::string>> lines_;
};

}  // namespace calsync::olk15::test
