// Graph's patternedRecurrence <-> RRULE, and event resources <-> the model (zones, all-day,
// series with exceptions and cancelled occurrences).
#include <gtest/gtest.h>

#include "core/errors.h"
#include "graph/event_json.h"
#include "graph/recurrence.h"
#include "ical/ical_codec.h"
#include "ical/zone_lookup.h"

namespace calsync::graph {
namespace {

json::Object::Ptr parse(const std::string& text) { return json::parseObject(text, "test"); }

DateTime berlin(int y, int m, int d, int h) {
  DateTime v;
  v.year = y;
  v.month = m;
  v.day = d;
  v.hour = h;
  v.tzid = "Europe/Berlin";
  return v;
}

TEST(GraphRecurrence, PatternsRoundTripThroughRrule) {
  const DateTime start = berlin(2026, 3, 6, 9);  // a Friday
  for (const std::string rule : {"FREQ=DAILY;INTERVAL=2;COUNT=10", "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                                 "FREQ=MONTHLY;BYMONTHDAY=6", "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1;COUNT=4",
                                 "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=6", "FREQ=YEARLY;BYMONTH=3;BYDAY=FR;BYSETPOS=1"}) {
    auto pattern = patternFromRrule(rule, start, "W. Europe Standard Time");
    const std::string back = rruleFromPattern(pattern, start);
    // Same occurrences, whatever the order of the parts.
    auto expand = [&](const std::string& rrule) {
      CalendarObject o;
      Event e;
      e.uid = "x";
      e.start = start;
      e.end = start;
      e.end.hour = 10;
      e.recurrence.rrule = rrule;
      o.uid = "x";
      o.components.push_back(e);
      ical::computeSpan(o);
      std::vector<std::int64_t> out;
      for (const auto& occ : ical::expand(o, Window{civilToEpoch(2026, 1, 1, 0, 0, 0), civilToEpoch(2028, 1, 1, 0, 0, 0)}, 50)) {
        out.push_back(occ.start_utc);
      }
      return out;
    };
    EXPECT_EQ(expand(back), expand(rule)) << rule << " came back as " << back;
  }
}

TEST(GraphRecurrence, RangesAndTheirZones) {
  const DateTime start = berlin(2026, 3, 2, 9);
  auto pattern = patternFromRrule("FREQ=WEEKLY;UNTIL=20260330T075959Z", start, "W. Europe Standard Time");
  auto range = json::object(pattern, "range");
  EXPECT_EQ(json::text(range, "type"), "endDate");
  EXPECT_EQ(json::text(range, "endDate"), "2026-03-30");
  EXPECT_EQ(json::text(range, "startDate"), "2026-03-02");
  EXPECT_EQ(json::text(range, "recurrenceTimeZone"), "W. Europe Standard Time");
  EXPECT_EQ(json::strings(json::object(pattern, "pattern"), "daysOfWeek"), std::vector<std::string>{"monday"});
  const std::string back = rruleFromPattern(pattern, start);
  EXPECT_NE(back.find("UNTIL=20260330T215959Z"), std::string::npos) << back << ": the whole last day counts";
  EXPECT_EQ(json::text(json::object(patternFromRrule("FREQ=DAILY", start, "UTC"), "range"), "type"), "noEnd");
}

TEST(GraphRecurrence, RulesGraphCannotHoldAreRefused) {
  const DateTime start = berlin(2026, 3, 2, 9);
  for (const std::string rule : {"FREQ=HOURLY", "FREQ=WEEKLY;BYHOUR=9,15", "FREQ=MONTHLY;BYMONTHDAY=1,15",
                                 "FREQ=MONTHLY;BYDAY=1MO,2TU"}) {
    try {
      patternFromRrule(rule, start, "UTC");
      ADD_FAILURE() << rule << " was accepted";
    } catch (const ConnectorError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::BadData) << rule;
    }
  }
}

TEST(GraphMapping, WindowsZonesAllDayAndHtmlBodies) {
  std::vector<ReadWarning> warnings;
  CalendarObject pst = objectFromSingle(parse(R"({"id":"e1","iCalUId":"u1","subject":"Café ☕","type":"singleInstance",
      "originalStartTimeZone":"Pacific Standard Time","originalEndTimeZone":"Pacific Standard Time",
      "start":{"dateTime":"2026-01-05T17:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-01-05T18:00:00.0000000","timeZone":"UTC"},
      "body":{"contentType":"html","content":"<html><body><p>Hello &amp; welcome</p><p>Line 2</p></body></html>"},
      "showAs":"free","sensitivity":"private","categories":["Blue"],"isReminderOn":true,"reminderMinutesBeforeStart":30,
      "attendees":[{"type":"optional","status":{"response":"accepted"},"emailAddress":{"name":"B","address":"b@x.com"}}]})"),
                                        warnings);
  const Event& e = pst.components[0];
  EXPECT_EQ(e.start.tzid, "America/Los_Angeles");
  EXPECT_EQ(e.start.hour, 9);
  EXPECT_EQ(e.summary, "Café ☕");
  EXPECT_EQ(e.description, "Hello & welcome\nLine 2");
  EXPECT_EQ(e.transparency, Transparency::Transparent);
  EXPECT_EQ(e.privacy, PrivacyClass::Private);
  EXPECT_EQ(e.categories, std::vector<std::string>{"Blue"});
  ASSERT_EQ(e.reminders.size(), 1u);
  EXPECT_EQ(e.reminders[0].offset_seconds, -1800);
  ASSERT_EQ(e.attendees.size(), 1u);
  EXPECT_EQ(e.attendees[0].role, AttendeeRole::Optional);

