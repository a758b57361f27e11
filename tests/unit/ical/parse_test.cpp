#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "core/hash.h"
#include "tests/unit/ical/fixtures.h"

namespace calsync::ical {
namespace {

using test::calendar;
using test::objectWithUid;
using test::readFixture;
using test::utc;

const ExtraProperty* extra(const Event& e, const std::string& name) {
  for (const auto& x : e.extra_properties) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

TEST(IcalParse, GroupsOverridesUnderTheirMasterAndReadsCalendarMetadata) {
  const ParsedCalendar parsed = parse(readFixture("recurring.ics"));
  EXPECT_TRUE(parsed.recognized);
  EXPECT_TRUE(parsed.warnings.empty());
  EXPECT_EQ(parsed.name, "Team");
  EXPECT_EQ(parsed.color, "#FF8800");
  ASSERT_EQ(parsed.objects.size(), 1u);
  const CalendarObject& series = parsed.objects[0];
  ASSERT_EQ(series.components.size(), 4u);
  EXPECT_FALSE(series.components[0].recurrence_id.has_value());
  for (std::size_t i = 1; i < series.components.size(); ++i) EXPECT_TRUE(series.components[i].recurrence_id);
  EXPECT_EQ(series.components[0].recurrence.rrule, "FREQ=WEEKLY;COUNT=6;BYDAY=MO");
  ASSERT_EQ(series.components[0].recurrence.exdates.size(), 1u);
  EXPECT_EQ(series.components[0].recurrence.exdates[0].tzid, "Europe/Berlin");
  ASSERT_EQ(series.vtimezones.size(), 1u);
  EXPECT_NE(series.vtimezones[0].find("TZID:Europe/Berlin"), std::string::npos);
  ASSERT_TRUE(series.components[0].organizer);
  EXPECT_EQ(series.components[0].organizer->email, "alice@example.com");
  EXPECT_EQ(series.components[0].organizer->name, "Alice Example");
}

TEST(IcalParse, LfAndCrlfLineEndsReadTheSame) {
  const std::string crlf = readFixture("recurring.ics");
  ASSERT_NE(crlf.find("\r\n"), std::string::npos);
  std::string lf = crlf;
  lf.erase(std::remove(lf.begin(), lf.end(), '\r'), lf.end());
  const ParsedCalendar a = parse(crlf);
  const ParsedCalendar b = parse(lf);
  ASSERT_EQ(a.objects.size(), 1u);
  ASSERT_EQ(b.objects.size(), 1u);
  EXPECT_EQ(contentHash(a.objects[0]), contentHash(b.objects[0]));
}

TEST(IcalParse, AllDayEventsAreDates) {
  const ParsedCalendar parsed = parse(readFixture("allday.ics"));
  const CalendarObject& holiday = objectWithUid(parsed, "holiday@example.com");
  ASSERT_EQ(holiday.components.size(), 1u);
  const Event& e = holiday.components[0];
  EXPECT_TRUE(e.isAllDay());
  EXPECT_TRUE(e.end.is_date);
  EXPECT_EQ(e.end.toIcalValue(), "20260408");
  EXPECT_EQ(e.transparency, Transparency::Transparent);
  EXPECT_EQ(e.categories, (std::vector<std::string>{"Holiday", "Family"}));
  EXPECT_EQ(holiday.span_start_utc, utc(2026, 4, 6));
  EXPECT_EQ(holiday.span_end_utc, utc(2026, 4, 8));

  // No DTEND on a date: one day long. No end to the rule: open-ended span.
  const CalendarObject& birthday = objectWithUid(parsed, "birthday@example.com");
  ASSERT_EQ(birthday.components.size(), 1u);
  EXPECT_EQ(birthday.components[0].end.toIcalValue(), "20260302");
  EXPECT_EQ(birthday.components[0].privacy, PrivacyClass::Private);
  EXPECT_EQ(birthday.span_start_utc, utc(2026, 3, 1));
  EXPECT_EQ(birthday.span_end_utc, INT64_MAX);
}

TEST(IcalParse, DurationBecomesEndAndMissingEndIsStart) {
  const ParsedCalendar parsed = parse(readFixture("duration_alarm.ics"));
  EXPECT_TRUE(parsed.warnings.empty());
  const Event& workshop = objectWithUid(parsed, "duration@example.com").components.at(0);
  EXPECT_EQ(workshop.end.toIcalValue(), "20260410T093000Z");
  EXPECT_EQ(extra(workshop, "DURATION"), nullptr);

  const Event& conference = objectWithUid(parsed, "duration-days@example.com").components.at(0);
  EXPECT_TRUE(conference.end.is_date);
  EXPECT_EQ(conference.end.toIcalValue(), "20260423");

  const CalendarObject& reminder_only = objectWithUid(parsed, "no-end@example.com");
  const Event& no_end = reminder_only.components.at(0);
  EXPECT_TRUE(no_end.end.sameValue(no_end.start));
  // Europe/Paris has no VTIMEZONE here: the IANA database resolves it (CEST, UTC+2).
  ASSERT_TRUE(no_end.start.utc);
  EXPECT_EQ(*no_end.start.utc, utc(2026, 4, 21, 10));
  EXPECT_EQ(reminder_only.span_start_utc, reminder_only.span_end_utc);
}

TEST(IcalParse, AlarmsBecomeRelativeReminders) {
  const ParsedCalendar parsed = parse(readFixture("duration_alarm.ics"));
  const Event& workshop = objectWithUid(parsed, "duration@example.com").components.at(0);
  ASSERT_EQ(workshop.reminders.size(), 3u);
  EXPECT_EQ(workshop.reminders[0].offset_seconds, -15 * 60);
  EXPECT_FALSE(workshop.reminders[0].relative_to_end);
  EXPECT_EQ(workshop.reminders[0].action, "DISPLAY");
  EXPECT_EQ(workshop.reminders[0].description, "Workshop soon");
  EXPECT_EQ(workshop.reminders[1].offset_seconds, 5 * 60);
  EXPECT_TRUE(workshop.reminders[1].relative_to_end);
  EXPECT_EQ(workshop.reminders[1].action, "AUDIO");
  // An absolute trigger a day before the start.
  EXPECT_EQ(workshop.reminders[2].offset_seconds, -86400);
  EXPECT_FALSE(workshop.reminders[2].relative_to_end);
}

TEST(IcalParse, MapsEveryModelFieldAndKeepsTheRestVerbatim) {
  const ParsedCalendar parsed = parse(readFixture("properties.ics"));
  const CalendarObject& object = objectWithUid(parsed, "props@example.com");
  EXPECT_EQ(object.origin, "calsync:agent1/work/cal/props@example.com");
  const Event& e = object.components.at(0);
  EXPECT_EQ(e.summary, "Lunch");
  EXPECT_EQ(e.status, EventStatus::Tentative);
  EXPECT_EQ(e.privacy, PrivacyClass::Confidential);
  EXPECT_EQ(e.url, "https://example.com/lunch?id=1");
  EXPECT_EQ(e.sequence, 3);
  ASSERT_TRUE(e.created);
  EXPECT_EQ(e.created->toIcalValue(), "20251201T080000Z");
  ASSERT_TRUE(e.last_modified);
  EXPECT_EQ(e.last_modified->toIcalValue(), "20251202T080000Z");
  EXPECT_EQ(e.start.tzid, "Europe/London");
  ASSERT_TRUE(e.start.utc);
  EXPECT_EQ(*e.start.utc, utc(2026, 5, 12, 12));  // BST
  ASSERT_TRUE(e.organizer);
  EXPECT_EQ(e.organizer->name, "Doe, Jane");
  ASSERT_EQ(e.attendees.size(), 3u);
  EXPECT_EQ(e.attendees[0].role, AttendeeRole::Chair);
  EXPECT_EQ(e.attendees[0].status, ParticipationStatus::Accepted);
  EXPECT_EQ(e.attendees[1].role, AttendeeRole::NonParticipant);
  EXPECT_EQ(e.attendees[1].status, ParticipationStatus::Declined);
  EXPECT_EQ(e.attendees[2].person.email, "Someone@Example.com");
  EXPECT_EQ(e.attendees[2].status, ParticipationStatus::Delegated);
  EXPECT_EQ(e.attendees[2].role, AttendeeRole::Required);
  EXPECT_EQ(e.categories, (std::vector<std::string>{"Food", "Team"}));

  for (const char* kept : {"GEO", "PRIORITY", "X-GOOGLE-CONFERENCE", "X-CUSTOM", "RESOURCES"}) {
    EXPECT_NE(extra(e, kept), nullptr) << kept;
  }
  EXPECT_EQ(extra(e, "X-GOOGLE-CONFERENCE")->value, "https://meet.example.com/abc-defg");
  // libical keeps X- parameters; an unknown IANA-style one (OTHER) it drops.
  EXPECT_EQ(extra(e, "X-CUSTOM")->params, "X-PARAM=\"a:b\"");
  EXPECT_EQ(extra(e, "X-CUSTOM")->value, "some value");
  for (const char* mapped : {"X-CALSYNC-ORIGIN", "DTSTAMP", "SUMMARY", "UID", "X-LIC-ERROR"}) {
    EXPECT_EQ(extra(e, mapped), nullptr) << mapped;
  }
}

TEST(IcalParse, KeepsNonAsciiText) {
  const ParsedCalendar parsed = parse(readFixture("unicode.ics"));
  EXPECT_EQ(parsed.name, "Fête 日本 🎉");
  const Event& e = objectWithUid(parsed, "unicode@example.com").components.at(0);
  EXPECT_EQ(e.summary, "Größenänderung der Übersicht – 会議の議題 🎉🚀");
  EXPECT_EQ(e.description,
            "Zeile eins: Äpfel, Öl; Süß\nZweite Zeile mit sehr langem Text damit gefaltet wird — "
            "日本語のテキストがここに続きます。絵文字も 😀😃😄😁 そして終わり。");
  EXPECT_EQ(e.location, "Zürich, Café Schöneck");
  EXPECT_EQ(e.categories, (std::vector<std::string>{"Büro"}));
}

TEST(IcalParse, SkipsMalformedEventsNamingTheirLine) {
  const ParsedCalendar parsed = parse(readFixture("malformed.ics"));
  EXPECT_TRUE(parsed.recognized);
  ASSERT_EQ(parsed.objects.size(), 2u);
  EXPECT_EQ(parsed.objects[0].uid, "good-1@example.com");
  EXPECT_EQ(parsed.objects[1].uid, "good-2@example.com");
  ASSERT_EQ(parsed.warnings.size(), 2u);
  EXPECT_EQ(parsed.warnings[0].line, 10);  // the unparseable DTSTART
  EXPECT_EQ(parsed.warnings[1].line, 15);  // no DTSTART at all
  EXPECT_NE(parsed.warnings[1].message.find("DTSTART"), std::string::npos);
  // Warnings describe the problem, not the event's content.
  for (const auto& w : parsed.warnings) EXPECT_EQ(w.message.find("Bad date"), std::string::npos);
}

TEST(IcalParse, SkipsEventsWithoutUidAndDuplicates) {
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VEVENT\nDTSTART:20260101T100000Z\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:dup\nDTSTART:20260101T100000Z\nSUMMARY:first\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:dup\nDTSTART:20260102T100000Z\nSUMMARY:second\nEND:VEVENT\n"));
  ASSERT_EQ(parsed.objects.size(), 1u);
  EXPECT_EQ(parsed.objects[0].components.at(0).summary, "first");
  ASSERT_EQ(parsed.warnings.size(), 2u);
  EXPECT_EQ(parsed.warnings[0].line, 4);
  EXPECT_EQ(parsed.warnings[1].line, 12);
}

TEST(IcalParse, EmptyValuesAndBrokenAlarmsDoNotCostTheEvent) {
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VEVENT\nUID:empty\nDTSTART:20260101T100000Z\nSUMMARY:\nLOCATION;LANGUAGE=de:\n"
      "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:soon\nEND:VALARM\n"
      "BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:\nTRIGGER:-PT5M\nEND:VALARM\nEND:VEVENT\n"));
  EXPECT_TRUE(parsed.warnings.empty());
  ASSERT_EQ(parsed.objects.size(), 1u);
  const Event& e = parsed.objects[0].components.at(0);
  EXPECT_EQ(e.summary, "");
  ASSERT_EQ(e.reminders.size(), 1u);
  EXPECT_EQ(e.reminders[0].offset_seconds, -300);
}

TEST(IcalParse, EmptyCalendarIsAValidEmptyListing) {
  const ParsedCalendar parsed = parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n");
  EXPECT_TRUE(parsed.recognized);
  EXPECT_TRUE(parsed.objects.empty());
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(IcalParse, ReadsConcatenatedCalendars) {
  const std::string one = calendar("BEGIN:VEVENT\nUID:a\nDTSTART:20260101T100000Z\nEND:VEVENT\n");
  const std::string two = calendar("BEGIN:VEVENT\nUID:b\nDTSTART:20260101T100000Z\nEND:VEVENT\n");
  const ParsedCalendar parsed = parse(one + two);
  ASSERT_EQ(parsed.objects.size(), 2u);
  EXPECT_EQ(parsed.objects[1].uid, "b");
}

void expectRefused(std::string_view text, const char* what) {
  const ParsedCalendar parsed = parse(text);
  EXPECT_FALSE(parsed.recognized) << what;
  EXPECT_TRUE(parsed.objects.empty()) << what;
  EXPECT_EQ(parsed.warnings.size(), 1u) << what;
}

TEST(IcalParse, RefusesTextThatIsNotICalendar) {
  expectRefused("", "empty");
  expectRefused("hello world\n", "prose");
  expectRefused("{\"events\": []}", "json");
  expectRefused("<html><body>Login required</body></html>", "html");
  expectRefused("BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n", "vcard");
  std::mt19937 random(42);
  std::string garbage(1 << 16, '\0');
  for (auto& c : garbage) c = static_cast<char>(random());
  expectRefused(garbage, "random bytes");
  expectRefused(std::string("BEGIN:VCALENDAR\r\n\0\0\0END:VCALENDAR\r\n", 32), "embedded NUL");
}

TEST(IcalParse, SurvivesHostileInputQuickly) {
  const auto started = std::chrono::steady_clock::now();
  std::string nested = "BEGIN:VCALENDAR\r\n";
  for (int i = 0; i < 100000; ++i) nested += "BEGIN:VEVENT\r\n";
  expectRefused(nested, "100k nested components");

  std::string oversized(kMaxInputBytes + 1, 'A');
  oversized.replace(0, 17, "BEGIN:VCALENDAR\r\n");
  expectRefused(oversized, "over the size limit");

  // A huge line is legal; it must simply be read.
  const std::string long_summary(4 << 20, 'x');
  const ParsedCalendar parsed = parse(calendar("BEGIN:VEVENT\nUID:big\nDTSTART:20260101T100000Z\nSUMMARY:" +
                                                long_summary + "\nEND:VEVENT\n"));
  ASSERT_EQ(parsed.objects.size(), 1u);
  EXPECT_EQ(parsed.objects[0].components.at(0).summary.size(), long_summary.size());

  // Truncated in the middle of an event: what is complete still parses, nothing crashes.
  const std::string full = readFixture("recurring.ics");
  for (std::size_t cut = 0; cut < full.size(); cut += 97) parse(full.substr(0, cut));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
}

TEST(IcalParse, ParsesConcurrently) {
  // Connectors run on several threads; zones built from VTIMEZONEs are shared between them.
  const std::string texts[] = {readFixture("recurring.ics"), readFixture("new_york_dst.ics"),
                               readFixture("custom_zone.ics")};
  std::vector<std::string> expected;
  for (const auto& text : texts) expected.push_back(contentHash(parse(text).objects.at(0)));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 30; ++round) {
        const std::size_t which = static_cast<std::size_t>(t + round) % std::size(texts);
        const ParsedCalendar parsed = parse(texts[which]);
        if (parsed.objects.empty() || contentHash(parsed.objects[0]) != expected[which]) ++mismatches[t];
        if (!parsed.objects.empty()) expand(parsed.objects[0], Window{utc(2026, 1, 1), utc(2027, 1, 1)});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(IcalParse, SurvivesMutatedCalendars) {
  // Deterministic byte-level damage to real calendars: whatever parses must be usable.
  const std::string sources[] = {readFixture("recurring.ics"), readFixture("properties.ics"),
                                 readFixture("duration_alarm.ics"), readFixture("custom_zone.ics")};
  const char noise[] = {':', ';', ',', '\\', '"', '\n', '\r', ' ', '0', '9', 'T', 'Z', '=', '-', '\xC3'};
  std::mt19937 random(7);
  std::size_t parsed_objects = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string text = sources[round % std::size(sources)];
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int i = 0; i < edits && !text.empty(); ++i) {
      const std::size_t at = random() % text.size();
      switch (random() % 3) {
        case 0: text[at] = noise[random() % sizeof noise]; break;
        case 1: text.erase(at, 1 + random() % 20); break;
        default: text.insert(at, 1, noise[random() % sizeof noise]);
      }
    }
    const ParsedCalendar parsed = parse(text);
    for (const auto& object : parsed.objects) {
      ++parsed_objects;
      EXPECT_FALSE(object.components.empty());
      EXPECT_LE(object.span_start_utc, object.span_end_utc);
      const std::string again = serialize(object);
      EXPECT_EQ(parse(again).objects.size(), 1u) << again;
      expand(object, Window{utc(2025, 1, 1), utc(2027, 1, 1)}, 100);
    }
  }
  EXPECT_GT(parsed_objects, 500u);
}

}  // namespace
}  // namespace calsync::ical
