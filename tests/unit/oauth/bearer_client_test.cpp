// The bearer client against a scripted server: token refresh on 401, Retry-After, jittered
// backoff, and the bounds after which the answer goes back to the caller.
#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <set>

#include "oauth/bearer_client.h"
#include "tests/support/fake_http_server.h"

namespace calsync::oauth {
namespace {

using calsync::testing::FakeHttpServer;
using calsync::testing::FakeRequest;
using calsync::testing::FakeResponse;

class CountingTokens : public AccessTokenSource {
 public:
  std::string accessToken(bool force_refresh) override {
    if (force_refresh) ++refreshes;
    return "token-" + std::to_string(refreshes);
  }
  TokenHealth health() override { return TokenHealth::Ok; }
  int refreshes = 0;
};

// Answers with the queued statuses in order, then 200.
class ScriptedApi {
 public:
  explicit ScriptedApi(std::deque<FakeResponse> script)
      : script_(std::move(script)), server_([this](const FakeRequest&) {
          std::lock_guard lock(mutex_);
          if (script_.empty()) return FakeResponse{200, {}, "{}", false, std::nullopt, false, {}};
          FakeResponse next = script_.front();
          script_.pop_front();
          return next;
        }) {}
  std::string url() const { return server_.baseUrl() + "/calendars"; }
  std::vector<FakeRequest> requests() const { return server_.requests(); }

 private:
  std::mutex mutex_;
  std::deque<FakeResponse> script_;
  FakeHttpServer server_;
};

FakeResponse answer(int status, calsync::testing::HeaderList headers = {}) {
  return FakeResponse{status, std::move(headers), "{}", false, std::nullopt, false, {}};
}

ThrottlePolicy policy(int retries = 2, std::int64_t max_wait = 10) {
  return ThrottlePolicy{"Test", retries, max_wait, [](const net::HttpResponse& r) { return r.status == 429; }};
}

net::HttpRequest get(const std::string& url) { return net::HttpRequest{"GET", url, {{"Accept", "application/json"}}, ""}; }

TEST(BearerClient, RefreshesTheTokenOnceOn401AndKeepsTheCallersHeaders) {
  ScriptedApi api({answer(401), answer(401)});
  auto tokens = std::make_shared<CountingTokens>();
  BearerClient client(apiHttpOptions("", true, 5), tokens, policy());
  EXPECT_EQ(client.send(get(api.url())).status, 401) << "a second 401 goes back to the caller";
  const auto seen = api.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].header("Authorization"), "Bearer token-0");
  EXPECT_EQ(seen[1].header("Authorization"), "Bearer token-1");
  EXPECT_EQ(seen[1].header("Accept"), "application/json");
  EXPECT_EQ(tokens->refreshes, 1);
}

TEST(BearerClient, HonoursRetryAfterThenBacksOffWithJitterWithinBounds) {
  ScriptedApi api({answer(429, {{"Retry-After", "3"}}), answer(429)});
  BearerClient client(apiHttpOptions("", true, 5), std::make_shared<CountingTokens>(), policy());
  std::vector<std::int64_t> waits;
  client.setSleeper([&](std::int64_t ms) { waits.push_back(ms); });
  EXPECT_EQ(client.send(get(api.url())).status, 200);
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_EQ(waits[0], 3000);
  EXPECT_GE(waits[1], 1000);  // second attempt: 2 s +-50 %
  EXPECT_LT(waits[1], 3000);
}

TEST(BearerClient, JitterSpreadsClientsThrottledTogether) {
  std::set<std::int64_t> distinct;
  for (int i = 0; i < 8; ++i) {
    ScriptedApi api({answer(429)});
    BearerClient client(apiHttpOptions("", true, 5), std::make_shared<CountingTokens>(), policy());
    client.setSleeper([&](std::int64_t ms) { distinct.insert(ms); });
    client.send(get(api.url()));
  }
  EXPECT_GT(distinct.size(), 1u);
}

TEST(BearerClient, GivesTheThrottledAnswerBackWhenRetriesRunOutOrTheWaitIsTooLong) {
  ScriptedApi exhausted({answer(429), answer(429), answer(429)});
  BearerClient client(apiHttpOptions("", true, 5), std::make_shared<CountingTokens>(), policy(2));
  client.setSleeper([](std::int64_t) {});
  EXPECT_EQ(client.send(get(exhausted.url())).status, 429);
  EXPECT_EQ(exhausted.requests().size(), 3u);

  ScriptedApi patient({answer(429, {{"Retry-After", "120"}})});
  std::vector<std::int64_t> waits;
  client.setSleeper([&](std::int64_t ms) { waits.push_back(ms); });
  const auto response = client.send(get(patient.url()));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(retryAfterSeconds(response), 120);
  EXPECT_TRUE(waits.empty());
}

}  // namespace
}  // namespace calsync::oauth
