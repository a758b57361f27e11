// Helpers for the iCalendar tests: fixture files and lookups in parse results.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/date_time.h"
#include "ical/ical_codec.h"

namespace calsync::ical::test {

inline std::filesystem::path fixtureDir() { return std::filesystem::path(CALSYNC_SOURCE_DIR) / "tests/fixtures/ics"; }

inline std::string readFixture(const std::string& name) {
  std::ifstream in(fixtureDir() / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The object with `uid`; fails the test (and returns a stand-in) when there is none.
inline const CalendarObject& objectWithUid(const ParsedCalendar& parsed, const std::string& uid) {
  for (const auto& object : parsed.objects) {
    if (object.uid == uid) return object;
  }
  ADD_FAILURE() << "no object with UID " << uid;
  static const CalendarObject missing;
  return missing;
}

inline std::int64_t utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) { return civilToEpoch(y, mo, d, h, mi, s); }

// Wraps VEVENT lines (and any VTIMEZONE before them) in a VCALENDAR.
inline std::string calendar(const std::string& body) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calsync tests//inline//EN\r\n" + body + "END:VCALENDAR\r\n";
}

}  // namespace calsync::ical::test
