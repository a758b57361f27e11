#include <algorithm>
#include <chrono>
#include <iostream>

#include <gtest/gtest.h>

#include "store/master_store.h"
#include "tests/unit/store/store_test_support.h"

namespace calsync::store {
namespace {

using namespace Poco::Data::Keywords;
using testing::rawSession;
using testing::ScratchDir;

constexpr const char* kAgent = "agent-1";
constexpr std::int64_t kHour = 3600;

ObjectKey key(const std::string& native_id, const std::string& agent = kAgent) {
  return {agent, "ics", "work", native_id};
}

StoredObject object(const std::string& native_id, const std::string& hash, std::int64_t start = 10 * kHour,
                    std::int64_t end = 11 * kHour, ObjectState state = ObjectState::Active) {
  StoredObject o;
  o.key = key(native_id);
  o.uid = native_id + "@example.com";
  o.hash = hash;
  o.ical = "BEGIN:VEVENT\r\nUID:" + o.uid + "\r\nEND:VEVENT\r\n";
  o.span_start_utc = start;
  o.span_end_utc = end;
  o.state = state;
  return o;
}

IngestBatch batch(std::int64_t sequence, std::vector<StoredObject> upserts = {},
                  std::vector<ObjectKey> deletions = {}, const std::string& epoch = "epoch-a") {
  IngestBatch b;
  b.agent_id = kAgent;
  b.agent_name = "laptop";
  b.epoch = epoch;
  b.sequence = sequence;
  b.upserts = std::move(upserts);
  b.deletions = std::move(deletions);
  return b;
}

DestinationCopy copyOf(const StoredObject& o, const std::string& written_hash) {
  DestinationCopy copy;
  copy.key = o.key;
  copy.copy_uid = "copy-" + o.uid;
  copy.dest_calendar = "dest";
  copy.dest_native_id = "dest-" + o.key.native_id;
  copy.dest_etag = "etag-1";
  copy.written_hash = written_hash;
  return copy;
}

std::vector<std::string> nativeIds(const std::vector<StoredObject>& objects) {
  std::vector<std::string> ids;
  for (const auto& o : objects) ids.push_back(o.key.native_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Journal entries oldest first, with only the fields the tests compare.
std::vector<std::string> journalSummary(MasterStore& store) {
  auto entries = store.recentJournal(1000);
  std::reverse(entries.begin(), entries.end());
  std::vector<std::string> lines;
  for (const auto& e : entries) {
    lines.push_back(e.action + " " + e.key.native_id + " " + e.before_hash + ">" + e.after_hash);
  }
  return lines;
}

class MasterStoreTest : public ::testing::Test {
 protected:
  ScratchDir dir;
  std::string path = dir.file("master.db");
  std::unique_ptr<MasterStore> store = openSqliteMasterStore(path);
};

TEST_F(MasterStoreTest, IngestStoresObjectsCalendarsAndAgent) {
  IngestBatch b = batch(1, {object("a", "h1")});
  b.calendars.push_back({kAgent, "ics", Calendar{"work", "Work", "#112233", "desc", true}});
  ASSERT_TRUE(store->ingest(b));

  const auto stored = store->object(key("a"));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->hash, "h1");
  EXPECT_EQ(stored->uid, "a@example.com");
  EXPECT_EQ(stored->ical, object("a", "h1").ical);
  EXPECT_EQ(stored->span_start_utc, 10 * kHour);
  EXPECT_EQ(stored->span_end_utc, 11 * kHour);
  EXPECT_EQ(stored->state, ObjectState::Active);
  EXPECT_GT(stored->updated_at, 0);
  EXPECT_FALSE(store->object(key("missing")));

  const auto calendars = store->calendars();
  ASSERT_EQ(calendars.size(), 1u);
  EXPECT_EQ(calendars[0].calendar.name, "Work");
  EXPECT_EQ(calendars[0].calendar.color, "#112233");
  EXPECT_TRUE(calendars[0].calendar.writable);

  const auto agent = store->agent(kAgent);
  ASSERT_TRUE(agent);
  EXPECT_EQ(agent->name, "laptop");
  EXPECT_EQ(agent->epoch, "epoch-a");
  EXPECT_EQ(agent->last_sequence, 1);
  EXPECT_GT(agent->last_seen, 0);
  EXPECT_FALSE(store->agent("nobody"));
  EXPECT_EQ(store->agents().size(), 1u);
}

TEST_F(MasterStoreTest, ReplayedSequenceIsIgnoredAndChangesNothing) {
  ASSERT_TRUE(store->ingest(batch(5, {object("a", "h1")})));
  const auto journal_before = journalSummary(*store);

  EXPECT_FALSE(store->ingest(batch(5, {object("a", "h2"), object("b", "h1")})));
  EXPECT_FALSE(store->ingest(batch(4, {object("c", "h1")})));

  EXPECT_EQ(store->object(key("a"))->hash, "h1");
  EXPECT_FALSE(store->object(key("b")));
  EXPECT_FALSE(store->object(key("c")));
  EXPECT_EQ(store->agent(kAgent)->last_sequence, 5);
  EXPECT_EQ(journalSummary(*store), journal_before);
  EXPECT_EQ(store->counts().at("objects.active"), 1);
}

TEST_F(MasterStoreTest, NewEpochRestartsSequences) {
  ASSERT_TRUE(store->ingest(batch(50, {object("a", "h1")})));
  ASSERT_TRUE(store->ingest(batch(1, {object("a", "h2")}, {}, "epoch-b")));
  EXPECT_EQ(store->object(key("a"))->hash, "h2");
  EXPECT_EQ(store->agent(kAgent)->epoch, "epoch-b");
  EXPECT_EQ(store->agent(kAgent)->last_sequence, 1);
  EXPECT_FALSE(store->ingest(batch(1, {object("a", "h3")}, {}, "epoch-b")));
  EXPECT_TRUE(store->ingest(batch(2, {object("a", "h3")}, {}, "epoch-b")));
}

TEST_F(MasterStoreTest, DeletionLeavesATombstoneAndUnknownDeletionsAreNoOps) {
  ASSERT_TRUE(store->ingest(batch(1, {object("a", "h1")})));
  ASSERT_TRUE(store->ingest(batch(2, {}, {key("a"), key("never-seen")})));
  const auto tombstone = store->object(key("a"));
  ASSERT_TRUE(tombstone);
  EXPECT_EQ(tombstone->state, ObjectState::Deleted);
  EXPECT_EQ(tombstone->hash, "h1");
  EXPECT_FALSE(store->object(key("never-seen")));
  // Deleting again journals nothing new.
  ASSERT_TRUE(store->ingest(batch(3, {}, {key("a")})));
  EXPECT_EQ(journalSummary(*store), (std::vector<std::string>{"upsert a >h1", "delete a h1>"}));
  const auto counts = store->counts();
  EXPECT_EQ(counts.at("objects.active"), 0);
  EXPECT_EQ(counts.at("objects.deleted"), 1);
}

TEST_F(MasterStoreTest, JournalRecordsBeforeAndAfterHashesOnlyForChanges) {
  ASSERT_TRUE(store->ingest(batch(1, {object("a", "h1")})));
  ASSERT_TRUE(store->ingest(batch(2, {object("a", "h1")})));  // unchanged: no entry
  ASSERT_TRUE(store->ingest(batch(3, {object("a", "h2")})));
  ASSERT_TRUE(store->ingest(batch(4, {object("a", "h2", 0, 1, ObjectState::OutOfWindow)})));
  ASSERT_TRUE(store->ingest(batch(5, {object("a", "h2", 0, 1, ObjectState::OutOfWindow)})));  // unchanged
  ASSERT_TRUE(store->ingest(batch(6, {object("a", "h2")})));  // back in the window
  EXPECT_EQ(journalSummary(*store), (std::vector<std::string>{"upsert a >h1", "upsert a h1>h2",
                                                              "out-of-window a h2>h2", "upsert a h2>h2"}));
  const auto newest = store->recentJournal(1);
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].actor, std::string("agent:") + kAgent);
  EXPECT_GT(newest[0].at, 0);
}

TEST_F(MasterStoreTest, UnchangedUpsertKeepsUpdatedAtButRefreshesText) {
  ASSERT_TRUE(store->ingest(batch(1, {object("a", "h1")})));
  {
    auto session = rawSession(path);
    session << "UPDATE objects SET updated_at = 7", now;
  }
  StoredObject same = object("a", "h1");
  same.ical += "X-NOTE:server-managed change\r\n";
  ASSERT_TRUE(store->ingest(batch(2, {same})));
  EXPECT_EQ(store->object(key("a"))->updated_at, 7);
  EXPECT_EQ(store->object(key("a"))->ical, same.ical);
  ASSERT_TRUE(store->ingest(batch(3, {object("a", "h2")})));
  EXPECT_GT(store->object(key("a"))->updated_at, 7);
}

TEST_F(MasterStoreTest, PendingWritesFollowCopyState) {
  ASSERT_TRUE(store->ingest(batch(1, {
      object("no-copy", "h1"),
      object("stale-copy", "h2"),
      object("fresh-copy", "h1"),
      object("gone-with-copy", "h1"),
      object("gone-without-copy", "h1"),
      object("out-of-window", "h1", 0, 1, ObjectState::OutOfWindow),
      object("out-of-window-with-copy", "h1"),
  })));
  store->saveCopy(copyOf(object("stale-copy", "h2"), "h1"), "destination");
  store->saveCopy(copyOf(object("fresh-copy", "h1"), "h1"), "destination");
  store->saveCopy(copyOf(object("gone-with-copy", "h1"), "h1"), "destination");
  store->saveCopy(copyOf(object("out-of-window-with-copy", "h1"), "h0"), "destination");
  ASSERT_TRUE(store->ingest(batch(2, {object("out-of-window-with-copy", "h1", 0, 1, ObjectState::OutOfWindow)},
                                  {key("gone-with-copy"), key("gone-without-copy")})));

  EXPECT_EQ(nativeIds(store->pendingWrites(100)),
            (std::vector<std::string>{"gone-with-copy", "no-copy", "stale-copy"}));
  EXPECT_EQ(store->pendingWrites(2).size(), 2u);

  // Writing the copies and removing the deleted one's copy clears the work.
  store->saveCopy(copyOf(object("no-copy", "h1"), "h1"), "destination");
  store->saveCopy(copyOf(object("stale-copy", "h2"), "h2"), "destination");
  store->removeCopy(key("gone-with-copy"), "destination");
  EXPECT_TRUE(store->pendingWrites(100).empty());

  // A changed source object becomes pending again.
  ASSERT_TRUE(store->ingest(batch(3, {object("fresh-copy", "h9")})));
  EXPECT_EQ(nativeIds(store->pendingWrites(100)), (std::vector<std::string>{"fresh-copy"}));
}

TEST_F(MasterStoreTest, CopiesAreSavedReplacedRemovedAndJournaled) {
  ASSERT_TRUE(store->ingest(batch(1, {object("a", "h1")})));
  store->saveCopy(copyOf(object("a", "h1"), "h1"), "destination");
  DestinationCopy updated = copyOf(object("a", "h2"), "h2");
  updated.dest_etag = "etag-2";
  store->saveCopy(updated, "destination");
  const auto copy = store->copy(key("a"));
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->dest_etag, "etag-2");
  EXPECT_EQ(copy->written_hash, "h2");
  EXPECT_EQ(copy->copy_uid, "copy-a@example.com");
  EXPECT_EQ(store->copies().size(), 1u);
  EXPECT_EQ(store->counts().at("copies"), 1);

