#include "agent/source_sync.h"

#include "agent_fixture.h"
#include "core/errors.h"

namespace calsync::agent {
namespace {

using testing::simpleObject;
using SourceSyncTest = AgentFixture;

SourceSyncResult runOnce(store::AgentStateStore& state, Connector& source, const Window& window) {
  SourceSync sync(state, "work", "memory", source);
  return sync.run(window, {}, [] { return false; });
}

TEST_F(SourceSyncTest, ShipsNewObjectsThenNothingUntilOneChanges) {
  source_.put("cal", simpleObject("a", kNow + 3600, "A"));
  source_.put("cal", simpleObject("b", kNow + 7200, "B"));
  auto first = runOnce(*state_, source_, window_);
  EXPECT_EQ(first.changes, 2u);
  auto batches = queued();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].upserts.size(), 2u);
  EXPECT_EQ(batches[0].calendar.name, "Calendar");
  drain();

  auto second = runOnce(*state_, source_, window_);
  EXPECT_EQ(second.changes, 0u);
  EXPECT_EQ(state_->outboxSize(), 0u) << "an unchanged calendar must cost nothing";

  source_.put("cal", simpleObject("b", kNow + 7200, "B, renamed"));
  auto third = runOnce(*state_, source_, window_);
  EXPECT_EQ(third.changes, 1u);
  batches = queued();
  ASSERT_EQ(batches.size(), 1u);
  ASSERT_EQ(batches[0].upserts.size(), 1u);
  EXPECT_EQ(batches[0].upserts[0].native_id, "b.ics");
  EXPECT_NE(batches[0].upserts[0].ical.find("B\\, renamed"), std::string::npos);
}

TEST_F(SourceSyncTest, AnEtagChangeAloneIsNoChange) {
  source_.put("cal", simpleObject("a", kNow + 3600, "A"));
  runOnce(*state_, source_, window_);
  drain();
  source_.put("cal", simpleObject("a", kNow + 3600, "A"));  // new etag, same content
  EXPECT_EQ(runOnce(*state_, source_, window_).changes, 0u);
}

TEST_F(SourceSyncTest, CopiesWrittenByCalsyncAreNeverImported) {
  auto copy = simpleObject("calsync-123", kNow + 3600, "A copy");
  copy.origin = "calsync:agent/src/cal/a";
  source_.put("cal", copy);
  EXPECT_EQ(runOnce(*state_, source_, window_).changes, 0u);
  auto batches = queued();
  ASSERT_EQ(batches.size(), 1u) << "the calendar's metadata only";
  EXPECT_TRUE(batches[0].upserts.empty());
}

TEST_F(SourceSyncTest, DeletionsComeOnlyFromCompleteListings) {
  source_.put("cal", simpleObject("a", kNow + 3600, "A"));
  source_.put("cal", simpleObject("b", kNow + 7200, "B"));
  runOnce(*state_, source_, window_);
  drain();
  source_.erase("cal", "b.ics");
  runOnce(*state_, source_, window_);
  auto batches = queued();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].deletions, std::vector<std::string>{"b.ics"});
  EXPECT_TRUE(batches[0].upserts.empty());
  EXPECT_EQ(state_->known("work", "cal").count("b.ics"), 0u);
}

TEST_F(SourceSyncTest, AFailedReadCommitsNothing) {
  source_.put("cal", simpleObject("a", kNow + 3600, "A"));
  runOnce(*state_, source_, window_);
  drain();
  source_.erase("cal", "a.ics");
  source_.fail_next_pull = ErrorKind::Network;
  EXPECT_THROW(runOnce(*state_, source_, window_), ConnectorError);
  EXPECT_EQ(state_->outboxSize(), 0u);
  EXPECT_EQ(state_->known("work", "cal").size(), 1u);
}

TEST_F(SourceSyncTest, LeavingTheWindowIsNotADeletion) {
  source_.put("cal", simpleObject("a", kNow + 3600, "A"));
  runOnce(*state_, source_, window_);
  drain();
  source_.put("cal", simpleObject("a", kNow - 200 * 86400, "A, long ago"));
  runOnce(*state_, source_, window_);
  auto batches = queued();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_TRUE(batches[0].deletions.empty());
  ASSERT_EQ(batches[0].upserts.size(), 1u);
  EXPECT_FALSE(batches[0].upserts[0].in_window);
  drain();
  // Once marked, staying outside costs nothing more.
  EXPECT_EQ(runOnce(*state_, source_, window_).changes, 0u);
}

TEST_F(SourceSyncTest, ObjectsNeverSeenInTheWindowAreNotShipped) {
  source_.put("cal", simpleObject("old", kNow - 400 * 86400, "Old"));
  EXPECT_EQ(runOnce(*state_, source_, window_).changes, 0u);
  EXPECT_EQ(state_->outboxSize(), 1u) << "only the calendar's metadata is sent the first time";
  EXPECT_TRUE(queued()[0].upserts.empty());
}

TEST_F(SourceSyncTest, AnEmptyListingDoesNotWipeAKnownCalendar) {
  for (int i = 0; i < 6; ++i) source_.put("cal", simpleObject("e" + std::to_string(i), kNow + i * 3600, "E"));
  runOnce(*state_, source_, window_);
  drain();
  for (int i = 0; i < 6; ++i) source_.erase("cal", "e" + std::to_string(i) + ".ics");
  auto result = runOnce(*state_, source_, window_);
  EXPECT_EQ(result.held_deletions, std::vector<std::string>{"cal"});
  EXPECT_EQ(state_->outboxSize(), 0u);
  EXPECT_EQ(state_->known("work", "cal").size(), 6u);
}

TEST_F(SourceSyncTest, CalendarFilterSelectsByIdOrName) {
  testing::InMemoryConnector two({{"a", "Work", "", "", true}, {"b", "Birthdays", "", "", false}});
  two.put("a", simpleObject("x", kNow + 3600, "X"));
  two.put("b", simpleObject("y", kNow + 3600, "Y"));
  SourceSync sync(*state_, "work", "memory", two);
  auto result = sync.run(window_, {"Work"}, [] { return false; });
  EXPECT_EQ(result.calendars, 1u);
  auto batches = queued();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].calendar.id, "a");
}

TEST_F(SourceSyncTest, TellsTheMasterItsConflictStrategyAndWhenItChanges) {
  source_.put("cal", simpleObject("a", kNow + 3600, "A"));
  SourceSync manual(*state_, "work", "memory", source_, "manual");
  manual.run(window_, {}, [] { return false; });
  auto batches = queued();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].conflict_resolution, "manual");
  drain();
  manual.run(window_, {}, [] { return false; });
  EXPECT_EQ(state_->outboxSize(), 0u) << "said once, not every cycle";
  SourceSync changed(*state_, "work", "memory", source_, "source_wins");
  changed.run(window_, {}, [] { return false; });
  batches = queued();
  ASSERT_EQ(batches.size(), 1u) << "a new strategy is news for the master";
  EXPECT_EQ(batches[0].conflict_resolution, "source_wins");
  EXPECT_TRUE(batches[0].upserts.empty());
}

}  // namespace
}  // namespace calsync::agent
