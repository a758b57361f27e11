// Google event resources <-> the model, without a server: recurrence with moved and cancelled
// instances, all-day events, zones (IANA, offsets, Windows names), non-ASCII text.
#include "core/hash.h"
#include "ical/zone_lookup.h"
#include "oauth/json_access.h"
#include "tests/unit/google/google_fixture.h"

namespace calsync::google::testing {
namespace {

json::Object::Ptr parse(const std::string& text) { return json::parseObject(text, "test"); }

TEST(GoogleMapping, SeriesWithMovedAndCancelledInstancesBecomesMasterOverrideAndExdate) {
  SeriesItems series;
  series.master = parse(R"({"id":"m1","iCalUID":"m1@google.com","etag":"\"7\"","status":"confirmed",
      "summary":"Weekly","start":{"dateTime":"2026-03-02T09:00:00+01:00","timeZone":"Europe/Berlin"},
      "end":{"dateTime":"2026-03-02T10:00:00+01:00","timeZone":"Europe/Berlin"},
      "recurrence":["RRULE:FREQ=WEEKLY;COUNT=10","EXDATE;TZID=Europe/Berlin:20260316T090000"]})");
  series.exceptions.push_back(parse(R"J({"id":"m1_20260309T080000Z","iCalUID":"m1@google.com","etag":"\"8\"",
      "status":"confirmed","recurringEventId":"m1","summary":"Weekly (later)",
      "originalStartTime":{"dateTime":"2026-03-09T08:00:00Z","timeZone":"Europe/Berlin"},
      "start":{"dateTime":"2026-03-09T15:00:00+01:00","timeZone":"Europe/Berlin"},
      "end":{"dateTime":"2026-03-09T16:00:00+01:00","timeZone":"Europe/Berlin"}})J"));
  // A cancelled instance carries only its identity.
  series.cancelled.push_back(parse(R"({"id":"m1_20260323T080000Z","status":"cancelled","recurringEventId":"m1",
      "originalStartTime":{"dateTime":"2026-03-23T09:00:00+01:00","timeZone":"Europe/Berlin"}})"));
  std::vector<ReadWarning> warnings;
  CalendarObject object = objectFromSeries("m1", series, "UTC", warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(object.native_id, "m1");
  EXPECT_EQ(object.uid, "m1@google.com");
  EXPECT_EQ(object.etag, "\"7\"");
  ASSERT_EQ(object.components.size(), 2u);
  const Event& master = object.components[0];
  EXPECT_EQ(master.recurrence.rrule, "FREQ=WEEKLY;COUNT=10");
  ASSERT_EQ(master.recurrence.exdates.size(), 2u);
  EXPECT_EQ(master.recurrence.exdates[0].toIcalValue(), "20260316T090000");
  EXPECT_EQ(master.recurrence.exdates[0].tzid, "Europe/Berlin");
  EXPECT_EQ(master.recurrence.exdates[1].toIcalValue(), "20260323T090000");
  EXPECT_EQ(master.recurrence.exdates[1].tzid, "Europe/Berlin");
  const Event& moved = object.components[1];
  ASSERT_TRUE(moved.recurrence_id);
  EXPECT_EQ(moved.recurrence_id->toIcalValue(), "20260309T090000") << "RECURRENCE-ID in the series' zone";
  EXPECT_EQ(moved.recurrence_id->tzid, "Europe/Berlin");
  EXPECT_EQ(moved.start.hour, 15);
  EXPECT_EQ(moved.uid, object.uid);
  const auto occurrences = ical::expand(object, Window{civilToEpoch(2026, 3, 1, 0, 0, 0), civilToEpoch(2026, 4, 1, 0, 0, 0)});
  ASSERT_EQ(occurrences.size(), 3u);  // 2, 9 (moved), 30 March; 16 and 23 cancelled
  EXPECT_EQ(occurrences[1].start_utc, civilToEpoch(2026, 3, 9, 14, 0, 0));
}

TEST(GoogleMapping, ACancelledInstanceOfAnAllDaySeriesIsADateExdate) {
  SeriesItems series;
  series.master = parse(R"({"id":"d1","iCalUID":"d1@x","summary":"Daily","start":{"date":"2026-07-01"},
      "end":{"date":"2026-07-02"},"recurrence":["RRULE:FREQ=DAILY;COUNT=3"]})");
  series.cancelled.push_back(parse(R"({"id":"d1_20260702","status":"cancelled","recurringEventId":"d1",
      "originalStartTime":{"date":"2026-07-02"}})"));
  std::vector<ReadWarning> warnings;
  CalendarObject object = objectFromSeries("d1", series, "Europe/Berlin", warnings);
  ASSERT_EQ(object.components[0].recurrence.exdates.size(), 1u);
  EXPECT_TRUE(object.components[0].recurrence.exdates[0].is_date);
  EXPECT_EQ(object.components[0].recurrence.exdates[0].toIcalValue(), "20260702");
  EXPECT_TRUE(object.components[0].start.is_date);
  EXPECT_EQ(object.components[0].end.toIcalValue(), "20260702") << "the end date stays exclusive";
}

TEST(GoogleMapping, ZonesComeFromTheEventTheCalendarOrTheOffset) {
  std::vector<ReadWarning> warnings;
  SeriesItems ny;
  ny.master = parse(R"({"id":"a","iCalUID":"a@x","start":{"dateTime":"2026-01-05T09:00:00-05:00","timeZone":"America/New_York"},
      "end":{"dateTime":"2026-01-05T10:00:00-05:00","timeZone":"America/New_York"}})");
  CalendarObject a = objectFromSeries("a", ny, "UTC", warnings);
  EXPECT_EQ(a.components[0].start.tzid, "America/New_York");
  EXPECT_EQ(a.components[0].start.hour, 9);