  store->removeCopy(key("a"), "destination");
  store->removeCopy(key("a"), "destination");  // already gone: no-op
  EXPECT_FALSE(store->copy(key("a")));
  EXPECT_EQ(journalSummary(*store), (std::vector<std::string>{"upsert a >h1", "copy-write a >h1",
                                                              "copy-write a h1>h2", "copy-delete a h2>"}));
  EXPECT_EQ(store->recentJournal(1)[0].actor, "destination");
}

TEST_F(MasterStoreTest, CopyOfUnknownObjectIsRefused) {
  EXPECT_THROW(store->saveCopy(copyOf(object("ghost", "h1"), "h1"), "destination"), StoreError);
  EXPECT_TRUE(store->copies().empty());
}

TEST_F(MasterStoreTest, RangeQueryReturnsOverlappingActiveObjects) {
  ASSERT_TRUE(store->ingest(batch(1, {
      object("before", "h", 0, 10),
      object("touches-start", "h", 5, 10),  // ends exactly at `from`: no overlap
      object("overlaps-start", "h", 5, 15),
      object("inside", "h", 12, 13),
      object("overlaps-end", "h", 18, 25),
      object("starts-at-end", "h", 20, 30),  // starts exactly at `to`: no overlap
      object("covers", "h", 0, 100),
      object("out-of-window", "h", 12, 13, ObjectState::OutOfWindow),
      object("deleted", "h", 12, 13),
  })));
  ASSERT_TRUE(store->ingest(batch(2, {}, {key("deleted")})));
  EXPECT_EQ(nativeIds(store->activeObjectsInRange(10, 20)),
            (std::vector<std::string>{"covers", "inside", "overlaps-end", "overlaps-start"}));
}

