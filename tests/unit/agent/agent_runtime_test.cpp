#include "agent/agent_runtime.h"

#include <stdexcept>

#include "agent_fixture.h"
#include "core/errors.h"

namespace calsync::agent {
namespace {

using testing::simpleObject;

// A master that stores nothing and can be switched off.
class RecordingMaster : public MasterLink {
 public:
  HeartbeatResponse heartbeat(const HeartbeatRequest& request) override {
    if (down) throw ConnectorError(ErrorKind::Network, "connection refused");
    requests.push_back(request);
    HeartbeatResponse r;
    for (const auto& b : request.batches) r.acknowledged_sequence = b.sequence;
    r.resync = resync_next;
    resync_next = false;
    return r;
  }
  std::vector<AgentUpdate> pendingUpdates(const std::string&, int) override { return {}; }
  void reportUpdate(const std::string&, const UpdateOutcome& outcome) override { reports.push_back(outcome); }
  void stopWaiting() override {}
  bool down = false;
  bool resync_next = false;
  std::vector<HeartbeatRequest> requests;
  std::vector<UpdateOutcome> reports;
};

class AgentRuntimeTest : public AgentFixture {
 protected:
  AgentRuntime make(std::unique_ptr<testing::InMemoryConnector> connector, bool allow_updates = false) {
    connector_ = connector.get();
    std::vector<SourceSetup> sources;
    sources.push_back({"work", "memory", std::move(connector), {}, allow_updates, allow_updates});
    AgentSettings settings{"agent-1", "Agent one", 30 * 86400, 90 * 86400};
    return AgentRuntime(settings, std::move(sources), *state_, master_, health_);
  }
  RecordingMaster master_;
  HealthBoard health_;
  testing::InMemoryConnector* connector_ = nullptr;
  const std::function<bool()> never_ = [] { return false; };
};

AgentUpdate renameTo(const std::string& calendar_id, const std::string& name) {
  AgentUpdate u;
  u.id = 11;
  u.kind = AgentUpdate::Kind::CalendarMetadata;
  u.source = "work";
  u.calendar_id = calendar_id;
  u.name = name;
  return u;
}

TEST_F(AgentRuntimeTest, AppliesUpdatesOnlyWhereTheSourceAllowsThem) {
  auto refusing = make(std::make_unique<testing::InMemoryConnector>(std::vector<Calendar>{{"cal", "Work", "", "", true}}));
  auto outcomes = refusing.applyUpdates({renameTo("cal", "Renamed")});
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].ok);
  EXPECT_FALSE(outcomes[0].retryable);
  EXPECT_NE(outcomes[0].error.find("allow_metadata_updates"), std::string::npos) << outcomes[0].error;
  EXPECT_EQ(connector_->listCalendars()[0].name, "Work");

  auto allowing = make(std::make_unique<testing::InMemoryConnector>(std::vector<Calendar>{{"cal", "Work", "", "", true}}),
                       true);
  allowing.applyAndReport({renameTo("cal", "Renamed"), renameTo("missing", "X")});
  EXPECT_EQ(connector_->listCalendars()[0].name, "Renamed");
  ASSERT_EQ(master_.reports.size(), 2u);
  EXPECT_TRUE(master_.reports[0].ok);
  EXPECT_FALSE(master_.reports[1].ok);
  EXPECT_NE(master_.reports[1].error.find("not-found"), std::string::npos) << master_.reports[1].error;
}

TEST_F(AgentRuntimeTest, SendsItsStateDigestAndResyncsWhenTheMasterDisagrees) {
  auto runtime = make(std::make_unique<testing::InMemoryConnector>(std::vector<Calendar>{{"cal", "Work", "", "", true}}));
  connector_->put("cal", simpleObject("a", kNow, "A"));
  runtime.runCycle(kNow, never_, false);
  ASSERT_FALSE(master_.requests.empty());
  const std::string digest = master_.requests.back().state_digest;
  EXPECT_FALSE(digest.empty());
  // Nothing changed: the same digest again.
  runtime.runCycle(kNow, never_, true);
  EXPECT_EQ(master_.requests.back().state_digest, digest);
  EXPECT_TRUE(master_.requests.back().batches.empty());

  master_.resync_next = true;
  runtime.runCycle(kNow, never_, true);
  // After a resync everything is sent again, as a snapshot of the calendar.
  runtime.runCycle(kNow, never_, true);
  ASSERT_FALSE(master_.requests.back().batches.empty());
  const std::string& payload = master_.requests.back().batches.back().payload;
  EXPECT_NE(payload.find("\"snapshot_ids\":[\"a.ics\"]"), std::string::npos) << payload;
  EXPECT_NE(payload.find("\"native_id\":\"a.ics\""), std::string::npos) << payload;
  EXPECT_EQ(master_.requests.back().state_digest, digest) << "same objects, same digest";
  // The resync is over: the next cycle sends nothing.
  runtime.runCycle(kNow, never_, true);
  EXPECT_TRUE(master_.requests.back().batches.empty());
}

