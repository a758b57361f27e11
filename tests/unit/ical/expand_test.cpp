#include <gtest/gtest.h>

#include <chrono>

#include "tests/unit/ical/fixtures.h"

namespace calsync::ical {
namespace {

using test::calendar;
using test::objectWithUid;
using test::readFixture;
using test::utc;

TEST(IcalExpand, SeriesWithMovedCancelledAndExcludedOccurrences) {
  const ParsedCalendar parsed = parse(readFixture("recurring.ics"));
  const CalendarObject& series = objectWithUid(parsed, "weekly-standup@example.com");
  // Mondays 09:00 Berlin (08:00Z in winter), COUNT=6: Jan 5, 12, 19, 26, Feb 2, 9.
  // Jan 12 moved to Tue 13 14:00, Jan 19 excluded, Jan 26 cancelled, Feb 9 moved to Jan 2.
  const auto occurrences = expand(series, Window{utc(2026, 1, 1), utc(2026, 3, 1)});
  ASSERT_EQ(occurrences.size(), 4u);
  EXPECT_EQ(occurrences[0].start_utc, utc(2026, 1, 2, 8));
  EXPECT_EQ(occurrences[0].recurrence_id->toIcalValue(), "20260209T090000");
  EXPECT_EQ(occurrences[0].event->summary, "Standup (pulled forward out of the series)");
  EXPECT_EQ(occurrences[1].start_utc, utc(2026, 1, 5, 8));
  EXPECT_EQ(occurrences[1].end_utc, utc(2026, 1, 5, 8, 30));
  EXPECT_EQ(occurrences[1].start.toIcalValue(), "20260105T090000");
  EXPECT_EQ(occurrences[1].start.tzid, "Europe/Berlin");
  EXPECT_EQ(occurrences[1].event, series.master());
  EXPECT_EQ(occurrences[2].start_utc, utc(2026, 1, 13, 13));
  EXPECT_EQ(occurrences[2].recurrence_id->toIcalValue(), "20260112T090000");
  EXPECT_EQ(occurrences[2].event->summary, "Standup (moved to Tuesday)");
  EXPECT_EQ(occurrences[3].start_utc, utc(2026, 2, 2, 8));
  EXPECT_EQ(occurrences[3].end.toIcalValue(), "20260202T093000");
  for (const auto& o : occurrences) EXPECT_EQ(o.uid, "weekly-standup@example.com");

  // The span runs from the earliest override to the end of the last remaining occurrence.
  EXPECT_EQ(series.span_start_utc, utc(2026, 1, 2, 8));
  EXPECT_EQ(series.span_end_utc, utc(2026, 2, 2, 8, 30));
}

TEST(IcalExpand, OverridesFollowTheirNewTimeIntoAndOutOfTheWindow) {
  const ParsedCalendar parsed = parse(readFixture("recurring.ics"));
  const CalendarObject& series = parsed.objects.at(0);
  // Feb 9's occurrence moved away: its original slot is empty.
  EXPECT_TRUE(expand(series, Window{utc(2026, 2, 9), utc(2026, 2, 10)}).empty());
  // ...and it shows up on Jan 2, before the series even starts.
  const auto early = expand(series, Window{utc(2026, 1, 1), utc(2026, 1, 3)});
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].start_utc, utc(2026, 1, 2, 8));
  // The moved Monday is not at its old time, but on Tuesday.
  EXPECT_TRUE(expand(series, Window{utc(2026, 1, 12), utc(2026, 1, 13)}).empty());
  EXPECT_EQ(expand(series, Window{utc(2026, 1, 13), utc(2026, 1, 14)}).size(), 1u);
}

TEST(IcalExpand, InstantsFollowDaylightSavingChange) {
  const ParsedCalendar parsed = parse(readFixture("new_york_dst.ics"));
  const CalendarObject& daily = objectWithUid(parsed, "ny-daily@example.com");
  ASSERT_TRUE(daily.components.at(0).start.utc);
  EXPECT_EQ(*daily.components[0].start.utc, utc(2026, 3, 6, 14));
  // 09:00 New York is 14:00Z until DST starts on March 8, then 13:00Z. UNTIL (13:00Z on the
  // 10th) is exactly the last occurrence and includes it.
  const auto occurrences = expand(daily, Window{utc(2026, 3, 1), utc(2026, 4, 1)});
  const std::int64_t expected[] = {utc(2026, 3, 6, 14), utc(2026, 3, 7, 14), utc(2026, 3, 8, 13),
                                   utc(2026, 3, 9, 13), utc(2026, 3, 10, 13)};
  ASSERT_EQ(occurrences.size(), std::size(expected));
  for (std::size_t i = 0; i < occurrences.size(); ++i) {
    EXPECT_EQ(occurrences[i].start_utc, expected[i]) << i;
    EXPECT_EQ(occurrences[i].end_utc, expected[i] + 3600) << i;
    EXPECT_EQ(occurrences[i].start.hour, 9) << i;
  }
  EXPECT_EQ(daily.span_start_utc, utc(2026, 3, 6, 14));
  EXPECT_EQ(daily.span_end_utc, utc(2026, 3, 10, 14));
}

TEST(IcalExpand, UtcUntilIsComparedInTheSeriesZone) {
  // 09:00 Berlin is 08:00Z: a wall-time comparison with the UTC UNTIL would drop the last one.
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VEVENT\nUID:until\nDTSTART;TZID=Europe/Berlin:20260105T090000\nDTEND;TZID=Europe/Berlin:20260105T100000\n"
      "RRULE:FREQ=DAILY;UNTIL=20260107T080000Z\nEND:VEVENT\n"));
  const auto occurrences = expand(parsed.objects.at(0), Window{utc(2026, 1, 1), utc(2026, 2, 1)});
  ASSERT_EQ(occurrences.size(), 3u);
  EXPECT_EQ(occurrences.back().start_utc, utc(2026, 1, 7, 8));
  EXPECT_EQ(parsed.objects[0].span_end_utc, utc(2026, 1, 7, 9));
}

