#include "master/destination_writer.h"

#include "master/copy_identity.h"
#include "master_fixture.h"

namespace calsync::master {
namespace {

using testing::simpleObject;

class DestinationWriterTest : public MasterFixture {
 protected:
  WriteReport write() {
    UpdateBroker broker(*db_.updates, {});
    RoundTripContext context{*store_, *db_.roundtrip, broker, destination_, "dest", strategy_};
    DestinationWriter writer(context);
    return writer.run([] { return false; });
  }
  const CalendarObject* copyOf(const std::string& uid) {
    const std::string want = copyUid({"agent-1", "work", "cal", uid + ".ics"}, uid);
    for (const auto& [id, stored] : destination_.objects("dest")) {
      if (stored.object.uid == want) return &stored.object;
    }
    return nullptr;
  }
  testing::InMemoryConnector destination_{{{"dest", "Consolidated", "", "", true}}};
  ConflictStrategy strategy_ = ConflictStrategy::SourceWins;
};

TEST_F(DestinationWriterTest, WritesMarkedCopiesOnceAndFollowsChanges) {
  send({item(simpleObject("a", kNow, "A")), item(simpleObject("b", kNow, "B"))});
  auto first = write();
  EXPECT_EQ(first.created, 2u);
  const CalendarObject* copy = copyOf("a");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->origin, originMarker({"agent-1", "work", "cal", "a.ics"}, "a"));
  EXPECT_EQ(copy->components[0].uid, copy->uid);
  EXPECT_EQ(copy->components[0].summary, "A");

  const int writes = destination_.writes;
  EXPECT_EQ(write().created + write().updated, 0u);
  EXPECT_EQ(destination_.writes, writes) << "nothing changed, nothing may be written";

  send({item(simpleObject("a", kNow, "A, moved"))});
  EXPECT_EQ(write().updated, 1u);
  EXPECT_EQ(copyOf("a")->components[0].summary, "A, moved");

  send({}, {"b.ics"});
  EXPECT_EQ(write().deleted, 1u);
  EXPECT_EQ(copyOf("b"), nullptr);
  EXPECT_EQ(destination_.objects("dest").size(), 1u);
}

TEST_F(DestinationWriterTest, ALostMappingAdoptsTheCopyInsteadOfDuplicating) {
  send({item(simpleObject("a", kNow, "A"))});
  write();
  // A new store (state lost), fed the same source again.
  loseState("fresh.db");
  send({item(simpleObject("a", kNow, "A"))}, {}, "epoch-2");
  auto report = write();
  EXPECT_EQ(report.adopted, 1u);
  EXPECT_EQ(report.created, 0u);
  EXPECT_EQ(destination_.objects("dest").size(), 1u);
}

TEST_F(DestinationWriterTest, AnEventCalsyncDidNotWriteIsLeftAlone) {
  auto foreign = simpleObject(copyUid({"agent-1", "work", "cal", "a.ics"}, "a"), kNow, "Mine, not yours");
  destination_.put("dest", foreign);
  send({item(simpleObject("a", kNow, "A"))});
  auto report = write();
  EXPECT_EQ(report.failed, 1u);
  EXPECT_NE(report.first_error.find("did not write"), std::string::npos) << report.first_error;
  EXPECT_EQ(destination_.objects("dest").begin()->second.object.components[0].summary, "Mine, not yours");
  EXPECT_EQ(store_->pendingWrites(10).size(), 1u) << "it stays pending, visible, not forgotten";
}

TEST_F(DestinationWriterTest, AWriteThatLosesToAnEditIsMergedAndSettledByTheStrategy) {
  send({item(simpleObject("a", kNow, "A"))});
  write();
  // Someone edits the copy (new etag), then the source changes the same field: the stale
  // etag conflicts, the writer re-reads, merges, and the strategy decides.
  auto& stored = destination_.objects("dest").begin()->second;
  CalendarObject edited = stored.object;
  edited.components[0].summary = "edited in destination";
  destination_.put("dest", edited);
  send({item(simpleObject("a", kNow, "A2"))});
  auto report = write();
  EXPECT_EQ(report.failed, 0u) << report.first_error;
  EXPECT_EQ(copyOf("a")->components[0].summary, "A2") << "source_wins";
  EXPECT_EQ(report.routed, 0u);
}

TEST_F(DestinationWriterTest, AWriteThatLosesToAnEditKeepsItUnderDestinationWins) {
  strategy_ = ConflictStrategy::DestinationWins;
  send({item(simpleObject("a", kNow, "A"))});
  write();
  auto& stored = destination_.objects("dest").begin()->second;
  CalendarObject edited = stored.object;
  edited.components[0].summary = "edited in destination";
  destination_.put("dest", edited);
  send({item(simpleObject("a", kNow, "A2"))});
  auto report = write();
  EXPECT_EQ(report.failed, 0u) << report.first_error;
  EXPECT_EQ(copyOf("a")->components[0].summary, "edited in destination");
  EXPECT_EQ(report.routed, 1u) << "the destination's version goes to the source";
  const auto queued = db_.updates->list({});
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].update.kind, AgentUpdate::Kind::EventUpdate);
  EXPECT_NE(queued[0].update.ical.find("SUMMARY:edited in destination"), std::string::npos);
  EXPECT_EQ(queued[0].update.ical.find("X-CALSYNC-ORIGIN"), std::string::npos) << "no origin marker on an original";
}

TEST_F(DestinationWriterTest, OutOfWindowCopiesAreNotTouched) {
  auto a = simpleObject("a", kNow, "A");
  send({item(a)});
  write();
  const int writes = destination_.writes;
  send({protocol::BatchObject{"a.ics", "a", contentHash(a), "", 0, 0, false}});
  write();
  EXPECT_EQ(destination_.writes, writes);
  EXPECT_NE(copyOf("a"), nullptr);
}

TEST_F(DestinationWriterTest, AnUnreachableDestinationStopsThePassAndKeepsEverythingPending) {
  send({item(simpleObject("a", kNow, "A")), item(simpleObject("b", kNow, "B"))});
  destination_.fail_writes = ErrorKind::Network;
  auto report = write();
  EXPECT_EQ(report.failed, 1u) << "a connection-level error ends the pass at once";
  EXPECT_EQ(store_->pendingWrites(10).size(), 2u);
  destination_.fail_writes.reset();
  EXPECT_EQ(write().created, 2u);
}

TEST(CopyIdentity, IsStableAndDistinguishesSources) {
  const store::ObjectKey key{"agent", "src", "cal", "n"};
  EXPECT_EQ(copyUid(key, "u"), copyUid(key, "u"));
  EXPECT_EQ(copyUid(key, "u").size(), 40u);
  EXPECT_NE(copyUid(key, "u"), copyUid({"agent", "src2", "cal", "n"}, "u"));
  EXPECT_EQ(originMarker({"a b", "s/t", "c", "n"}, "u@x"), "calsync:a%20b/s%2Ft/c/u@x");
}

}  // namespace
}  // namespace calsync::master
