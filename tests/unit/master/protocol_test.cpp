// The heartbeat messages and the pieces of the master's HTTP layer that need no server.
#include <gtest/gtest.h>

#include "master/api/router.h"
#include "master/credentials.h"
#include "master/rate_limiter.h"
#include "protocol/heartbeat.h"

namespace calsync {
namespace {

TEST(HeartbeatCodec, RoundTripsRequestsWithBatchesAndOutcomes) {
  HeartbeatRequest request;
  request.agent_id = "pc-1";
  request.agent_name = "Büro ☕";
  request.epoch = "e1";
  request.state_digest = "abc";
  request.batches = {{7, "{\"v\":1,\"x\":\"y\\\"z\"}"}, {8, "{}"}};
  request.processed = {{3, false, false, "not permitted", ""}};
  const auto back = protocol::decodeHeartbeatRequest(protocol::encodeHeartbeatRequest(request));
  EXPECT_EQ(back.agent_name, "Büro ☕");
  EXPECT_EQ(back.state_digest, "abc");
  ASSERT_EQ(back.batches.size(), 2u);
  EXPECT_EQ(back.batches[0].sequence, 7);
  EXPECT_EQ(back.batches[0].payload, "{\"v\":1,\"x\":\"y\\\"z\"}");
  ASSERT_EQ(back.processed.size(), 1u);
  EXPECT_FALSE(back.processed[0].retryable);
  EXPECT_EQ(back.processed[0].error, "not permitted");
}

TEST(HeartbeatCodec, CarriesTheAgentReportOnlyWhenThereIsOne) {
  HeartbeatRequest request;
  request.agent_id = "pc-1";
  request.epoch = "e1";
  EXPECT_FALSE(protocol::decodeHeartbeatRequest(protocol::encodeHeartbeatRequest(request)).report);
  EXPECT_EQ(protocol::encodeHeartbeatRequest(request).find("report"), std::string::npos) << "idle stays small";

  AgentReport report;
  report.sync_config = {{"sync_interval", "600"}, {"exclude_calendars", "work//dav/x/"}};
  report.sync_config_overridden = true;
  report.sync_config_error = "sync_interval must be from 10s to 1d (got 5 s)";
  report.sources = {{"work", "failing", 1790000000, "network: refused"}, {"home", "ok", 0, ""}};
  request.report = report;
  const auto back = protocol::decodeHeartbeatRequest(protocol::encodeHeartbeatRequest(request));
  ASSERT_TRUE(back.report);
  EXPECT_EQ(back.report->sync_config, report.sync_config);
  EXPECT_TRUE(back.report->sync_config_overridden);
  EXPECT_EQ(back.report->sync_config_error, report.sync_config_error);
  ASSERT_EQ(back.report->sources.size(), 2u);
  EXPECT_EQ(back.report->sources[0].last_success, 1790000000);
  EXPECT_EQ(back.report->sources[0].last_error, "network: refused");
  EXPECT_EQ(back.report->sources[1].state, "ok");
  EXPECT_THROW(protocol::decodeHeartbeatRequest(R"({"v":1,"agent_id":"a","epoch":"e","report":{"sources":[{}]}})"),
               protocol::ProtocolError);
}

TEST(HeartbeatCodec, RoundTripsResponsesWithUpdates) {
  HeartbeatResponse response;
  response.acknowledged_sequence = 9;
  response.resync = true;
  AgentUpdate u;
  u.id = 4;
  u.kind = AgentUpdate::Kind::CalendarMetadata;
  u.source = "work";
  u.calendar_id = "/c/";
  u.color = "#112233";
  response.updates = {u};
  const auto back = protocol::decodeHeartbeatResponse(protocol::encodeHeartbeatResponse(response));
  EXPECT_EQ(back.acknowledged_sequence, 9);
  EXPECT_TRUE(back.resync);
  ASSERT_EQ(back.updates.size(), 1u);
  EXPECT_EQ(*back.updates[0].color, "#112233");
  EXPECT_FALSE(back.updates[0].name.has_value()) << "unset fields stay unset";
}

TEST(HeartbeatCodec, RefusesBrokenMessagesNamingTheField) {
  for (const std::string text : {"", "[]", "{\"v\":2}", "{\"v\":1,\"agent_id\":\"a\"}",
                                 "{\"v\":1,\"agent_id\":\"a\",\"epoch\":\"e\",\"batches\":[{\"sequence\":1}]}",
                                 "{\"v\":1,\"agent_id\":\"a\",\"epoch\":\"e\",\"batches\":7}"}) {
    EXPECT_THROW(protocol::decodeHeartbeatRequest(text), protocol::ProtocolError) << text;
  }
  try {
    protocol::decodeHeartbeatRequest("{\"v\":1,\"agent_id\":\"a\"}");
  } catch (const protocol::ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("epoch"), std::string::npos) << e.what();
  }
}

TEST(StateDigest, DependsOnContentNotOrder) {
  std::vector<protocol::DigestEntry> a = {{"s", "c", "1", "h1", true}, {"s", "c", "2", "h2", false}};
  std::vector<protocol::DigestEntry> b = {a[1], a[0]};
  EXPECT_EQ(protocol::stateDigest(a), protocol::stateDigest(b));
  b[0].in_window = true;
  EXPECT_NE(protocol::stateDigest(a), protocol::stateDigest(b));
  b = a;
  b[1].hash = "h3";
  EXPECT_NE(protocol::stateDigest(a), protocol::stateDigest(b));
}

TEST(Credentials, AreRandomPrefixedAndComparedWhole) {
  const auto one = master::newCredential("cse_");
  const auto two = master::newCredential("cse_");
  EXPECT_EQ(one.rfind("cse_", 0), 0u);
  EXPECT_EQ(one.size(), 4u + 43u);
  EXPECT_NE(one, two);
  EXPECT_EQ(master::credentialHash(one).size(), 64u);
  EXPECT_TRUE(master::constantTimeEquals(one, one));
  EXPECT_FALSE(master::constantTimeEquals(one, two));
  EXPECT_FALSE(master::constantTimeEquals(one, one.substr(0, 10)));
}

TEST(RateLimiter, AllowsABurstThenTheSustainedRate) {
  master::RateLimiter limiter(2.0, 3.0);
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  double wait = 0;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("a", t0, &wait)) << i;
  EXPECT_FALSE(limiter.allow("a", t0, &wait));
  EXPECT_NEAR(wait, 0.5, 1e-9);
  EXPECT_TRUE(limiter.allow("b", t0, &wait)) << "buckets are per key";
  EXPECT_TRUE(limiter.allow("a", t0 + std::chrono::milliseconds(500), &wait));
  EXPECT_FALSE(limiter.allow("a", t0 + std::chrono::milliseconds(500), &wait));
}

TEST(Router, MatchesParametersAndReportsOtherMethods) {
  master::api::Router router;
  int hit = 0;
  router.add({"POST", "/sync/agents/{id}/heartbeat", master::api::Access::Agent, [&](master::api::Request&) { ++hit; }});
  router.add({"GET", "/sync/agents/status", master::api::Access::Admin, [&](master::api::Request&) {}});
  auto m = router.match("POST", "/sync/agents/pc%2D1/heartbeat");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params["id"], "pc-1");
  EXPECT_EQ(router.match("GET", "/sync/agents/status").route->pattern, "/sync/agents/status");
  auto wrong = router.match("GET", "/sync/agents/pc-1/heartbeat");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allowed_methods, std::vector<std::string>{"POST"});
  EXPECT_TRUE(router.match("GET", "/nope").allowed_methods.empty());
}

}  // namespace
}  // namespace calsync