  CalendarObject day = objectFromSingle(parse(R"({"id":"e2","iCalUId":"u2","isAllDay":true,"originalStartTimeZone":"Tokyo Standard Time",
      "start":{"dateTime":"2026-07-01T00:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-07-03T00:00:00.0000000","timeZone":"UTC"}})"),
                                        warnings);
  EXPECT_TRUE(day.components[0].start.is_date);
  EXPECT_EQ(day.components[0].start.toIcalValue(), "20260701");
  EXPECT_EQ(day.components[0].end.toIcalValue(), "20260703");
  EXPECT_THROW(objectFromSingle(parse(R"({"id":"e3","iCalUId":"u3"})"), warnings), ConnectorError);
}

TEST(GraphMapping, SeriesInstancesBecomeOverridesAndMissingOccurrencesExdates) {
  GraphSeries series;
  series.master = parse(R"({"id":"m","iCalUId":"series-uid","type":"seriesMaster","subject":"Weekly",
      "originalStartTimeZone":"W. Europe Standard Time","originalEndTimeZone":"W. Europe Standard Time",
      "start":{"dateTime":"2026-03-02T08:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-03-02T09:00:00.0000000","timeZone":"UTC"},
      "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"],"firstDayOfWeek":"monday"},
        "range":{"type":"numbered","numberOfOccurrences":5,"startDate":"2026-03-02","recurrenceTimeZone":"W. Europe Standard Time"}}})");
  auto occurrence = [](const std::string& day, const std::string& type, const std::string& start_utc) {
    return parse(R"({"id":"o)" + day + R"(","type":")" + type + R"(","seriesMasterId":"m","subject":")" +
                 (type == "exception" ? "Moved" : "Weekly") + R"(","originalStart":"2026-03-)" + day +
                 R"(T08:00:00Z","start":{"dateTime":")" + start_utc + R"(","timeZone":"UTC"},"end":{"dateTime":")" +
                 start_utc.substr(0, 11) + "23:00:00.0000000" + R"(","timeZone":"UTC"}})");
  };
  series.instances = {occurrence("02", "occurrence", "2026-03-02T08:00:00.0000000"),
                      occurrence("09", "exception", "2026-03-10T13:00:00.0000000"),
                      occurrence("23", "occurrence", "2026-03-23T08:00:00.0000000"),
                      occurrence("30", "occurrence", "2026-03-30T07:00:00.0000000")};
  // 30 March is summer time: the original start of that occurrence is 07:00 UTC.
  series.instances[3]->set("originalStart", "2026-03-30T07:00:00Z");
  series.checked = Window{civilToEpoch(2026, 2, 1, 0, 0, 0), civilToEpoch(2026, 5, 1, 0, 0, 0)};
  std::vector<ReadWarning> warnings;
  CalendarObject object = objectFromSeries(series, warnings);
  ASSERT_EQ(object.components.size(), 2u);
  const Event& master = object.components[0];
  EXPECT_EQ(object.uid, "series-uid");
  EXPECT_EQ(master.start.tzid, "Europe/Berlin");
  EXPECT_EQ(master.start.hour, 9);
  ASSERT_EQ(master.recurrence.exdates.size(), 1u) << "16 March was not listed: cancelled";
  EXPECT_EQ(master.recurrence.exdates[0].toIcalValue(), "20260316T090000");
  EXPECT_EQ(object.components[1].recurrence_id->toIcalValue(), "20260309T090000");
  EXPECT_EQ(object.components[1].summary, "Moved");
  EXPECT_EQ(ical::expand(object, series.checked).size(), 4u);
}

TEST(GraphMapping, WrittenBodiesCarryTheMarkerAndNoAttendees) {
  auto parsed = ical::parse(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:copy-1\r\nDTSTAMP:20260101T000000Z\r\n"
      "DTSTART;TZID=America/New_York:20260302T090000\r\nDTEND;TZID=America/New_York:20260302T100000\r\n"
      "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Sync\r\nATTENDEE:mailto:x@y.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  CalendarObject object = parsed.objects.at(0);
  object.origin = "calsync:a/b/c/d";
  auto body = masterBody(object);
  EXPECT_FALSE(body->has("attendees"));
  EXPECT_EQ(json::text(json::object(body, "start"), "timeZone"), "Eastern Standard Time");
  EXPECT_EQ(json::text(json::object(body, "start"), "dateTime"), "2026-03-02T09:00:00");
  EXPECT_EQ(json::text(json::object(json::object(body, "recurrence"), "range"), "numberOfOccurrences"), "3");
  auto properties = json::objects(body, "singleValueExtendedProperties");
  ASSERT_EQ(properties.size(), 2u);
  EXPECT_EQ(json::text(properties[1], "value"), "calsync:a/b/c/d");
  EXPECT_EQ(uidOf(json::parseObject(json::stringify(body), "b")), "copy-1");
}

}  // namespace
}  // namespace calsync::graph