TEST_F(MasterStoreTest, CountsByState) {
  ASSERT_TRUE(store->ingest(batch(1, {object("a", "h"), object("b", "h"),
                                      object("c", "h", 0, 1, ObjectState::OutOfWindow)})));
  ASSERT_TRUE(store->ingest(batch(2, {}, {key("b")})));
  store->appendJournal({0, 0, "admin:root", "note", key("a"), "", "", "checked"});
  const auto counts = store->counts();
  EXPECT_EQ(counts.at("objects.active"), 1);
  EXPECT_EQ(counts.at("objects.out_of_window"), 1);
  EXPECT_EQ(counts.at("objects.deleted"), 1);
  EXPECT_EQ(counts.at("copies"), 0);
  EXPECT_EQ(counts.at("agents"), 1);
  EXPECT_EQ(counts.at("journal"), 5);  // upsert a, upsert b, out-of-window c, delete b, the note
}

TEST_F(MasterStoreTest, ObjectsOfAnotherAgentOrDeletedStateAreRefused) {
  IngestBatch foreign = batch(1, {object("a", "h1")});
  foreign.upserts[0].key.agent_id = "agent-2";
  EXPECT_THROW(store->ingest(foreign), StoreError);
  EXPECT_THROW(store->ingest(batch(1, {object("a", "h1", 0, 1, ObjectState::Deleted)})), StoreError);
  EXPECT_FALSE(store->agent(kAgent));
  EXPECT_TRUE(store->ingest(batch(1, {object("a", "h1")})));
}

