// What a person's resolution of a conflict turns into: the version both ends get.
#include "master/conflict_resolution.h"

#include <gtest/gtest.h>

#include "ical/ical_codec.h"
#include "in_memory_connector.h"

namespace calsync::master {
namespace {

using testing::simpleObject;

constexpr std::int64_t kNow = 1790000000;

store::ConflictRecord conflict() {
  CalendarObject base = simpleObject("a", kNow, "Planning");
  base.components[0].location = "Room 1";
  CalendarObject source = base;
  source.components[0].summary = "Planning (source)";
  source.components[0].location = "Room 2";            // only the source changed the room
  CalendarObject destination = base;
  destination.components[0].summary = "Planning (destination)";
  destination.components[0].description = "Agenda";    // only the destination added notes
  store::ConflictRecord c;
  c.id = "cfl_0123456789abcdef";
  c.key = {"agent-1", "work", "cal", "a.ics"};
  c.uid = "a";
  c.fields = {"summary"};
  c.base_ical = ical::serialize(base);
  c.source_ical = ical::serialize(source);
  c.destination_ical = ical::serialize(destination);
  return c;
}

Event resolved(const std::string& resolution, const std::string& merged = "") {
  return ical::parse(resolvedVersion(conflict(), resolution, merged)).objects.at(0).components.at(0);
}

TEST(ConflictResolution, AWinnerSettlesTheConflictingFieldsAndEveryOneSidedChangeStays) {
  const Event source_wins = resolved("source_wins");
  EXPECT_EQ(source_wins.summary, "Planning (source)");
  EXPECT_EQ(source_wins.location, "Room 2");
  EXPECT_EQ(source_wins.description, "Agenda");
  const Event destination_wins = resolved("destination_wins");
  EXPECT_EQ(destination_wins.summary, "Planning (destination)");
  EXPECT_EQ(destination_wins.location, "Room 2");
  EXPECT_EQ(destination_wins.description, "Agenda");
}

TEST(ConflictResolution, AMergedVersionIsTakenAsGivenUnderTheSourcesUid) {
  CalendarObject mine = simpleObject("whatever-uid", kNow, "Planning (agreed)");
  mine.origin = "calsync:agent-1/work/cal/a";
  const auto text = resolvedVersion(conflict(), "merged", ical::serialize(mine));
  const CalendarObject out = ical::parse(text).objects.at(0);
  EXPECT_EQ(out.uid, "a");
  EXPECT_EQ(out.components[0].uid, "a");
  EXPECT_TRUE(out.origin.empty());
  EXPECT_EQ(text.find("X-CALSYNC-ORIGIN"), std::string::npos);
  EXPECT_EQ(out.components[0].summary, "Planning (agreed)");
}

TEST(ConflictResolution, UnusableResolutionsAreRefusedWithAReason) {
  EXPECT_THROW(resolvedVersion(conflict(), "coin_flip", ""), BadResolution);
  EXPECT_THROW(resolvedVersion(conflict(), "merged", ""), BadResolution);
  EXPECT_THROW(resolvedVersion(conflict(), "merged", "not a calendar"), BadResolution);
  const std::string two = ical::serialize(simpleObject("x", kNow, "X")) + ical::serialize(simpleObject("y", kNow, "Y"));
  try {
    resolvedVersion(conflict(), "merged", two);
    FAIL() << "two events are not one";
  } catch (const BadResolution& e) {
    EXPECT_NE(std::string(e.what()).find("one iCalendar event"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace calsync::master
