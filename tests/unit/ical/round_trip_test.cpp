#include <gtest/gtest.h>

#include <filesystem>

#include "core/hash.h"
#include "tests/unit/ical/fixtures.h"

namespace calsync::ical {
namespace {

using test::fixtureDir;
using test::readFixture;

void expectRoundTrip(const CalendarObject& object, const std::string& where) {
  for (const bool quiet : {false, true}) {
    const std::string text = serialize(object, SerializeOptions{quiet});
    const ParsedCalendar reread = parse(text);
    EXPECT_TRUE(reread.warnings.empty()) << where << ": " << reread.warnings.at(0).message;
    ASSERT_EQ(reread.objects.size(), 1u) << where;
    const CalendarObject& back = reread.objects[0];
    EXPECT_EQ(contentHash(back), contentHash(object)) << where << "\n" << text;
    EXPECT_EQ(back.span_start_utc, object.span_start_utc) << where;
    EXPECT_EQ(back.span_end_utc, object.span_end_utc) << where;
    // And again: serializing what was read back is stable too.
    const ParsedCalendar twice = parse(serialize(back, SerializeOptions{quiet}));
    ASSERT_EQ(twice.objects.size(), 1u) << where;
    EXPECT_EQ(contentHash(twice.objects[0]), contentHash(object)) << where;
  }
}

TEST(IcalRoundTrip, EveryFixtureObjectKeepsItsHash) {
  std::size_t objects = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtureDir())) {
    if (entry.path().extension() != ".ics") continue;
    const std::string name = entry.path().filename().string();
    const ParsedCalendar parsed = parse(readFixture(name));
    for (const auto& object : parsed.objects) {
      expectRoundTrip(object, name + " " + object.uid);
      ++objects;
    }
  }
  EXPECT_GE(objects, 14u);
}

TEST(IcalRoundTrip, HandBuiltObjectWithEveryField) {
  CalendarObject object;
  object.uid = "built-everything@example.com";
  object.origin = "calsync:a/s/c/built-everything@example.com";
  Event master;
  master.uid = object.uid;
  master.summary = "Planning, review; and \\ more";
  master.description = "Line one\nLine two\n\nÜmlaut 日本 😀";
  master.location = "Room 1";
  master.start = *DateTime::fromIcalValue("20260302T100000", "Europe/Berlin");
  master.end = *DateTime::fromIcalValue("20260302T113000", "Europe/Berlin");
  master.recurrence.rrule = "FREQ=WEEKLY;UNTIL=20260430T080000Z;BYDAY=MO,WE";
  master.recurrence.exdates.push_back(*DateTime::fromIcalValue("20260304T100000", "Europe/Berlin"));
  master.recurrence.rdates.push_back(*DateTime::fromIcalValue("20260307T100000", "Europe/Berlin"));
  master.status = EventStatus::Confirmed;
  master.transparency = Transparency::Transparent;
  master.privacy = PrivacyClass::Private;
  master.organizer = Person{"boss@example.com", "The Boss"};
  master.attendees.push_back({{"a@example.com", "A, Person"}, AttendeeRole::Chair, ParticipationStatus::Accepted, true});
  master.attendees.push_back({{"b@example.com", ""}, AttendeeRole::Optional, ParticipationStatus::Tentative, false});
  master.categories = {"Work", "Planning, big"};
  master.reminders.push_back({-600, false, "DISPLAY", "Soon"});
  master.reminders.push_back({0, true, "AUDIO", ""});
  master.url = "https://example.com/x";
  master.sequence = 2;
  master.extra_properties.push_back({"X-MICROSOFT-CDO-BUSYSTATUS", "", "OOF"});
  master.extra_properties.push_back({"X-WITH-PARAM", "X-A=1;X-B=\"x:y\"", "value"});
  Event moved = master;
  moved.recurrence = {};
  moved.recurrence_id = *DateTime::fromIcalValue("20260309T100000", "Europe/Berlin");
  moved.start = *DateTime::fromIcalValue("20260310T120000Z");
  moved.end = *DateTime::fromIcalValue("20260310T130000Z");
  moved.summary = "Moved";
  object.components = {master, moved};
  computeSpan(object);
  expectRoundTrip(object, "hand-built");
}

}  // namespace
}  // namespace calsync::ical
