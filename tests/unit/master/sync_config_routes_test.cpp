// POST /sync/push/sync-config, DELETE /calendars/{id} and POST /calendars.
#include "agent/agent_runtime.h"
#include "api_fixture.h"
#include "core/sync_config.h"

namespace calsync::master {
namespace {

using testing::simpleObject;

class SyncConfigRoutesTest : public ApiFixture {
 protected:
  // The newest sync_config update queued for `agent`.
  std::optional<AgentUpdate> lastSyncConfig(const std::string& agent) {
    for (const auto& q : runtime_->updates().queue().list({agent, std::nullopt, 100})) {
      if (q.update.kind == AgentUpdate::Kind::SyncConfig) return q.update;   // newest first
    }
    return std::nullopt;
  }
  std::string lastAuditAction() { return runtime_->audit().recent(1).at(0).action; }
  const std::int64_t soon_ = nowSeconds() + 86400;
};

TEST_F(SyncConfigRoutesTest, PushQueuesEachAgentsWholeOverrideAndAuditsIt) {
  send({item(simpleObject("a", soon_, "A"))}, "cal", "agent-1");
  send({}, "cal", "agent-2");
  auto r = call("POST", "/sync/push/sync-config",
                R"({"target_agents": "all", "config": {"sync_interval": "5m", "window_past": 86400,
                    "window_future": "2w", "bidirectional": false}})");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json->getValue<int>("count"), 2);
  for (const char* agent : {"agent-1", "agent-2"}) {
    auto update = lastSyncConfig(agent);
    ASSERT_TRUE(update) << agent;
    const std::map<std::string, std::string> expected = {
        {"sync_interval", "300"},     {"window_past", "86400"},  {"window_future", "1209600"},
        {"bidirectional", "false"},   {"exclude_calendars", ""}, {"include_calendars", ""}};
    EXPECT_EQ(update->settings, expected) << agent;
  }
  EXPECT_EQ(lastAuditAction(), "sync_config.push");
  EXPECT_NE(runtime_->audit().recent(1)[0].after.find("\"sync_interval\":300"), std::string::npos);

  // Each update carries the whole override: a newer one supersedes what was not processed.
  ASSERT_TRUE(runtime_->updates().queue().list({"agent-1", store::UpdateStatus::Processed, 10}).empty());
  ASSERT_EQ(call("POST", "/sync/push/sync-config", R"({"target_agents": ["agent-1"], "config": {"sync_interval": 600}})")
                .status,
            202);
  const auto superseded = runtime_->updates().queue().list({"agent-1", store::UpdateStatus::Processed, 10});
  ASSERT_EQ(superseded.size(), 1u);
  EXPECT_EQ(superseded[0].update.settings.at("sync_interval"), "300");
  EXPECT_NE(superseded[0].result.find("superseded by update"), std::string::npos);
  EXPECT_EQ(runtime_->updates().take("agent-1").size(), 1u) << "only the newest is delivered";

  // Only the named agents; an empty config clears the override.
  r = call("POST", "/sync/push/sync-config", R"({"target_agents": ["agent-2"], "config": {}})");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_TRUE(r.json->getValue<bool>("cleared"));
  const std::map<std::string, std::string> cleared = {{"exclude_calendars", ""}, {"include_calendars", ""}};
  EXPECT_EQ(lastSyncConfig("agent-2")->settings, cleared);
  EXPECT_EQ(lastSyncConfig("agent-1")->settings.at("sync_interval"), "600") << "agent-1 was not a target";
}