TEST(IcalExpand, AllDayRecurrenceAndRdates) {
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VEVENT\nUID:allday-series\nDTSTART;VALUE=DATE:20260601\nDTEND;VALUE=DATE:20260602\n"
      "RRULE:FREQ=WEEKLY;COUNT=3\nRDATE;VALUE=DATE:20260610\nEXDATE;VALUE=DATE:20260608\nEND:VEVENT\n"));
  const auto occurrences = expand(parsed.objects.at(0), Window{utc(2026, 1, 1), utc(2027, 1, 1)});
  ASSERT_EQ(occurrences.size(), 3u);
  EXPECT_EQ(occurrences[0].start.toIcalValue(), "20260601");
  EXPECT_EQ(occurrences[1].start.toIcalValue(), "20260610");
  EXPECT_EQ(occurrences[1].end.toIcalValue(), "20260611");
  EXPECT_TRUE(occurrences[1].end.is_date);
  EXPECT_EQ(occurrences[2].start.toIcalValue(), "20260615");
  EXPECT_EQ(occurrences[2].end_utc, utc(2026, 6, 16));
  EXPECT_EQ(parsed.objects[0].span_end_utc, utc(2026, 6, 16));
}

TEST(IcalExpand, OpenEndedSeriesExpandsFarAheadQuickly) {
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VEVENT\nUID:forever\nDTSTART;TZID=America/New_York:20000103T080000\n"
      "DTEND;TZID=America/New_York:20000103T083000\nRRULE:FREQ=DAILY\nEND:VEVENT\n"));
  const CalendarObject& forever = parsed.objects.at(0);
  EXPECT_EQ(forever.span_end_utc, INT64_MAX);
  const auto started = std::chrono::steady_clock::now();
  const auto week = expand(forever, Window{utc(2036, 7, 1), utc(2036, 7, 8)});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_EQ(week.size(), 7u);
  EXPECT_EQ(week[0].start.toIcalValue(), "20360701T080000");
  EXPECT_EQ(week[0].start_utc, utc(2036, 7, 1, 12));  // EDT
}

TEST(IcalExpand, RespectsTheOccurrenceLimitAndPathologicalRules) {
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VEVENT\nUID:secondly\nDTSTART:20260101T000000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:never\nDTSTART:20260101T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\n"));
  const auto started = std::chrono::steady_clock::now();
  const auto many = expand(objectWithUid(parsed, "secondly"), Window{utc(2026, 1, 1), utc(2027, 1, 1)}, 500);
  EXPECT_EQ(many.size(), 500u);
  EXPECT_EQ(many.back().start_utc, utc(2026, 1, 1) + 499);
  // February 30th never comes: only DTSTART itself occurs.
  const auto never = expand(objectWithUid(parsed, "never"), Window{utc(2026, 1, 1), utc(2100, 1, 1)});
  EXPECT_EQ(never.size(), 1u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
}

TEST(IcalExpand, SubDailyRulesWithDayFiltersStopAtDtstart) {
  // libical would step hour by hour from 1601 testing BYMONTH/BYDAY at each step: the
  // series is kept (DTSTART occurs) but not expanded, and its span is taken as unbounded.
  const ParsedCalendar parsed = parse(calendar(
      "BEGIN:VEVENT\nUID:hourly-october\nDTSTART:16010101T030000Z\n"
      "RRULE:FREQ=HOURLY;COUNT=5000;BYDAY=-1SU;BYMONTH=10\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:minutely-nine\nDTSTART:20260101T090000Z\nRRULE:FREQ=MINUTELY;BYHOUR=9\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:hourly-office\nDTSTART:20260101T080000Z\nRRULE:FREQ=HOURLY;BYHOUR=8,9,10\nEND:VEVENT\n"));
  const CalendarObject& october = objectWithUid(parsed, "hourly-october");
  EXPECT_EQ(expand(october, Window{utc(1601, 1, 1), utc(1700, 1, 1)}).size(), 1u);
  EXPECT_EQ(october.span_end_utc, INT64_MAX);
  EXPECT_EQ(expand(objectWithUid(parsed, "minutely-nine"), Window{utc(2026, 1, 1), utc(2026, 1, 3)}).size(), 1u);
  // Hour filters on an hourly rule cost at most a day of steps per match: still expanded.
  const auto office = expand(objectWithUid(parsed, "hourly-office"), Window{utc(2026, 1, 1), utc(2026, 1, 3)});
  ASSERT_EQ(office.size(), 6u);
  EXPECT_EQ(office[3].start_utc, utc(2026, 1, 2, 8));
}

TEST(IcalExpand, ZeroLengthEventAtWindowStartCounts) {
  const ParsedCalendar parsed = parse(calendar("BEGIN:VEVENT\nUID:point\nDTSTART:20260301T000000Z\nEND:VEVENT\n"));
  const CalendarObject& point = parsed.objects.at(0);
  EXPECT_EQ(expand(point, Window{utc(2026, 3, 1), utc(2026, 3, 2)}).size(), 1u);
  EXPECT_TRUE(expand(point, Window{utc(2026, 2, 1), utc(2026, 3, 1)}).empty());
  const auto single = expand(point, Window{utc(2026, 3, 1), utc(2026, 3, 2)});
  EXPECT_FALSE(single.at(0).recurrence_id.has_value());
}

}  // namespace
}  // namespace calsync::ical
