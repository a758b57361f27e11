// The round trip's part of the master store: copies with their bases, conflicts, cursors and
// source strategies, and what the writer must leave alone.
#include <gtest/gtest.h>

#include "store/master_store.h"
#include "store/round_trip_store.h"
#include "tests/unit/store/store_test_support.h"

namespace calsync::store {
namespace {

using testing::ScratchDir;

class RoundTripStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IngestBatch b;
    b.agent_id = "agent-1";
    b.epoch = "e";
    b.sequence = 1;
    for (const char* id : {"a", "b"}) {
      StoredObject o;
      o.key = key(id);
      o.uid = id;
      o.hash = std::string("hash-") + id;
      o.ical = std::string("BEGIN:VCALENDAR ") + id;
      o.span_end_utc = 1;
      b.upserts.push_back(o);
    }
    ASSERT_TRUE(db_.objects->ingest(b));
    for (const char* id : {"a", "b"}) {
      DestinationCopy c;
      c.key = key(id);
      c.copy_uid = std::string("copy-") + id;
      c.dest_calendar = "dest";
      c.dest_native_id = std::string("/dest/") + id;
      c.dest_etag = "e1";
      c.written_hash = std::string("hash-") + id;
      c.base_ical = std::string("BEGIN:VCALENDAR ") + id;
      db_.objects->saveCopy(c, "test");
    }
  }
  static ObjectKey key(const std::string& id) { return {"agent-1", "work", "cal", id}; }

  ScratchDir dir_;
  MasterDatabase db_ = openSqliteMasterDatabase(dir_.file("master.db"));
  RoundTripStore& rt_ = *db_.roundtrip;
};

TEST_F(RoundTripStoreTest, CopiesAreFoundByUidLocationAndUpdateAndKeepTheirState) {
  auto a = rt_.copyByUid("dest", "copy-a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->key.native_id, "a");
  EXPECT_EQ(a->base_ical, "BEGIN:VCALENDAR a");
  EXPECT_FALSE(rt_.copyByUid("other-calendar", "copy-a"));
  EXPECT_EQ(rt_.copyAt("dest", "/dest/b")->key.native_id, "b");
  EXPECT_EQ(rt_.copyLocations("dest").size(), 2u);
  EXPECT_EQ(rt_.unobservedCopies("dest").size(), 2u);

  a->base_rendering = "rendered";
  a->dest_ical = "edited";
  a->route_base = "before";
  a->routed_update_id = 42;
  a->dest_deleted = true;
  const JournalEntry journal{0, 0, "destination", "destination-edit", a->key, "", "", "summary"};
  rt_.updateCopyState(*a, &journal);
  const auto back = rt_.copyByRoutedUpdate(42);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->base_rendering, "rendered");
  EXPECT_EQ(back->dest_ical, "edited");
  EXPECT_EQ(back->route_base, "before");
  EXPECT_TRUE(back->dest_deleted);
  EXPECT_EQ(db_.objects->recentJournal(1).at(0).action, "destination-edit");
  EXPECT_EQ(rt_.unobservedCopies("dest").size(), 1u);
  EXPECT_FALSE(rt_.copyByRoutedUpdate(0));
}

TEST_F(RoundTripStoreTest, HeldCopiesAreNotPendingWrites) {
  // Both sources changed since their copies were written.
  IngestBatch b;
  b.agent_id = "agent-1";
  b.epoch = "e";
  b.sequence = 2;
  for (const char* id : {"a", "b"}) {
    StoredObject o;
    o.key = key(id);
    o.uid = id;
    o.hash = std::string("hash2-") + id;
    o.ical = "x";
    o.span_end_utc = 1;
    b.upserts.push_back(o);
  }
  ASSERT_TRUE(db_.objects->ingest(b));
  EXPECT_EQ(db_.objects->pendingWrites(10).size(), 2u);

  ConflictRecord c;
  c.key = key("a");
  c.uid = "a";
  c.fields = {"summary", "start@20260321T090000Z"};
  const std::string id = rt_.openConflict(c);
  auto deleted = *db_.objects->copy(key("b"));
  deleted.dest_deleted = true;
  rt_.updateCopyState(deleted, nullptr);
  EXPECT_TRUE(db_.objects->pendingWrites(10).empty()) << "one waits for a person, one for its source";
  EXPECT_EQ(rt_.heldObjects(10).size(), 2u);

  // Resolved but not applied yet: still not the writer's ordinary work (the resolution is).
  ASSERT_TRUE(rt_.resolveConflict(id, "source_wins", "resolved", "admin", 100));
  EXPECT_TRUE(db_.objects->pendingWrites(10).empty());
  EXPECT_EQ(rt_.unappliedResolutions(10).size(), 1u);
  rt_.markConflictApplied(id);
  EXPECT_TRUE(rt_.unappliedResolutions(10).empty());
  ASSERT_EQ(db_.objects->pendingWrites(10).size(), 1u);
  EXPECT_EQ(db_.objects->pendingWrites(10)[0].key.native_id, "a");
}

