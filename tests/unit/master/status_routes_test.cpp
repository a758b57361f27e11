// GET /sync/stats, /sync/activity/recent and /api/sync/status.
#include "api_fixture.h"

namespace calsync::master {
namespace {

using testing::simpleObject;

class StatusRoutesTest : public ApiFixture {
 protected:
  const std::int64_t soon_ = nowSeconds() + 86400;
};

TEST_F(StatusRoutesTest, StatsCountWhatTheStoreHolds) {
  send({item(simpleObject("a", soon_, "Secret meeting")), item(simpleObject("b", soon_, "B"))}, "cal");
  send({item(simpleObject("c", soon_, "C"))}, "other", "agent-2");
  auto before = call("GET", "/sync/stats");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.json->getValue<std::string>("last_destination_write"), "");
  EXPECT_EQ(before.json->getValue<int>("pending_writes"), 3);

  runtime_->writeDestination(nowSeconds(), [] { return false; }, true);
  ASSERT_EQ(call("DELETE", "/calendars/" + calendarId("cal")).status, 202);
  auto r = call("GET", "/sync/stats");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto objects = r.json->getObject("objects");
  EXPECT_EQ(objects->getValue<int>("active"), 1);
  EXPECT_EQ(objects->getValue<int>("deleted"), 2);
  EXPECT_EQ(r.json->getValue<int>("copies"), 3);
  EXPECT_EQ(r.json->getValue<int>("pending_writes"), 2) << "the retired calendar's copies wait for removal";
  EXPECT_EQ(r.json->getObject("agents")->getValue<int>("total"), 2);
  EXPECT_EQ(r.json->getObject("agents")->getValue<int>("online"), 2);
  EXPECT_EQ(r.json->getObject("calendars")->getValue<int>("total"), 2);
  EXPECT_EQ(r.json->getObject("calendars")->getValue<int>("excluded"), 1);
  EXPECT_EQ(r.json->getObject("updates")->getValue<int>("pending"), 1);
  EXPECT_NE(r.json->getValue<std::string>("last_destination_write"), "");
  EXPECT_EQ(r.json->getObject("conflicts")->getValue<int>("open"), 0);
}

TEST_F(StatusRoutesTest, ActivityIsNewestFirstAndCarriesNoEventContent) {
  send({item(simpleObject("a", soon_, "Secret meeting"))}, "cal");
  runtime_->writeDestination(nowSeconds(), [] { return false; }, true);
  ASSERT_EQ(call("PUT", "/calendars/" + calendarId("cal"), R"({"color": "#112233"})").status, 202);

  auto r = call("GET", "/sync/activity/recent?limit=3");
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = r.json->getArray("activity");
  ASSERT_EQ(list->size(), 3u) << r.body;
  // Newest first; within one second (this test is quicker than the clock) audit first.
  std::vector<std::string> actions;
  std::string previous_at = "9999";
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto item = list->getObject(static_cast<unsigned>(i));
    actions.push_back(item->getValue<std::string>("kind") + ":" + item->getValue<std::string>("action"));
    EXPECT_LE(item->getValue<std::string>("at"), previous_at);
    previous_at = item->getValue<std::string>("at");
  }
  const std::vector<std::string> expected = {"audit:calendar.update", "journal:copy-write", "journal:upsert"};
  EXPECT_EQ(actions, expected);
  EXPECT_EQ(list->getObject(2)->getValue<std::string>("native_id"), "a.ics");
  EXPECT_EQ(r.body.find("Secret"), std::string::npos) << r.body;
  EXPECT_EQ(call("GET", "/sync/activity/recent?limit=0").status, 400);
}

TEST_F(StatusRoutesTest, SyncStatusSummarisesAgentsDestinationAndWhatIsPending) {
  send({item(simpleObject("a", soon_, "A"))}, "cal");
  auto r = call("GET", "/api/sync/status");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json->getValue<std::string>("mode"), "master");
  EXPECT_EQ(r.json->getObject("pending")->getValue<int>("destination_writes"), 1);
  EXPECT_FALSE(r.json->getValue<bool>("healthy")) << "the destination was not written yet: " << r.body;

  runtime_->writeDestination(nowSeconds(), [] { return false; }, true);
  r = call("GET", "/api/sync/status");
  EXPECT_TRUE(r.json->getValue<bool>("healthy")) << r.body;
  EXPECT_EQ(r.json->getValue<std::string>("status"), "ok");
  const auto destination = r.json->getObject("destination");
  EXPECT_EQ(destination->getValue<std::string>("state"), "ok");
  EXPECT_EQ(destination->getValue<int>("copies"), 1);
  const auto agents = r.json->getArray("agents");
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_EQ(agents->getObject(0)->getValue<std::string>("status"), "online");
  EXPECT_EQ(r.json->getObject("pending")->getValue<int>("destination_writes"), 0);

  // A failing destination makes the whole status say so.
  destination_->fail_writes = ErrorKind::Network;
  send({item(simpleObject("b", soon_, "B"))}, "cal");
  runtime_->writeDestination(nowSeconds(), [] { return false; }, true);
  r = call("GET", "/api/sync/status");
  EXPECT_FALSE(r.json->getValue<bool>("healthy"));
  EXPECT_EQ(r.json->getValue<std::string>("status"), "failing") << r.body;
  EXPECT_NE(r.json->getObject("destination")->getValue<std::string>("last_error").find("scripted"), std::string::npos);
}

}  // namespace
}  // namespace calsync::master

namespace calsync::master {
namespace {

TEST_F(StatusRoutesTest, AnAgentsReportIsShownNotTrusted) {
  HeartbeatRequest beat;
  beat.agent_id = "agent-1";
  beat.epoch = "e";
  AgentReport report;
  report.sync_config = {{"sync_interval", "soon"}, {"window_past", "86400"}, {"bidirectional", "false"}};
  report.sources = {{"work", "failing", 1790000000, "network: refused"}};
  beat.report = report;
  runtime_->store().recordCheckIn("agent-1", "Agent one", nowSeconds());
  runtime_->heartbeat(beat);
  auto r = call("GET", "/sync/agents/agent-1/status");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto config = r.json->getObject("sync_config");
  EXPECT_EQ(config->getValue<std::string>("sync_interval"), "soon");
  EXPECT_EQ(config->getValue<std::int64_t>("window_past"), 86400);
  EXPECT_FALSE(config->getValue<bool>("bidirectional"));
  const auto source = r.json->getArray("sources")->getObject(0);
  EXPECT_EQ(source->getValue<std::string>("last_sync"), "2026-09-21T14:13:20Z") << "a failing source: its last success";
  EXPECT_EQ(source->getValue<std::string>("last_error"), "network: refused");
  auto status = call("GET", "/api/sync/status");
  EXPECT_EQ(status.json->getValue<std::string>("status"), "failing") << status.body;
}

}  // namespace
}  // namespace calsync::master