  SeriesItems calendar_zone;  // no timeZone on the event: the calendar's zone names the wall time
  calendar_zone.master = parse(R"({"id":"b","iCalUID":"b@x","start":{"dateTime":"2026-01-05T08:00:00Z"},
      "end":{"dateTime":"2026-01-05T09:00:00Z"}})");
  CalendarObject b = objectFromSeries("b", calendar_zone, "Asia/Tokyo", warnings);
  EXPECT_EQ(b.components[0].start.tzid, "Asia/Tokyo");
  EXPECT_EQ(b.components[0].start.hour, 17);

  CalendarObject c = objectFromSeries("b", calendar_zone, "", warnings);
  EXPECT_TRUE(c.components[0].start.isUtc());
  EXPECT_EQ(c.components[0].start.hour, 8);

  // Across a DST change the series keeps 09:00 local.
  SeriesItems dst;
  dst.master = parse(R"({"id":"d","iCalUID":"d@x","start":{"dateTime":"2026-03-01T09:00:00","timeZone":"America/New_York"},
      "end":{"dateTime":"2026-03-01T10:00:00","timeZone":"America/New_York"},"recurrence":["RRULE:FREQ=WEEKLY;COUNT=3"]})");
  CalendarObject d = objectFromSeries("d", dst, "UTC", warnings);
  const auto occurrences = ical::expand(d, Window{civilToEpoch(2026, 2, 1, 0, 0, 0), civilToEpoch(2026, 4, 1, 0, 0, 0)});
  ASSERT_EQ(occurrences.size(), 3u);
  EXPECT_EQ(occurrences[0].start_utc % 86400, 14 * 3600);
  EXPECT_EQ(occurrences[2].start_utc % 86400, 13 * 3600);
}

TEST(GoogleMapping, AnUnreadableInstanceIsSkippedWithAWarningNotADeletion) {
  SeriesItems series;
  series.master = parse(R"({"id":"m","iCalUID":"m@x","start":{"date":"2026-07-01"},"end":{"date":"2026-07-02"},
      "recurrence":["RRULE:FREQ=DAILY;COUNT=3","EXRULE:FREQ=WEEKLY"]})");
  series.exceptions.push_back(parse(R"({"id":"m_x","recurringEventId":"m","start":{"dateTime":"garbage"}})"));
  std::vector<ReadWarning> warnings;
  CalendarObject object = objectFromSeries("m", series, "UTC", warnings);
  EXPECT_EQ(object.components.size(), 1u);
  EXPECT_EQ(warnings.size(), 2u);  // the EXRULE line and the broken instance
  SeriesItems broken;
  broken.master = parse(R"({"id":"z","iCalUID":"z@x"})");
  EXPECT_THROW(objectFromSeries("z", broken, "UTC", warnings), ConnectorError);
}