TEST_F(RoundTripStoreTest, OneOpenConflictPerObjectRefreshedInPlaceThenResolvedOnce) {
  ConflictRecord c;
  c.key = key("a");
  c.uid = "a";
  c.fields = {"summary"};
  c.destination_ical = "v1";
  const std::string id = rt_.openConflict(c);
  EXPECT_EQ(id.rfind("cfl_", 0), 0u);
  EXPECT_EQ(id.size(), 20u);
  c.destination_ical = "v2";
  c.fields = {"summary", "location"};
  EXPECT_EQ(rt_.openConflict(c), id) << "the same conflict, refreshed";
  const auto open = rt_.conflicts("open", 10);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].destination_ical, "v2");
  EXPECT_EQ(open[0].fields, (std::vector<std::string>{"summary", "location"}));
  EXPECT_EQ(rt_.openConflictFor(key("a"))->id, id);
  EXPECT_FALSE(rt_.openConflictFor(key("b")));

  EXPECT_TRUE(rt_.resolveConflict(id, "merged", "final", "admin", 100));
  EXPECT_FALSE(rt_.resolveConflict(id, "source_wins", "other", "admin", 101)) << "resolved once";
  const auto done = rt_.conflict(id);
  EXPECT_EQ(done->status, "resolved");
  EXPECT_EQ(done->resolution, "merged");
  EXPECT_EQ(done->resolved_ical, "final");
  EXPECT_EQ(done->resolved_by, "admin");
  EXPECT_EQ(done->resolved_at, 100);
  EXPECT_TRUE(rt_.conflicts("open", 10).empty());
  EXPECT_EQ(rt_.conflicts("resolved", 10).size(), 1u);
  EXPECT_EQ(rt_.conflicts("all", 10).size(), 1u);

  // The destination changed again before it was applied: open again, with the new version.
  rt_.reopenConflict(id, "v3", "etag-3");
  const auto again = rt_.conflict(id);
  EXPECT_EQ(again->status, "open");
  EXPECT_EQ(again->resolution, "");
  EXPECT_EQ(again->destination_ical, "v3");
  EXPECT_EQ(again->destination_etag, "etag-3");
  EXPECT_FALSE(rt_.conflict("cfl_0000000000000000"));
}

TEST_F(RoundTripStoreTest, CursorsAndSourceStrategiesSurviveReopening) {
  EXPECT_EQ(rt_.destinationCursor("dest"), "");
  rt_.setDestinationCursor("dest", "token-1");
  rt_.setDestinationCursor("dest", "token-2");
  EXPECT_EQ(rt_.sourcePolicy("agent-1", "work"), "inherit");
  rt_.setSourcePolicy("agent-1", "work", "manual");
  db_ = MasterDatabase{};
  auto reopened = openSqliteMasterDatabase(dir_.file("master.db"));
  EXPECT_EQ(reopened.roundtrip->destinationCursor("dest"), "token-2");
  EXPECT_EQ(reopened.roundtrip->sourcePolicy("agent-1", "work"), "manual");
  EXPECT_EQ(reopened.roundtrip->sourcePolicy("agent-1", "other"), "inherit");
}

}  // namespace
}  // namespace calsync::store