TEST_F(MasterStoreTest, FailedIngestLeavesNothingAndCanBeRetried) {
  ASSERT_TRUE(store->ingest(batch(1, {object("a", "h1")})));
  store.reset();
  {
    auto session = rawSession(path);
    session << "CREATE TRIGGER fail_on_c BEFORE INSERT ON journal WHEN NEW.native_id = 'c' "
               "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        now;
  }
  store = openSqliteMasterStore(path);
  const IngestBatch second = batch(2, {object("a", "h2"), object("b", "h1"), object("c", "h1")});
  try {
    store->ingest(second);
    FAIL() << "the injected failure did not surface";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_EQ(store->object(key("a"))->hash, "h1");
  EXPECT_FALSE(store->object(key("b")));
  EXPECT_EQ(store->agent(kAgent)->last_sequence, 1);
  EXPECT_EQ(journalSummary(*store), (std::vector<std::string>{"upsert a >h1"}));

  store.reset();
  rawSession(path) << "DROP TRIGGER fail_on_c", now;
  store = openSqliteMasterStore(path);
  EXPECT_TRUE(store->ingest(second));
  EXPECT_EQ(store->counts().at("objects.active"), 3);
}

TEST_F(MasterStoreTest, LargeObjectsRoundTrip) {
  StoredObject big = object("big", "h1");
  big.ical.reserve(3 * 1024 * 1024);
  for (int line = 0; big.ical.size() < 3 * 1024 * 1024; ++line) {
    big.ical += "ATTENDEE;CN=Person " + std::to_string(line) + ":mailto:p" + std::to_string(line) + "@example.com\r\n";
  }
  ASSERT_TRUE(store->ingest(batch(1, {big})));
  const std::string read_back = store->object(key("big"))->ical;
  EXPECT_EQ(read_back.size(), big.ical.size());
  EXPECT_TRUE(read_back == big.ical);  // not EXPECT_EQ: a mismatch would print 3 MB
}

TEST_F(MasterStoreTest, IngestsTenThousandObjectsInOneBatch) {
  std::vector<StoredObject> objects;
  for (int i = 0; i < 10000; ++i) {
    StoredObject o = object("event-" + std::to_string(i), "hash-" + std::to_string(i), i * kHour, i * kHour + 1800);
    o.ical += std::string(1000, 'd');  // roughly the size of a real event
    objects.push_back(std::move(o));
  }
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(store->ingest(batch(1, objects)));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  std::cout << "[ measure  ] ingest of 10000 new objects in one batch: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
  RecordProperty("ingest_10000_ms",
                 static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));

  EXPECT_EQ(store->counts().at("objects.active"), 10000);
  EXPECT_EQ(store->counts().at("journal"), 10000);
  EXPECT_EQ(store->activeObjectsInRange(100 * kHour, 110 * kHour).size(), 10u);
  EXPECT_EQ(store->pendingWrites(20000).size(), 10000u);
}

}  // namespace
}  // namespace calsync::store
