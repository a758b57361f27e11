#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/hash.h"
#include "tests/unit/ical/fixtures.h"

namespace calsync::ical {
namespace {

using test::calendar;
using test::objectWithUid;
using test::readFixture;
using test::utc;

std::vector<std::string> physicalLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find("\r\n", pos);
    if (end == std::string::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

bool isValidUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

TEST(IcalSerialize, WritesOneWellFormedVcalendar) {
  const ParsedCalendar parsed = parse(readFixture("unicode.ics"));
  const std::string text = serialize(parsed.objects.at(0));
  const auto lines = physicalLines(text);
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[0], "BEGIN:VCALENDAR");
  EXPECT_EQ(lines[1], "VERSION:2.0");
  EXPECT_EQ(lines[2], "PRODID:-//calsync//calsync 0.1//EN");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  EXPECT_EQ(text.substr(text.size() - 2), "\r\n");
  EXPECT_EQ(text.find("METHOD"), std::string::npos);
  EXPECT_EQ(count(text, "\n"), count(text, "\r\n"));  // no bare LF
  EXPECT_EQ(count(text, "DTSTAMP:"), 1u);
  bool folded = false;
  for (const auto& line : lines) {
    EXPECT_LE(line.size(), 75u) << line;
    // Folding never splits a multi-byte character.
    EXPECT_TRUE(isValidUtf8(line)) << line;
    folded = folded || (!line.empty() && line[0] == ' ');
  }
  EXPECT_TRUE(folded);
}

TEST(IcalSerialize, SuppressSchedulingMarksOrganizerAndAttendees) {
  const ParsedCalendar parsed = parse(readFixture("properties.ics"));
  const CalendarObject& object = parsed.objects.at(0);
  const std::string plain = serialize(object);
  EXPECT_EQ(plain.find("SCHEDULE-AGENT"), std::string::npos);
  const std::string quiet = serialize(object, SerializeOptions{true});
  EXPECT_EQ(count(quiet, "SCHEDULE-AGENT=CLIENT"), 4u);  // organizer + 3 attendees
  const ParsedCalendar reread = parse(quiet);
  ASSERT_EQ(reread.objects.size(), 1u);
  EXPECT_EQ(contentHash(reread.objects[0]), contentHash(object));
}

TEST(IcalSerialize, WritesOriginOnlyWhenSet) {
  ParsedCalendar parsed = parse(readFixture("allday.ics"));
  CalendarObject object = objectWithUid(parsed, "holiday@example.com");
  EXPECT_EQ(serialize(object).find("X-CALSYNC-ORIGIN"), std::string::npos);
  object.origin = "calsync:agent-1/home/cal;one,two/holiday@example.com";
  const std::string text = serialize(object);
  EXPECT_NE(text.find("X-CALSYNC-ORIGIN"), std::string::npos);
  const ParsedCalendar reread = parse(text);
  ASSERT_EQ(reread.objects.size(), 1u);
  EXPECT_EQ(reread.objects[0].origin, object.origin);
  for (const auto& x : reread.objects[0].components.at(0).extra_properties) EXPECT_NE(x.name, "X-CALSYNC-ORIGIN");
}

TEST(IcalSerialize, AddsVtimezonesForZonesTheObjectOnlyNames) {
  ParsedCalendar parsed = parse(readFixture("windows_zone.ics"));
  const CalendarObject& windows = parsed.objects.at(0);
  ASSERT_TRUE(windows.vtimezones.empty());
  const std::string text = serialize(windows);
  EXPECT_NE(text.find("BEGIN:VTIMEZONE"), std::string::npos);
  EXPECT_NE(text.find("TZID:W. Europe Standard Time"), std::string::npos);
  // Another reader that knows nothing about Windows ids gets the same instants from the VTIMEZONE.
  const ParsedCalendar reread = parse(text);
  ASSERT_EQ(reread.objects.size(), 1u);
  ASSERT_EQ(reread.objects[0].vtimezones.size(), 1u);
  EXPECT_EQ(reread.objects[0].components.at(0).start.utc, windows.components.at(0).start.utc);
  EXPECT_EQ(reread.objects[0].components.at(0).end.utc, utc(2026, 7, 15, 8));

  const ParsedCalendar paris = parse(readFixture("duration_alarm.ics"));
  const std::string paris_text = serialize(objectWithUid(paris, "no-end@example.com"));
  EXPECT_NE(paris_text.find("TZID:Europe/Paris"), std::string::npos);
  EXPECT_EQ(count(paris_text, "BEGIN:VTIMEZONE"), 1u);
}

TEST(IcalSerialize, TextCannotInjectLinesOrComponents) {
  const ParsedCalendar parsed = parse(calendar("BEGIN:VEVENT\nUID:inject\nDTSTART:20260101T100000Z\nEND:VEVENT\n"));
  CalendarObject object = parsed.objects.at(0);
  Event& e = object.components.at(0);
  e.summary = "evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:other";
  e.location = "semi;colon,comma\\backslash";
  e.attendees.push_back({{"x@example.com", "Name \"quoted\"\r\nATTENDEE:mailto:y@example.com"}, {}, {}, false});
  e.extra_properties.push_back({"X-GOOD", "", "kept"});
  e.extra_properties.push_back({"BAD NAME\r\nBEGIN", "", "dropped"});
  e.extra_properties.push_back({"X-VALUE", "", "one\r\nBEGIN:VEVENT"});
  const std::string text = serialize(object);
  const auto lines = physicalLines(text);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "BEGIN:VEVENT"), 1);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "END:VEVENT"), 1);
  const ParsedCalendar reread = parse(text);
  ASSERT_EQ(reread.objects.size(), 1u);
  const Event& back = reread.objects[0].components.at(0);
  EXPECT_EQ(back.summary, "evil\nEND:VEVENT\nBEGIN:VEVENT\nUID:other");
  EXPECT_EQ(back.location, e.location);
  ASSERT_EQ(back.attendees.size(), 1u);
  EXPECT_EQ(back.attendees[0].person.email, "x@example.com");
  std::set<std::string> extras;
  for (const auto& x : back.extra_properties) extras.insert(x.name);
  EXPECT_EQ(extras, (std::set<std::string>{"X-GOOD", "X-VALUE"}));
}

}  // namespace
}  // namespace calsync::ical