TEST(GoogleMapping, WrittenBodiesRoundTripTheContentAndNeverCarryAttendees) {
  CalendarObject object = objectFromIcs(
      "BEGIN:VEVENT\r\nUID:round-trip-1\r\nDTSTAMP:20260101T000000Z\r\n"
      "DTSTART;TZID=W. Europe Standard Time:20260302T090000\r\nDTEND;TZID=W. Europe Standard Time:20260302T100000\r\n"
      "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4\r\nEXDATE;TZID=W. Europe Standard Time:20260309T090000\r\n"
      "SUMMARY:Zoë's „Jour fixe“ ☕\r\nDESCRIPTION:Line one\\nLine two\r\nLOCATION:Café Müller\r\n"
      "STATUS:CONFIRMED\r\nTRANSP:TRANSPARENT\r\nCLASS:PRIVATE\r\nURL:https://example.com/x\r\n"
      "ORGANIZER:mailto:o@example.com\r\nATTENDEE:mailto:a@example.com\r\n"
      "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:x\r\nEND:VALARM\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:round-trip-1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=W. Europe Standard Time:20260316T090000\r\n"
      "DTSTART;TZID=W. Europe Standard Time:20260316T110000\r\nDTEND;TZID=W. Europe Standard Time:20260316T120000\r\n"
      "SUMMARY:Later\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:round-trip-1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=W. Europe Standard Time:20260323T090000\r\n"
      "DTSTART;TZID=W. Europe Standard Time:20260323T090000\r\nDTEND;TZID=W. Europe Standard Time:20260323T100000\r\n"
      "STATUS:CANCELLED\r\nEND:VEVENT\r\n");
  object.origin = "calsync:x/y/z/round-trip-1";
  auto body = masterBody(object, "UTC");
  EXPECT_FALSE(body->has("attendees"));
  EXPECT_FALSE(body->has("organizer"));
  EXPECT_EQ(json::text(json::object(body, "start"), "timeZone"), "Europe/Berlin") << "Windows zone names become IANA";
  const auto lines = json::strings(body, "recurrence");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "RRULE:" + object.master()->recurrence.rrule);
  EXPECT_EQ(lines[1], "EXDATE;TZID=Europe/Berlin:20260309T090000,20260323T090000") << "cancelled override = EXDATE";

  // What Google would store and list back.
  body->set("id", eventIdForUid(object.uid));
  body->set("iCalUID", eventIdForUid(object.uid) + "@google.com");
  SeriesItems series;
  series.master = json::parseObject(json::stringify(body), "stored");
  auto instance = instanceBody(object.components[1], object, "UTC");
  instance->set("id", "i1");
  instance->set("recurringEventId", body->getValue<std::string>("id"));
  json::Object::Ptr original = new json::Object;
  original->set("dateTime", originalStartParameter(*object.components[1].recurrence_id, "UTC"));
  original->set("timeZone", "Europe/Berlin");
  instance->set("originalStartTime", original);
  series.exceptions.push_back(json::parseObject(json::stringify(instance), "instance"));
  std::vector<ReadWarning> warnings;
  CalendarObject back = objectFromSeries("id", series, "UTC", warnings);
  EXPECT_EQ(back.uid, "round-trip-1") << "the UID comes back from the private property";
  EXPECT_EQ(back.origin, object.origin);
  const Event& m = back.components[0];
  EXPECT_EQ(m.summary, "Zoë's „Jour fixe“ ☕");
  EXPECT_EQ(m.description, "Line one\nLine two");
  EXPECT_EQ(m.location, "Café Müller");
  EXPECT_EQ(m.transparency, Transparency::Transparent);
  EXPECT_EQ(m.privacy, PrivacyClass::Private);
  EXPECT_EQ(m.url, "https://example.com/x");
  ASSERT_EQ(m.reminders.size(), 1u);
  EXPECT_EQ(m.reminders[0].offset_seconds, -900);
  EXPECT_TRUE(m.attendees.empty());
  ASSERT_EQ(back.components.size(), 2u);
  EXPECT_EQ(back.components[1].summary, "Later");
  EXPECT_EQ(back.components[1].recurrence_id->toIcalValue(), "20260316T090000");
  // Same occurrences on both sides.
  const Window march{civilToEpoch(2026, 3, 1, 0, 0, 0), civilToEpoch(2026, 4, 1, 0, 0, 0)};
  const auto want = ical::expand(object, march);
  const auto got = ical::expand(back, march);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].start_utc, want[i].start_utc);
}

TEST(GoogleMapping, FloatingTimesAreReadInTheCalendarZoneAndIdsAreBase32hex) {
  CalendarObject object = objectFromIcs("BEGIN:VEVENT\r\nUID:float\r\nDTSTAMP:20260101T000000Z\r\n"
                                        "DTSTART:20260302T090000\r\nDTEND:20260302T100000\r\nEND:VEVENT\r\n");
  auto body = masterBody(object, "Asia/Tokyo");
  EXPECT_EQ(json::text(json::object(body, "start"), "dateTime"), "2026-03-02T09:00:00");
  EXPECT_EQ(json::text(json::object(body, "start"), "timeZone"), "Asia/Tokyo");
  const std::string id = eventIdForUid("any UID with spaces / and ü");
  EXPECT_GE(id.size(), 5u);
  for (char c : id) EXPECT_TRUE((c >= 'a' && c <= 'v') || (c >= '0' && c <= '9')) << id;
  EXPECT_EQ(id, eventIdForUid("any UID with spaces / and ü"));
}

}  // namespace
}  // namespace calsync::google::testing
