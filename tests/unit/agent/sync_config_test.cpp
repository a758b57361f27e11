// Sync settings pushed by the master (AgentUpdate::Kind::SyncConfig): validated, kept in the
// state database, applied to the window, the interval, the calendars read and the direction,
// and reported back in the heartbeat.
#include "agent/agent_runtime.h"
#include "agent_fixture.h"
#include "core/sync_config.h"

namespace calsync::agent {
namespace {

using testing::simpleObject;

class ReportingMaster : public MasterLink {
 public:
  HeartbeatResponse heartbeat(const HeartbeatRequest& request) override {
    requests.push_back(request);
    HeartbeatResponse r;
    for (const auto& b : request.batches) r.acknowledged_sequence = b.sequence;
    return r;
  }
  std::vector<AgentUpdate> pendingUpdates(const std::string&, int) override { return {}; }
  void reportUpdate(const std::string&, const UpdateOutcome&) override {}
  void stopWaiting() override {}
  std::vector<HeartbeatRequest> requests;
};

class SyncConfigTest : public AgentFixture {
 protected:
  std::unique_ptr<AgentRuntime> make(std::vector<std::string> calendar_filter = {}) {
    auto connector = std::make_unique<testing::InMemoryConnector>(
        std::vector<Calendar>{{"cal", "Work", "", "", true}, {"side", "Side", "", "", true}});
    connector_ = connector.get();
    std::vector<SourceSetup> sources;
    sources.push_back({"work", "memory", std::move(connector), std::move(calendar_filter), true, true});
    AgentSettings settings{"agent-1", "Agent one", 30 * 86400, 90 * 86400, 1800};
    return std::make_unique<AgentRuntime>(settings, std::move(sources), *state_, master_, health_);
  }
  static AgentUpdate syncConfig(std::map<std::string, std::string> settings, std::int64_t id = 7) {
    AgentUpdate u;
    u.id = id;
    u.kind = AgentUpdate::Kind::SyncConfig;
    u.settings = std::move(settings);
    return u;
  }
  // Native ids the master was sent, over every heartbeat so far.
  std::set<std::string> shipped() {
    std::set<std::string> ids;
    for (const auto& request : master_.requests)
      for (const auto& b : request.batches)
        for (const auto& u : protocol::decodeBatch(b.payload).upserts) ids.insert(u.native_id);
    return ids;
  }
  ReportingMaster master_;
  HealthBoard health_;
  testing::InMemoryConnector* connector_ = nullptr;
  const std::function<bool()> never_ = [] { return false; };
};

TEST_F(SyncConfigTest, AppliesPersistsAndClearsTheOverride) {
  auto runtime = make();
  int applied = 0;
  runtime->onSyncConfigApplied([&] { ++applied; });
  EXPECT_EQ(runtime->syncConfig().syncIntervalSeconds(), 1800);

  auto outcome = runtime->applyUpdates(
      {syncConfig({{"sync_interval", "300"}, {"window_future", "432000"}, {"exclude_calendars", ""}})})[0];
  EXPECT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(runtime->syncConfig().syncIntervalSeconds(), 300);
  EXPECT_TRUE(runtime->syncConfig().overridden());

  // The window is the pushed one: an event 10 days ahead is out of it now.
  connector_->put("cal", simpleObject("near", kNow + 2 * 86400, "Near"));
  connector_->put("cal", simpleObject("far", kNow + 10 * 86400, "Far"));
  runtime->runCycle(kNow, never_, true);
  EXPECT_EQ(shipped(), (std::set<std::string>{"near.ics"}));

  // A restart keeps it: the override lives in the state database.
  runtime.reset();
  runtime = make();
  EXPECT_EQ(runtime->syncConfig().syncIntervalSeconds(), 300);
  EXPECT_EQ(runtime->syncConfig().windowFutureSeconds(), 432000);

  // An empty override clears it: the INI values are back, also after a restart.
  EXPECT_TRUE(runtime->applyUpdates({syncConfig({{"exclude_calendars", ""}, {"include_calendars", ""}})})[0].ok);
  EXPECT_EQ(runtime->syncConfig().syncIntervalSeconds(), 1800);
  EXPECT_FALSE(runtime->syncConfig().overridden());
  EXPECT_EQ(state_->value(kSyncOverrideValue), "");
  runtime = make();
  EXPECT_EQ(runtime->syncConfig().windowFutureSeconds(), 90 * 86400);
}

TEST_F(SyncConfigTest, RefusesOutOfRangeValuesForGoodAndKeepsWhatWasInForce) {
  auto runtime = make();
  ASSERT_TRUE(runtime->applyUpdates({syncConfig({{"sync_interval", "600"}})})[0].ok);
  for (const auto& bad : std::vector<std::map<std::string, std::string>>{
           {{"sync_interval", "5"}},
           {{"sync_interval", "172800"}},
           {{"window_past", "-1"}},
           {{"window_future", std::to_string(kMaxWindowSeconds + 1)}},
           {{"bidirectional", "perhaps"}},
           {{"exclude_calendars", "no-slash"}},
           {{"colour", "red"}}}) {
    const auto outcome = runtime->applyUpdates({syncConfig(bad)})[0];
    EXPECT_FALSE(outcome.ok) << bad.begin()->first;
    EXPECT_FALSE(outcome.retryable) << bad.begin()->first;
    EXPECT_NE(outcome.error.find(bad.begin()->first), std::string::npos) << outcome.error;
  }
  EXPECT_NE(runtime->applyUpdates({syncConfig({{"sync_interval", "5"}})})[0].error.find("from 10s to 1d"),
            std::string::npos);
  EXPECT_EQ(runtime->syncConfig().syncIntervalSeconds(), 600) << "a refused push changes nothing";
  // The refusal shows in the agent's report until a good push replaces it.
  runtime->runCycle(kNow, never_, true);
  ASSERT_TRUE(master_.requests.back().report);
  EXPECT_NE(master_.requests.back().report->sync_config_error.find("sync_interval"), std::string::npos);
}

TEST_F(SyncConfigTest, OneWayRefusesEveryChangeFromTheMaster) {
  auto runtime = make();
  ASSERT_TRUE(runtime->applyUpdates({syncConfig({{"bidirectional", "false"}})})[0].ok);
  AgentUpdate rename;
  rename.id = 8;
  rename.kind = AgentUpdate::Kind::CalendarMetadata;
  rename.source = "work";
  rename.calendar_id = "cal";
  rename.name = "Renamed";
  AgentUpdate remove;
  remove.id = 9;
  remove.kind = AgentUpdate::Kind::EventDelete;
  remove.source = "work";
  remove.calendar_id = "cal";
  remove.native_id = "a.ics";
  connector_->put("cal", simpleObject("a", kNow, "A"));
  for (const auto& outcome : runtime->applyUpdates({rename, remove})) {
    EXPECT_FALSE(outcome.ok);
    EXPECT_FALSE(outcome.retryable);
    EXPECT_NE(outcome.error.find("one way only"), std::string::npos) << outcome.error;
  }
  EXPECT_EQ(connector_->listCalendars()[0].name, "Work");
  EXPECT_EQ(connector_->objects("cal").size(), 1u);

  ASSERT_TRUE(runtime->applyUpdates({syncConfig({{"bidirectional", "true"}})})[0].ok);
  EXPECT_TRUE(runtime->applyUpdates({rename})[0].ok);
  EXPECT_EQ(connector_->listCalendars()[0].name, "Renamed");
}

TEST_F(SyncConfigTest, ExcludedCalendarsAreNotReadAndIncludedOnesAre) {
  auto runtime = make({"Work"});   // the INI filter: only "Work"
  connector_->put("cal", simpleObject("a", kNow, "A"));
  connector_->put("side", simpleObject("s", kNow, "S"));
  runtime->runCycle(kNow, never_, true);
  EXPECT_EQ(shipped(), (std::set<std::string>{"a.ics"}));
  EXPECT_EQ(state_->known("work", "cal").size(), 1u);

  // The master takes "cal" out of the sync and adds "side" on top of the filter.
  const std::string include = formatCalendarList({{"work", "side"}});
  ASSERT_TRUE(runtime->applyUpdates({syncConfig({{"exclude_calendars", "work/cal"}, {"include_calendars", include}})})[0].ok);
  EXPECT_TRUE(state_->known("work", "cal").empty()) << "an excluded calendar is forgotten";
  master_.requests.clear();
  connector_->put("cal", simpleObject("b", kNow, "B"));
  runtime->runCycle(kNow, never_, true);
  EXPECT_EQ(shipped(), (std::set<std::string>{"s.ics"}));

  // Included again: sent in full, as it was forgotten.
  master_.requests.clear();
  ASSERT_TRUE(runtime->applyUpdates({syncConfig({{"exclude_calendars", ""}})})[0].ok);
  runtime->runCycle(kNow, never_, true);
  EXPECT_EQ(shipped(), (std::set<std::string>{"a.ics", "b.ics"}));
}

TEST_F(SyncConfigTest, AWindowChangeMakesTheNextCycleReadInFull) {
  auto runtime = make();
  connector_->put("cal", simpleObject("a", kNow, "A"));
  runtime->runCycle(kNow, never_, true);
  ASSERT_EQ(state_->cursor("work", "cal"), "full");
  // Another interval leaves the cursors alone...
  ASSERT_TRUE(runtime->applyUpdates({syncConfig({{"sync_interval", "60"}})})[0].ok);
  EXPECT_EQ(state_->cursor("work", "cal"), "full");
  // ...a wider window drops them (keeping what is known), so events that enter it are read.
  ASSERT_TRUE(runtime->applyUpdates({syncConfig({{"sync_interval", "60"}, {"window_future", "31536000"}})})[0].ok);
  EXPECT_EQ(state_->cursor("work", "cal"), "");
  EXPECT_EQ(state_->known("work", "cal").size(), 1u);
}

TEST_F(SyncConfigTest, TheReportTravelsOnlyWhenItChanged) {
  auto runtime = make();
  runtime->runCycle(kNow, never_, true);
  ASSERT_TRUE(master_.requests.back().report);
  const auto& first = *master_.requests.back().report;
  EXPECT_EQ(first.sync_config.at("sync_interval"), "1800");
  EXPECT_EQ(first.sync_config.at("bidirectional"), "true");
  EXPECT_FALSE(first.sync_config_overridden);
  ASSERT_EQ(first.sources.size(), 1u);
  EXPECT_EQ(first.sources[0].state, "ok");
  EXPECT_EQ(first.sources[0].last_success, kNow);

  runtime->runCycle(kNow + 60, never_, true);
  EXPECT_FALSE(master_.requests.back().report) << "nothing changed but the time";

  ASSERT_TRUE(runtime->applyUpdates({syncConfig({{"window_past", "0"}})})[0].ok);
  runtime->runCycle(kNow + 120, never_, true);
  ASSERT_TRUE(master_.requests.back().report);
  EXPECT_EQ(master_.requests.back().report->sync_config.at("window_past"), "0");
  EXPECT_TRUE(master_.requests.back().report->sync_config_overridden);
}

TEST(SyncOverrideSettings, RoundTripAndEncodeAwkwardCalendarIds) {
  SyncOverride o;
  o.sync_interval_seconds = 60;
  o.bidirectional = false;
  o.exclude_calendars = {{"work", "/dav/a,b%c/"}, {"we/ird", "x"}};
  std::string error;
  const auto back = parseSyncOverride(syncOverrideSettings(o), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, o);
  EXPECT_FALSE(parseCalendarList("work/%zz"));
  EXPECT_FALSE(parseCalendarList("work/ok,/missing-source"));
  EXPECT_TRUE(parseCalendarList("")->empty());
}

}  // namespace
}  // namespace calsync::agent
