// An agent reports its sources' credential states with each heartbeat (docs/protocol.md), and
// they survive the wire as sent.
#include "agent/agent_runtime.h"
#include "agent_fixture.h"
#include "core/errors.h"
#include "protocol/heartbeat.h"

namespace calsync::agent {
namespace {

// A master that remembers the heartbeats it was sent, through the wire format.
class WireRecordingMaster : public MasterLink {
 public:
  HeartbeatResponse heartbeat(const HeartbeatRequest& request) override {
    requests.push_back(protocol::decodeHeartbeatRequest(protocol::encodeHeartbeatRequest(request)));
    HeartbeatResponse r;
    for (const auto& b : request.batches) r.acknowledged_sequence = b.sequence;
    return r;
  }
  std::vector<AgentUpdate> pendingUpdates(const std::string&, int) override { return {}; }
  void reportUpdate(const std::string&, const UpdateOutcome&) override {}
  void stopWaiting() override {}
  std::vector<HeartbeatRequest> requests;
};

class AgentCredentialsTest : public AgentFixture {
 protected:
  AgentRuntime make() {
    std::vector<SourceSetup> sources;
    sources.push_back({"work", "memory", std::make_unique<testing::InMemoryConnector>(), {}, false, false});
    return AgentRuntime(AgentSettings{"agent-1", "Agent one", 30 * 86400, 90 * 86400}, std::move(sources), *state_,
                        master_, health_);
  }
  WireRecordingMaster master_;
  HealthBoard health_;
};

TEST_F(AgentCredentialsTest, EveryHeartbeatCarriesTheCurrentStates) {
  AgentRuntime agent = make();
  std::vector<CredentialState> now_reported = {
      {"home", "google", "revoked", 0, "run `calsyncctl auth google --source home`"},
      {"office", "graph", "expiring", 1'800'000'000, "renew it"}};
  agent.reportCredentials([&] { return now_reported; });
  agent.runCycle(kNow, [] { return false; }, true);
  ASSERT_FALSE(master_.requests.empty());
  EXPECT_EQ(master_.requests.back().credentials, now_reported);

  now_reported = {{"home", "google", "ok", 0, ""}};
  agent.deliver();
  EXPECT_EQ(master_.requests.back().credentials, now_reported);
}

TEST_F(AgentCredentialsTest, AFailingReportNeverHoldsBackTheEvents) {
  AgentRuntime agent = make();
  agent.reportCredentials([]() -> std::vector<CredentialState> { throw std::runtime_error("disk gone"); });
  EXPECT_TRUE(agent.deliver());
  ASSERT_EQ(master_.requests.size(), 1u);
  EXPECT_TRUE(master_.requests.back().credentials.empty());
}

TEST(HeartbeatCredentials, AreLeftOutWhenThereAreNoneAndKeepEveryField) {
  HeartbeatRequest request;
  request.agent_id = "pc-1";
  request.epoch = "e";
  EXPECT_EQ(protocol::encodeHeartbeatRequest(request).find("credentials"), std::string::npos)
      << "an agent without OAuth sources sends nothing more";
  request.credentials = {{"w", "google", "ok", 0, ""}, {"x", "graph", "expired", 42, "do this"}};
  const auto back = protocol::decodeHeartbeatRequest(protocol::encodeHeartbeatRequest(request));
  EXPECT_EQ(back.credentials, request.credentials);
  EXPECT_THROW(protocol::decodeHeartbeatRequest(
                   "{\"v\":1,\"agent_id\":\"a\",\"epoch\":\"e\",\"credentials\":[{\"name\":\"w\"}]}"),
               protocol::ProtocolError)
      << "a state is required";
}

}  // namespace
}  // namespace calsync::agent