TEST_F(SyncConfigRoutesTest, PushRefusesBadInputWithTheReason) {
  send({}, "cal", "agent-1");
  const auto push = [&](const std::string& body) { return call("POST", "/sync/push/sync-config", body); };
  auto r = push(R"({"target_agents": "all", "config": {"sync_interval": "5s"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(errorMessage(r).find("sync_interval must be from 10s to 1d"), std::string::npos) << r.body;
  r = push(R"({"target_agents": "all", "config": {"window_future": "3651d"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(errorMessage(r).find("window_future"), std::string::npos) << r.body;
  r = push(R"({"target_agents": "all", "config": {"window_past": "soon"}})");
  EXPECT_EQ(r.status, 400) << r.body;
  r = push(R"({"target_agents": "all", "config": {"bidirectional": "maybe"}})");
  EXPECT_EQ(r.status, 400) << r.body;
  r = push(R"({"target_agents": "all", "config": {"exclude_calendars": "work/cal"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(errorMessage(r).find("DELETE /calendars"), std::string::npos) << r.body;
  r = push(R"({"target_agents": ["ghost"], "config": {}})");
  EXPECT_EQ(r.status, 404) << r.body;
  r = push(R"({"target_agents": "some", "config": {}})");
  EXPECT_EQ(r.status, 400) << r.body;
  r = push(R"({"target_agents": "all"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_FALSE(lastSyncConfig("agent-1")) << "nothing may be queued for a refused push";
}

TEST_F(SyncConfigRoutesTest, DeletingACalendarRemovesOnlyTheCopiesCalsyncWrote) {
  send({item(simpleObject("a", soon_, "A")), item(simpleObject("b", soon_, "B"))}, "cal");
  send({item(simpleObject("c", soon_, "C"))}, "other");
  runtime_->writeDestination(nowSeconds(), [] { return false; }, true);
  ASSERT_EQ(destination_->objects("dest").size(), 3u);
  // An event in the destination that calsync did not write.
  CalendarObject foreign = simpleObject("mine", soon_, "Mine");
  destination_->put("dest", foreign);

  const std::string id = calendarId("cal");
  auto r = call("DELETE", "/calendars/" + id);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json->getValue<int>("objects_retired"), 2);
  EXPECT_EQ(r.json->getValue<int>("copies_to_remove"), 2);
  EXPECT_FALSE(r.json->getValue<bool>("syncing"));
  EXPECT_EQ(lastSyncConfig("agent-1")->settings.at("exclude_calendars"), "work/cal");
  EXPECT_EQ(lastAuditAction(), "calendar.exclude");

  runtime_->writeDestination(nowSeconds(), [] { return false; }, true);
  auto& left = destination_->objects("dest");
  ASSERT_EQ(left.size(), 2u);
  EXPECT_TRUE(left.count("mine.ics")) << "an event calsync did not write stays";
  // The source objects stay, as tombstones.
  auto a = runtime_->store().object({"agent-1", "work", "cal", "a.ics"});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->state, store::ObjectState::Deleted);
  EXPECT_EQ(runtime_->store().object({"agent-1", "work", "other", "c.ics"})->state, store::ObjectState::Active);

  // What the agent still sends for the calendar before it hears is acknowledged, not stored.
  auto ack = send({item(simpleObject("a", soon_, "A again"))}, "cal");
  EXPECT_EQ(ack.acknowledged_sequence, sequence_["agent-1"]);
  EXPECT_EQ(runtime_->store().object({"agent-1", "work", "cal", "a.ics"})->state, store::ObjectState::Deleted);

  auto list = call("GET", "/calendars");
  EXPECT_NE(list.body.find("\"calendar_id\":\"cal\""), std::string::npos);
  EXPECT_NE(list.body.find("\"syncing\":false"), std::string::npos) << list.body;
  EXPECT_EQ(call("DELETE", "/calendars/cal_0000000000000000").status, 404);
}

TEST_F(SyncConfigRoutesTest, PostingACalendarIncludesItAgain) {
  send({item(simpleObject("a", soon_, "A"))}, "cal");
  const std::string id = calendarId("cal");
  ASSERT_EQ(call("DELETE", "/calendars/" + id).status, 202);

  auto r = call("POST", "/calendars", R"({"agent_id": "agent-1", "source": "work", "calendar_id": "cal"})");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json->getValue<std::string>("id"), id);
  EXPECT_TRUE(r.json->getValue<bool>("syncing"));
  auto update = lastSyncConfig("agent-1");
  EXPECT_EQ(update->settings.at("exclude_calendars"), "");
  EXPECT_EQ(update->settings.at("include_calendars"), "work/cal");
  EXPECT_EQ(lastAuditAction(), "calendar.include");
  // The agent's full listing brings the object back.
  send({item(simpleObject("a", soon_, "A"))}, "cal");
  EXPECT_EQ(runtime_->store().object({"agent-1", "work", "cal", "a.ics"})->state, store::ObjectState::Active);

  // A calendar the agent's own filter leaves out can be added by its id; ids with '/' and
  // ',' survive the list encoding.
  r = call("POST", "/calendars", R"({"agent_id": "agent-1", "source": "work", "calendar_id": "/dav/a,b/"})");
  ASSERT_EQ(r.status, 202) << r.body;
  const auto parsed = parseCalendarList(lastSyncConfig("agent-1")->settings.at("include_calendars"));
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->count({"work", "/dav/a,b/"}));
  EXPECT_TRUE(parsed->count({"work", "cal"}));

  EXPECT_EQ(call("POST", "/calendars", R"({"agent_id": "ghost", "source": "work", "calendar_id": "x"})").status, 404);
  EXPECT_EQ(call("POST", "/calendars", R"({"agent_id": "agent-1", "source": "work"})").status, 400);
}

}  // namespace
}  // namespace calsync::master

