#include <gtest/gtest.h>

#include "tests/unit/ical/fixtures.h"

namespace calsync::ical {
namespace {

using test::calendar;
using test::objectWithUid;
using test::readFixture;
using test::utc;

std::int64_t startUtc(const ParsedCalendar& parsed, const std::string& uid) {
  const CalendarObject& object = objectWithUid(parsed, uid);
  if (object.components.empty() || !object.components[0].start.utc) {
    ADD_FAILURE() << "start of " << uid << " unresolved";
    return 0;
  }
  return *object.components[0].start.utc;
}

TEST(IcalZones, CustomVtimezoneIsResolvedFromItsOwnRules) {
  // "Customized Time Zone": UTC+3 in winter, UTC+4 from the last Sunday of March.
  const ParsedCalendar parsed = parse(readFixture("custom_zone.ics"));
  EXPECT_TRUE(parsed.warnings.empty());
  EXPECT_EQ(startUtc(parsed, "040000008200E00074C5B7101A82E00800000000"), utc(2026, 1, 15, 7));
  EXPECT_EQ(startUtc(parsed, "040000008200E00074C5B7101A82E00800000001"), utc(2026, 7, 15, 6));
  const CalendarObject& winter = objectWithUid(parsed, "040000008200E00074C5B7101A82E00800000000");
  EXPECT_EQ(winter.components.at(0).start.tzid, "Customized Time Zone");
  ASSERT_EQ(winter.vtimezones.size(), 1u);
  EXPECT_EQ(winter.span_start_utc, utc(2026, 1, 15, 7));
  EXPECT_EQ(winter.span_end_utc, utc(2026, 1, 15, 8));
}

TEST(IcalZones, WindowsZoneIdIsResolvedThroughCldr) {
  const ParsedCalendar parsed = parse(readFixture("windows_zone.ics"));
  const Event& e = objectWithUid(parsed, "windows-zone@example.com").components.at(0);
  EXPECT_EQ(e.start.tzid, "W. Europe Standard Time");
  ASSERT_TRUE(e.start.utc);
  ASSERT_TRUE(e.end.utc);
  EXPECT_EQ(*e.start.utc, utc(2026, 1, 15, 9));  // CET
  EXPECT_EQ(*e.end.utc, utc(2026, 7, 15, 8));    // CEST
}

TEST(IcalZones, TheObjectsOwnVtimezoneWinsOverTheIanaDatabase) {
  // A server that ships its own (here: odd) definition under an IANA name is taken at its word.
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0500\n"
      "TZOFFSETTO:+0500\nEND:STANDARD\nEND:VTIMEZONE\n"
      "BEGIN:VEVENT\nUID:own\nDTSTART;TZID=Europe/Berlin:20260115T100000\nEND:VEVENT\n"));
  EXPECT_EQ(startUtc(parsed, "own"), utc(2026, 1, 15, 5));
}

TEST(IcalZones, PrefixedZoneIdsAndUnknownZones) {
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VEVENT\nUID:prefixed\nDTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20260115T100000\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:unknown\nDTSTART;TZID=Atlantis/Capital:20260115T100000\n"
      "DTEND;TZID=Atlantis/Capital:20260115T110000\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:floating\nDTSTART:20260115T100000\nEND:VEVENT\n"));
  EXPECT_EQ(startUtc(parsed, "prefixed"), utc(2026, 1, 15, 15));
  EXPECT_EQ(startUtc(parsed, "floating"), utc(2026, 1, 15, 10));
  // An unknown zone stays unresolved, but the span is still usable (read as UTC).
  const CalendarObject& unknown = objectWithUid(parsed, "unknown");
  EXPECT_FALSE(unknown.components.at(0).start.utc.has_value());
  EXPECT_EQ(unknown.span_start_utc, utc(2026, 1, 15, 10));
  EXPECT_EQ(unknown.span_end_utc, utc(2026, 1, 15, 11));
}

TEST(IcalZones, ComputeSpanFillsInstantsOfAHandBuiltObject) {
  CalendarObject object;
  object.uid = "built";
  Event e;
  e.uid = "built";
  e.start = *DateTime::fromIcalValue("20260701T090000", "Asia/Tokyo");
  e.end = *DateTime::fromIcalValue("20260701T100000", "Asia/Tokyo");
  e.recurrence.rrule = "FREQ=DAILY;COUNT=3";
  e.recurrence.exdates.push_back(*DateTime::fromIcalValue("20260702T000000Z"));
  object.components.push_back(e);
  computeSpan(object);
  ASSERT_TRUE(object.components[0].start.utc);
  EXPECT_EQ(*object.components[0].start.utc, utc(2026, 7, 1, 0));
  EXPECT_EQ(*object.components[0].recurrence.exdates[0].utc, utc(2026, 7, 2, 0));
  EXPECT_EQ(object.span_start_utc, utc(2026, 7, 1, 0));
  EXPECT_EQ(object.span_end_utc, utc(2026, 7, 3, 1));
  // The EXDATE (given in UTC) removes the second day's occurrence.
  EXPECT_EQ(expand(object, Window{utc(2026, 6, 1), utc(2026, 8, 1)}).size(), 2u);
}

}  // namespace
}  // namespace calsync::ical
