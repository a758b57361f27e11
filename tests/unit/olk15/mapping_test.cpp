// Decoded event files as calsync Events: text, HTML, people, zones, all-day dates, reminders,
// recurrence, and what iCalendar makes of them.
#include <gtest/gtest.h>

#include "core/hash.h"
#include "ical/ical_codec.h"
#include "olk15/event_groups.h"
#include "olk15/event_mapping.h"
#include "olk15/html_text.h"
#include "olk15/object_builder.h"
#include "olk15_test_support.h"

namespace calsync::olk15 {
namespace {

using namespace test;

MappedEvent mapped(const fx::EventSpec& spec) {
  const OlkEvent e = decodeEventFile(fx::encodeEventFile(spec));
  return mapEvent(e, e.uid);
}

TEST(Olk15Mapping, MeetingKeepsTextPeopleAndZone) {
  SampleStore store;
  const MappedEvent m = mapped(store.events.at("meeting"));
  const Event& e = m.event;
  EXPECT_EQ(e.summary, "Quarterly planning – Grüße 🎉");
  EXPECT_EQ(e.location, "Room 4.01; Building \"North\"");
  EXPECT_EQ(e.description, "Agenda:\n\n- Budget & plans\n- Hiring\n\nDial-in:\n+1 555 0100");
  const ExtraProperty* html = extra(e, "X-ALT-DESC");
  ASSERT_NE(html, nullptr);
  EXPECT_EQ(html->params, "FMTTYPE=text/html");
  EXPECT_NE(html->value.find("<li>Budget &amp\\; plans</li>"), std::string::npos);  // escaped TEXT
  EXPECT_EQ(e.start.tzid, "America/New_York");
  EXPECT_EQ(e.start.hour, 10);  // 14:00 UTC is 10:00 in New York in June
  EXPECT_EQ(*e.start.utc, store.events.at("meeting").start_utc * 60 - 11644473600);
  EXPECT_EQ(e.end.hour, 11);
  EXPECT_EQ(e.end.minute, 30);
  ASSERT_TRUE(e.organizer);
  EXPECT_EQ(e.organizer->email, "boss@example.com");
  EXPECT_EQ(e.organizer->name, "Pat Boss");
  ASSERT_EQ(e.attendees.size(), 3u);
  EXPECT_EQ(e.attendees[0].role, AttendeeRole::Required);
  EXPECT_EQ(e.attendees[0].status, ParticipationStatus::Accepted);
  EXPECT_EQ(e.attendees[1].role, AttendeeRole::Optional);
  EXPECT_EQ(e.attendees[2].role, AttendeeRole::NonParticipant);
  ASSERT_EQ(e.reminders.size(), 1u);
  EXPECT_EQ(e.reminders[0].offset_seconds, -15 * 60);
  EXPECT_EQ(e.transparency, Transparency::Opaque);
  EXPECT_EQ(extra(e, "X-MICROSOFT-CDO-BUSYSTATUS")->value, "TENTATIVE");
  EXPECT_EQ(extra(e, "PRIORITY")->value, "1");
  EXPECT_EQ(e.privacy, PrivacyClass::Private);
  EXPECT_EQ(e.url, "https://meet.example.com/j/123");
  EXPECT_TRUE(m.zone.vtimezone.empty());  // an IANA zone needs no VTIMEZONE of its own
}

TEST(Olk15Mapping, AllDayEventsAreDatesAndFreeIsTransparent) {
  SampleStore store;
  const Event e = mapped(store.events.at("allday")).event;
  EXPECT_TRUE(e.isAllDay());
  EXPECT_EQ(e.start.toIcalValue(), "20260618");
  EXPECT_EQ(e.end.toIcalValue(), "20260620");  // two whole days, end exclusive
  EXPECT_EQ(e.transparency, Transparency::Transparent);
  EXPECT_EQ(extra(e, "X-MICROSOFT-CDO-BUSYSTATUS")->value, "FREE");
}

TEST(Olk15Mapping, ZonesFromWindowsNamesAndFromRules) {
  SampleStore store;
  const Event tokyo = mapped(store.events.at("tokyo")).event;
  EXPECT_EQ(tokyo.start.tzid, "Asia/Tokyo");
  EXPECT_EQ(tokyo.start.hour, 10);  // 01:00 UTC
  const MappedEvent custom = mapped(store.events.at("custom"));
  EXPECT_EQ(custom.event.start.tzid, "Fixture Standard Time");
  EXPECT_EQ(custom.event.start.hour, 12);  // 15:00 UTC at -0300
  ASSERT_FALSE(custom.zone.vtimezone.empty());
  EXPECT_NE(custom.zone.vtimezone.find("TZOFFSETTO:-0300"), std::string::npos);
  // The instant survives: the object's own VTIMEZONE resolves the wall time to the stored UTC.
  CalendarObject o;
  o.uid = "x";
  o.components.push_back(custom.event);
  o.vtimezones.push_back(custom.zone.vtimezone);
  ical::computeSpan(o);
  EXPECT_EQ(o.span_start_utc, store.events.at("custom").start_utc * 60 - 11644473600);
}

TEST(Olk15Mapping, VtimezoneFromRulesRefusesInjectedText) {
  OlkTimeZone zone;
  zone.standard = {{0, "-0400", "-0500", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"}};
  zone.daylight = {{0, "-0500", "-0400", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"}};
  const auto text = vtimezoneFromRules(zone, "Eastern");
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("BEGIN:DAYLIGHT\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:-0500"), std::string::npos);
  zone.daylight[0].rrule = "FREQ=YEARLY\r\nATTENDEE:mailto:x@example.com";
  EXPECT_FALSE(vtimezoneFromRules(zone, "Eastern"));
  zone.daylight[0].rrule = "FREQ=HOURLY;BYMONTH=3";  // would make libical step hour by hour
  EXPECT_FALSE(vtimezoneFromRules(zone, "Eastern"));
  zone.daylight[0].rrule = "FREQ=YEARLY";
  zone.standard[0].offset_to = "-05:00";
  EXPECT_FALSE(vtimezoneFromRules(zone, "Eastern"));
}

TEST(Olk15Mapping, OutliersKeepTheirDates) {
  SampleStore store;
  const Event old = mapped(store.events.at("old")).event;
  EXPECT_EQ(old.start.toIcalValue(), "19040501T100000Z");
  EXPECT_EQ(old.end.toIcalValue(), "19040501T110000Z");
}

TEST(Olk15Mapping, RecurrencePatternsBecomeRrules) {
  DateTime start = DateTime::fromIcalValue("20260615T090000", "Europe/Berlin").value();  // a Monday
  const std::int64_t epoch = civilToEpoch(2026, 6, 15, 7, 0, 0);
  OlkRecurrence r;
  r.pattern = 0;
  r.interval = 2880;  // daily rules count minutes
  EXPECT_EQ(rruleFor(r, start, epoch), "FREQ=DAILY;INTERVAL=2");
  r.pattern = 1;
  r.interval = 2;
  r.weekday_mask = 0b0101010;  // MO, WE, FR
  r.end_type = 8226;
  r.count = 6;
  EXPECT_EQ(rruleFor(r, start, epoch), "FREQ=WEEKLY;COUNT=6;INTERVAL=2;BYDAY=MO,WE,FR");
  r = {};
  r.pattern = 3;
  r.interval = 1;
  r.nth_weekday_mask = 0b0010000;  // TH
  r.nth = 5;
  EXPECT_EQ(rruleFor(r, start, epoch), "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1");
  r = {};
  r.pattern = 5;
  r.interval = 12;
  EXPECT_EQ(rruleFor(r, start, epoch), "FREQ=YEARLY");
  r.pattern = 2;
  r.interval = 1;
  r.day_of_month = 31;
  r.end_type = 8225;
  r.until = static_cast<std::int32_t>(fx::minutes(civilToEpoch(2026, 12, 31, 0, 0, 0)));
  // UNTIL: the end of the until-day in Berlin, in UTC.
  EXPECT_EQ(rruleFor(r, start, epoch), "FREQ=MONTHLY;UNTIL=20261231T225959Z;BYMONTHDAY=31");
  r.pattern = 42;
  EXPECT_EQ(rruleFor(r, start, epoch), "");
}

TEST(Olk15Mapping, HtmlBecomesReadableText) {
  EXPECT_EQ(htmlToText("<p>One</p><p>Two<br/>Three</p>"), "One\n\nTwo\nThree");
  EXPECT_EQ(htmlToText("<div>a&lt;b &amp;&#x41;&#66;&nbsp;c</div><!-- hidden --><script>x()</script>"), "a<b &AB c");
  EXPECT_EQ(htmlToText("<table><tr><td>x</td><td>y</td></tr></table>"), "x y");
  EXPECT_EQ(htmlToText("plain &bogus; text"), "plain &bogus; text");
  EXPECT_EQ(htmlToText("cut <b"), "cut");
  EXPECT_TRUE(looksLikeHtml("<html><body>x</body></html>"));
  EXPECT_FALSE(looksLikeHtml("just text, 3 < 4"));
}

TEST(Olk15Mapping, SeriesObjectHasOverridesAndExceptionsAndSurvivesICalendar) {
  SampleStore store;
  std::vector<EventRow> rows;
  std::vector<OlkEvent> events;
  for (const char* name : {"series", "moved", "renamed"}) {
    const fx::EventSpec& s = store.events.at(name);
    EventRow r;
    r.record_id = s.record_id;
    r.uid = s.uid;
    r.is_recurring = s.is_recurring;
    r.master_id = s.master_id;
    r.recurrence_id = s.recurrence_id;
    rows.push_back(r);
    events.push_back(decodeEventFile(fx::encodeEventFile(s)));
  }
  std::vector<const EventRow*> pointers;
  for (const auto& r : rows) pointers.push_back(&r);
  const auto groups = groupRows(pointers);
  ASSERT_EQ(groups.size(), 1u);
  const CalendarObject o = buildObject(groups[0], events);
  ASSERT_EQ(o.components.size(), 3u);
  const Event& master = o.components[0];
  EXPECT_FALSE(master.recurrence_id);
  EXPECT_EQ(master.start.tzid, "Europe/Berlin");
  EXPECT_EQ(master.start.hour, 10);  // 08:00 UTC in Berlin summer time
  EXPECT_EQ(master.recurrence.rrule, "FREQ=WEEKLY;COUNT=10;BYDAY=MO");
  ASSERT_EQ(master.recurrence.exdates.size(), 1u);
  EXPECT_EQ(master.recurrence.exdates[0].hour, 10);
  EXPECT_EQ(master.recurrence.exdates[0].tzid, "Europe/Berlin");
  ASSERT_TRUE(o.components[1].recurrence_id);
  EXPECT_EQ(o.components[1].summary, "Team sync (moved)");
  EXPECT_EQ(o.components[1].recurrence_id->tzid, "Europe/Berlin");
  EXPECT_EQ(o.components[1].recurrence_id->hour, 10);
  EXPECT_EQ(o.components[2].summary, "Team sync (demo day)");
  EXPECT_EQ(o.span_end_utc - o.span_start_utc, 9 * 7 * kDay + 3600);

  // Occurrences: 10 minus the excluded third, the second moved by a day.
  const auto occurrences = ical::expand(o, {kNow - 60 * kDay, kNow + 90 * kDay});
  ASSERT_EQ(occurrences.size(), 9u);
  EXPECT_EQ(occurrences[1].event->summary, "Team sync (moved)");
  // iCalendar keeps every field the hash covers.
  const auto parsed = ical::parse(ical::serialize(o));
  ASSERT_EQ(parsed.objects.size(), 1u);
  EXPECT_EQ(contentHash(parsed.objects[0]), contentHash(o));
}

TEST(Olk15Mapping, ARuleLessSeriesNamesItsKnownOccurrences) {
  SampleStore store;
  std::vector<EventRow> rows(2);
  std::vector<OlkEvent> events;
  const char* names[] = {"norule", "norule_x"};
  for (int i = 0; i < 2; ++i) {
    const fx::EventSpec& s = store.events.at(names[i]);
    rows[i].record_id = s.record_id;
    rows[i].uid = s.uid;
    rows[i].is_recurring = s.is_recurring;
    rows[i].master_id = s.master_id;
    rows[i].recurrence_id = s.recurrence_id;
    events.push_back(decodeEventFile(fx::encodeEventFile(s)));
  }
  const auto groups = groupRows({&rows[0], &rows[1]});
  ASSERT_EQ(groups.size(), 1u);
  const CalendarObject o = buildObject(groups[0], events);
  ASSERT_EQ(o.components.size(), 2u);
  EXPECT_TRUE(o.components[0].recurrence.rrule.empty());
  ASSERT_EQ(o.components[0].recurrence.rdates.size(), 1u);
  EXPECT_TRUE(o.components[0].recurrence.rdates[0].sameValue(*o.components[1].recurrence_id));
  const auto occurrences = ical::expand(o, {kNow - 60 * kDay, kNow + 90 * kDay});
  ASSERT_EQ(occurrences.size(), 2u);
  EXPECT_EQ(occurrences[1].event->summary, "1:1 (later)");
}

TEST(Olk15Mapping, GroupsNameCopiesOfOneUidApart) {
  EventRow a, b, lone;
  a.record_id = 5;
  a.uid = "same@x";
  b.record_id = 9;
  b.uid = "same@x";
  lone.record_id = 7;
  const auto groups = groupRows({&b, &lone, &a});
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].native_id, "same@x");
  EXPECT_EQ(groups[1].native_id, standInUid(7));
  EXPECT_EQ(groups[2].native_id, "same@x#9");
}

}  // namespace
}  // namespace calsync::olk15