TEST_F(AgentRuntimeTest, QueuedBatchesSurviveAnOutageAndArriveInOrder) {
  auto runtime = make(std::make_unique<testing::InMemoryConnector>());
  connector_->put("cal", simpleObject("a", kNow + 3600, "A"));
  master_.down = true;
  auto report = runtime.runCycle(kNow, never_, false);
  EXPECT_EQ(report.sources_ok, 1);
  EXPECT_FALSE(report.delivered);
  connector_->put("cal", simpleObject("a", kNow + 3600, "A2"));
  runtime.runCycle(kNow + 60, never_, false);
  EXPECT_EQ(state_->outboxSize(), 2u);

  master_.down = false;
  EXPECT_TRUE(runtime.deliver());
  EXPECT_EQ(state_->outboxSize(), 0u);
  ASSERT_EQ(master_.requests.size(), 1u);
  const auto& batches = master_.requests[0].batches;
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_LT(batches[0].sequence, batches[1].sequence);
  EXPECT_EQ(master_.requests[0].epoch, state_->epoch());
}

TEST_F(AgentRuntimeTest, AFailingSourceBacksOffAndShowsInHealth) {
  auto runtime = make(std::make_unique<testing::InMemoryConnector>());
  connector_->fail_next_pull = ErrorKind::Throttled;  // asks for 120 s
  auto report = runtime.runCycle(kNow, never_, false);
  EXPECT_EQ(report.sources_failed, 1);
  auto h = health_.get("source", "work");
  EXPECT_EQ(h.state, "failing");
  EXPECT_EQ(h.consecutive_failures, 1);
  EXPECT_GE(h.next_attempt, kNow + 120);
  EXPECT_NE(h.last_error.find("throttled"), std::string::npos);

  // Before the backoff runs out the source is left alone; after it, it is read again.
  EXPECT_EQ(runtime.runCycle(kNow + 10, never_, false).sources_waiting, 1);
  EXPECT_EQ(runtime.runCycle(h.next_attempt, never_, false).sources_ok, 1);
  EXPECT_EQ(health_.get("source", "work").state, "ok");
}

// A connector with a bug: it throws something no connector is supposed to throw.
class BuggyConnector : public testing::InMemoryConnector {
 public:
  ChangeSet pull(const CalendarId&, const Window&, const Cursor&) override { throw std::logic_error("bug"); }
};

TEST_F(AgentRuntimeTest, ABugInOneSourceDoesNotStopTheOthers) {
  std::vector<SourceSetup> sources;
  sources.push_back({"buggy", "memory", std::make_unique<BuggyConnector>(), {}});
  auto healthy = std::make_unique<testing::InMemoryConnector>();
  healthy->put("cal", simpleObject("a", kNow + 3600, "A"));
  sources.push_back({"healthy", "memory", std::move(healthy), {}});
  AgentRuntime runtime({"agent-1", "Agent one", 30 * 86400, 90 * 86400}, std::move(sources), *state_, master_, health_);
  auto report = runtime.runCycle(kNow, never_, false);
  EXPECT_EQ(report.sources_failed, 1);
  EXPECT_EQ(report.sources_ok, 1);
  EXPECT_EQ(health_.get("source", "buggy").state, "failing");
  EXPECT_NE(health_.get("source", "buggy").last_error.find("internal: bug"), std::string::npos);
  EXPECT_EQ(health_.get("source", "healthy").objects, 1);
}

TEST(Backoff, DoublesUpToAnHourWithBoundedJitterAndHonoursTheServer) {
  for (std::uint32_t seed : {0u, 1u, 77u, 123456u}) {
    const auto first = backoffSeconds(1, 0, seed);
    EXPECT_GE(first, 24);
    EXPECT_LE(first, 36);
    const auto later = backoffSeconds(20, 0, seed);
    EXPECT_GE(later, 2880);
    EXPECT_LE(later, 4320);
  }
  EXPECT_EQ(backoffSeconds(1, 600, 5), 600);
}

}  // namespace
}  // namespace calsync::agent
