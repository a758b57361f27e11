#include "master/events_query.h"

#include "master_fixture.h"

namespace calsync::master {
namespace {

using EventsQueryTest = MasterFixture;

TEST_F(EventsQueryTest, ExpandsSeriesInsideTheRangeOnly) {
  auto weekly = testing::simpleObject("w", kNow, "Weekly");
  weekly.components[0].recurrence.rrule = "FREQ=WEEKLY;COUNT=10";
  weekly.span_end_utc = kNow + 9 * 7 * 86400 + 3600;
  send({item(weekly), item(testing::simpleObject("single", kNow + 86400, "Single"))});
  auto result = queryEvents(*store_, kNow - 1, kNow + 3 * 7 * 86400, 100);
  ASSERT_EQ(result.occurrences.size(), 4u);  // 3 weekly + 1 single
  EXPECT_EQ(result.occurrences[0].event.summary, "Weekly");
  EXPECT_EQ(result.occurrences[1].event.summary, "Single");
  EXPECT_EQ(result.occurrences[3].start_utc, kNow + 2 * 7 * 86400);
  EXPECT_FALSE(result.truncated);

  auto limited = queryEvents(*store_, kNow - 1, kNow + 20 * 7 * 86400, 5);
  EXPECT_EQ(limited.occurrences.size(), 5u);
  EXPECT_TRUE(limited.truncated);
}

TEST(IsoInstant, ParsesTheFormsClientsSend) {
  EXPECT_EQ(parseIsoInstant("2026-03-01T09:00:00Z"), civilToEpoch(2026, 3, 1, 9, 0, 0));
  EXPECT_EQ(parseIsoInstant("2026-03-01T09:00:00.250Z"), civilToEpoch(2026, 3, 1, 9, 0, 0));
  EXPECT_EQ(parseIsoInstant("2026-03-01T10:00:00+01:00"), civilToEpoch(2026, 3, 1, 9, 0, 0));
  EXPECT_EQ(parseIsoInstant("2026-03-01T04:00:00-05:00"), civilToEpoch(2026, 3, 1, 9, 0, 0));
  EXPECT_EQ(parseIsoInstant("2026-03-01"), civilToEpoch(2026, 3, 1, 0, 0, 0));
  for (const char* bad : {"", "2026-3-1", "2026-03-01T9:00:00Z", "2026-13-01", "2026-03-01T09:00:00",
                          "2026-03-01T09:00:00+0100", "yesterday"}) {
    EXPECT_FALSE(parseIsoInstant(bad)) << bad;
  }
  EXPECT_EQ(formatIsoUtc(civilToEpoch(2026, 3, 1, 9, 0, 5)), "2026-03-01T09:00:05Z");
}

}  // namespace
}  // namespace calsync::master
