#include "core/date_time.h"

#include <gtest/gtest.h>

namespace calsync {
namespace {

TEST(DateTime, ParsesAndPrintsIcalForms) {
  auto utc = DateTime::fromIcalValue("20260321T090000Z");
  ASSERT_TRUE(utc);
  EXPECT_TRUE(utc->isUtc());
  EXPECT_EQ(utc->toIcalValue(), "20260321T090000Z");
  auto local = DateTime::fromIcalValue("20260321T090000", "America/New_York");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->tzid, "America/New_York");
  auto day = DateTime::fromIcalValue("20261224");
  ASSERT_TRUE(day);
  EXPECT_TRUE(day->is_date);
  EXPECT_FALSE(DateTime::fromIcalValue("2026-03-21"));
  EXPECT_FALSE(DateTime::fromIcalValue("20261324"));
  EXPECT_FALSE(DateTime::fromIcalValue("20260321T250000"));
}

TEST(DateTime, ResolvesAcrossDaylightSavingChanges) {
  // New York: EST (-5) before 8 March 2026 02:00, EDT (-4) after.
  auto before = resolveWithIana(*DateTime::fromIcalValue("20260307T090000", "America/New_York"));
  auto after = resolveWithIana(*DateTime::fromIcalValue("20260309T090000", "America/New_York"));
  ASSERT_TRUE(before && after);
  EXPECT_EQ(*before, civilToEpoch(2026, 3, 7, 14, 0, 0));
  EXPECT_EQ(*after, civilToEpoch(2026, 3, 9, 13, 0, 0));
  // 02:30 does not exist that day; RFC 5545 reads it with the offset from before the gap.
  auto gap = resolveWithIana(*DateTime::fromIcalValue("20260308T023000", "America/New_York"));
  ASSERT_TRUE(gap);
  EXPECT_EQ(*gap, civilToEpoch(2026, 3, 8, 7, 30, 0));
}

TEST(DateTime, FollowsDaylightSavingRulesPast2037) {
  // 9:00 in New York is EDT (-4) in July and EST (-5) in January, in 2040 as today.
  auto summer = resolveWithIana(*DateTime::fromIcalValue("20400702T090000", "America/New_York"));
  auto winter = resolveWithIana(*DateTime::fromIcalValue("20400102T090000", "America/New_York"));
  ASSERT_TRUE(summer && winter);
  EXPECT_EQ(*summer, civilToEpoch(2040, 7, 2, 13, 0, 0));
  EXPECT_EQ(*winter, civilToEpoch(2040, 1, 2, 14, 0, 0));
  auto berlin = resolveWithIana(*DateTime::fromIcalValue("20990801T120000", "Europe/Berlin"));
  ASSERT_TRUE(berlin);
  EXPECT_EQ(*berlin, civilToEpoch(2099, 8, 1, 10, 0, 0));
}

TEST(DateTime, UnknownZoneIsUnresolved) {
  EXPECT_FALSE(resolveWithIana(*DateTime::fromIcalValue("20260307T090000", "Customized Time Zone")));
  EXPECT_TRUE(isIanaZone("Europe/Berlin"));
  EXPECT_FALSE(isIanaZone("W. Europe Standard Time"));
}

TEST(DateTime, EpochRoundTrip) {
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{-86401}, std::int64_t{1773000000}, std::int64_t{4102444800}}) {
    DateTime d = epochToUtc(t);
    EXPECT_EQ(civilToEpoch(d.year, d.month, d.day, d.hour, d.minute, d.second), t);
  }
}

}  // namespace
}  // namespace calsync