namespace calsync::master {
namespace {

// A real agent runtime talking to the master in-process, as standalone mode wires them.
class SyncConfigLoopTest : public SyncConfigRoutesTest {
 protected:
  SyncConfigLoopTest() {
    auto source = std::make_unique<testing::InMemoryConnector>();
    source_ = source.get();
    std::vector<agent::SourceSetup> sources;
    sources.push_back({"work", "memory", std::move(source), {}, true, true});
    agent_ = std::make_unique<agent::AgentRuntime>(agent::AgentSettings{"agent-1", "Agent one", 30 * 86400, 90 * 86400},
                                                   std::move(sources), *state_, *runtime_, agent_health_);
  }
  Poco::JSON::Object::Ptr agentStatus() {
    auto r = call("GET", "/sync/agents/agent-1/status");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json;
  }
  std::unique_ptr<store::AgentStateStore> state_ = store::openSqliteAgentState((temp_.path() / "agent.db").string());
  HealthBoard agent_health_;
  testing::InMemoryConnector* source_ = nullptr;
  std::unique_ptr<agent::AgentRuntime> agent_;
  const std::function<bool()> never_ = [] { return false; };
};

TEST_F(SyncConfigLoopTest, APushedConfigIsAppliedAndShowsInTheAgentsStatus) {
  source_->put("cal", simpleObject("a", soon_, "A"));
  agent_->runCycle(nowSeconds(), never_, true);
  auto status = agentStatus();
  ASSERT_TRUE(status->has("sync_config")) << "the first heartbeat carries the agent's report";
  EXPECT_EQ(status->getObject("sync_config")->getValue<std::int64_t>("sync_interval"), 1800);
  EXPECT_FALSE(status->getValue<bool>("sync_config_overridden"));

  auto r = call("POST", "/sync/push/sync-config",
                R"({"target_agents": ["agent-1"], "config": {"sync_interval": "5m", "bidirectional": false}})");
  ASSERT_EQ(r.status, 202) << r.body;
  agent_->applyAndReport(runtime_->pendingUpdates("agent-1", 0));
  EXPECT_EQ(agent_->syncConfig().syncIntervalSeconds(), 300);
  agent_->runCycle(nowSeconds(), never_, true);

  status = agentStatus();
  EXPECT_EQ(status->getObject("sync_config")->getValue<std::int64_t>("sync_interval"), 300);
  EXPECT_FALSE(status->getObject("sync_config")->getValue<bool>("bidirectional"));
  EXPECT_TRUE(status->getValue<bool>("sync_config_overridden"));
  const auto queue = call("GET", "/sync/queues/status?agent_id=agent-1");
  EXPECT_NE(queue.body.find("\"kind\":\"sync_config\""), std::string::npos);
  EXPECT_NE(queue.body.find("\"status\":\"processed\""), std::string::npos) << queue.body;

  // One way only now: a rename pushed at the master is refused with the reason, for good.
  ASSERT_EQ(call("PUT", "/calendars/" + calendarId("cal"), R"({"name": "Renamed"})").status, 202);
  agent_->applyAndReport(runtime_->pendingUpdates("agent-1", 0));
  const auto failed = runtime_->updates().queue().list({"agent-1", store::UpdateStatus::Failed, 10});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].last_error.find("bidirectional = false"), std::string::npos) << failed[0].last_error;
  EXPECT_EQ(source_->listCalendars()[0].name, "Calendar");
}

}  // namespace
}  // namespace calsync::master
