// The dry run behind GET /sync/plan: it must predict what the destination writer then does,
// and write nothing itself. The writer is the oracle here.
#include "master/destination_plan.h"

#include "master/destination_writer.h"
#include "master_fixture.h"

namespace calsync::master {
namespace {

using testing::simpleObject;

class DestinationPlanTest : public MasterFixture {
 protected:
  WriteReport write() {
    UpdateBroker broker(*db_.updates, {});
    RoundTripContext context{*store_, *db_.roundtrip, broker, destination_, "dest", ConflictStrategy::LatestWins};
    DestinationWriter writer(context);
    return writer.run([] { return false; });
  }
  static std::vector<std::string> uids(const std::vector<PlannedWrite>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.uid);
    std::sort(out.begin(), out.end());
    return out;
  }
  testing::InMemoryConnector destination_{{{"dest", "Consolidated", "", "", true}}};
};

TEST_F(DestinationPlanTest, PredictsCreatesUpdatesAndDeletesWithoutWriting) {
  send({item(simpleObject("a", kNow, "Alpha")), item(simpleObject("b", kNow, "Beta"))});
  DestinationPlan plan = planDestinationWrites(*store_, *db_.roundtrip, 100);
  EXPECT_EQ(uids(plan.create), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(plan.update.empty() && plan.remove.empty() && plan.held.empty());
  EXPECT_EQ(plan.create[0].summary, plan.create[0].uid == "a" ? "Alpha" : "Beta");
  EXPECT_EQ(plan.create[0].key.source, "work");
  EXPECT_EQ(destination_.writes, 0) << "a dry run writes nothing";
  EXPECT_EQ(planDestinationWrites(*store_, *db_.roundtrip, 100).create.size(), 2u) << "and changes nothing in the store";

  WriteReport report = write();
  EXPECT_EQ(report.created, plan.create.size());
  EXPECT_TRUE(planDestinationWrites(*store_, *db_.roundtrip, 100).create.empty()) << "after the write nothing is left to plan";

  send({item(simpleObject("a", kNow, "Alpha, moved"))}, {"b.ics"});
  plan = planDestinationWrites(*store_, *db_.roundtrip, 100);
  EXPECT_EQ(uids(plan.update), std::vector<std::string>{"a"});
  EXPECT_EQ(plan.update[0].summary, "Alpha, moved");
  EXPECT_EQ(uids(plan.remove), std::vector<std::string>{"b"});
  EXPECT_TRUE(plan.create.empty());
  report = write();
  EXPECT_EQ(report.updated, 1u);
  EXPECT_EQ(report.deleted, 1u);
}

TEST_F(DestinationPlanTest, ATombstoneWithoutACopyNeedsNoWrite) {
  send({item(simpleObject("a", kNow, "Alpha"))});
  send({}, {"a.ics"});   // deleted before it was ever written
  const DestinationPlan plan = planDestinationWrites(*store_, *db_.roundtrip, 100);
  EXPECT_TRUE(plan.create.empty() && plan.remove.empty() && plan.update.empty());
  EXPECT_EQ(write().deleted, 0u);
}

TEST_F(DestinationPlanTest, AStoredVersionThatDoesNotParseIsHeldWithAReason) {
  protocol::BatchObject broken = item(simpleObject("x", kNow, "X"));
  broken.ical = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";   // no event in it
  send({broken});
  const DestinationPlan plan = planDestinationWrites(*store_, *db_.roundtrip, 100);
  ASSERT_EQ(plan.held.size(), 1u);
  EXPECT_NE(plan.held[0].reason.find("does not parse"), std::string::npos);
  EXPECT_TRUE(plan.create.empty());
  EXPECT_EQ(write().failed, 1u) << "the writer indeed refuses it";
}

TEST_F(DestinationPlanTest, ALimitCutsTheListAndSaysSo) {
  send({item(simpleObject("a", kNow, "A")), item(simpleObject("b", kNow, "B")), item(simpleObject("c", kNow, "C"))});
  const DestinationPlan cut = planDestinationWrites(*store_, *db_.roundtrip, 2);
  EXPECT_EQ(cut.create.size(), 2u);
  EXPECT_TRUE(cut.truncated);
  EXPECT_FALSE(planDestinationWrites(*store_, *db_.roundtrip, 3).truncated);
}

}  // namespace
}  // namespace calsync::master
