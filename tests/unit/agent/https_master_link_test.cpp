#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "agent/https_master_link.h"
#include "store/agent_state.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace calsync::agent {
namespace {

using calsync::testing::FakeHttpServer;
using calsync::testing::FakeRequest;
using calsync::testing::FakeResponse;

// A master that enrols anyone and holds every long-poll open without answering.
FakeResponse holdingMaster(const FakeRequest& request) {
  FakeResponse response;
  if (request.target == "/sync/agents/enroll") {
    response.status = 201;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = R"({"agent_id":"agent-1","agent_secret":"csa_test"})";
  } else {
    response.hang = true;
  }
  return response;
}

std::size_t pollsSeen(const FakeHttpServer& server) {
  std::size_t polls = 0;
  for (const auto& r : server.requests()) polls += r.target.find("/pending-updates") != std::string::npos;
  return polls;
}

TEST(HttpsMasterLink, StopWaitingEndsALongPollAtOnceAndKeepsLaterOnesFromStarting) {
  calsync::testing::TempDir temp;
  auto state = store::openSqliteAgentState((temp.path() / "agent.db").string());
  FakeHttpServer master(holdingMaster);
  MasterEndpoint endpoint;
  endpoint.url = master.baseUrl();
  endpoint.enroll_token = "cse_test";
  HttpsMasterLink link(endpoint, *state, "Agent one");

  // The poll may wait 60 s at the master, plus the link's own timeout: only stopWaiting ends it.
  auto poll = std::async(std::launch::async, [&] { return link.pendingUpdates("agent-1", 60); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (pollsSeen(master) == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_EQ(pollsSeen(master), 1u);

  link.stopWaiting();
  ASSERT_EQ(poll.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(poll.get().empty());
  EXPECT_TRUE(link.pendingUpdates("agent-1", 60).empty());
  EXPECT_EQ(pollsSeen(master), 1u);
}

}  // namespace
}  // namespace calsync::agent
