#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "net/http_client.h"
#include "tests/unit/net/fast_options.h"
#include "tests/support/child_process.h"
#include "tests/support/fake_http_server.h"

namespace calsync::net {
namespace {

using calsync::testing::FakeHttpServer;
using calsync::testing::FakeRequest;
using calsync::testing::FakeResponse;

HttpRequest request(std::string method, std::string url, std::string body = {}) {
  HttpRequest out;
  out.method = std::move(method);
  out.url = std::move(url);
  out.body = std::move(body);
  return out;
}

template <typename F>
ConnectorError captureError(F&& f) {
  try {
    f();
  } catch (const ConnectorError& error) {
    return error;
  }
  ADD_FAILURE() << "expected a ConnectorError";
  return ConnectorError(ErrorKind::Config, "none thrown");
}

TEST(HttpClient, ReturnsStatusHeadersAndBody) {
  FakeHttpServer server([](const FakeRequest& r) {
    FakeResponse response;
    response.status = 207;
    response.headers = {{"ETag", "\"v1\""}, {"X-Echo-Method", r.method}};
    response.body = "echo:" + r.body;
    return response;
  });
  HttpClient client(fastOptions());
  auto req = request("REPORT", server.baseUrl() + "/cal/?a=b", "<x>é</x>");
  req.headers = {{"Depth", "1"}, {"Content-Type", "application/xml"}};
  auto response = client.send(req);
  EXPECT_EQ(response.status, 207);
  EXPECT_EQ(response.header("etag"), "\"v1\"");
  EXPECT_EQ(response.header("x-echo-method"), "REPORT");
  EXPECT_EQ(response.body, "echo:<x>é</x>");
  EXPECT_EQ(response.url, server.baseUrl() + "/cal/?a=b");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/cal/?a=b");
  EXPECT_EQ(seen[0].header("Depth"), "1");
  EXPECT_EQ(seen[0].header("User-Agent"), "calsync/0.1");
}

TEST(HttpClient, ErrorStatusesAreReturnedNotThrown) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.status = 404;
    response.body = "gone";
    return response;
  });
  HttpClient client(fastOptions());
  auto response = client.send(request("GET", server.baseUrl() + "/missing"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "gone");
}

TEST(HttpClient, SendsBasicAuthOnlyWhenConfigured) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{}; });
  auto options = fastOptions();
  options.username = "alice";
  options.password = "s3cr\xc3\xa9t:x";
  HttpClient with_auth(options);
  with_auth.send(request("GET", server.baseUrl() + "/a"));
  HttpClient without_auth(fastOptions());
  without_auth.send(request("GET", server.baseUrl() + "/b"));
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].header("Authorization"), "Basic YWxpY2U6czNjcsOpdDp4");
  EXPECT_EQ(seen[1].header("Authorization"), "");
}

TEST(HttpClient, ReusesTheConnectionForTheSameOrigin) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{}; });
  HttpClient client(fastOptions());
  client.send(request("GET", server.baseUrl() + "/1"));
  client.send(request("PUT", server.baseUrl() + "/2", "x"));
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].client_port, seen[1].client_port);
}

TEST(HttpClient, HangingServerFailsWithNetworkErrorWithinTheTimeout) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.hang = true;
    return response;
  });
  auto options = fastOptions();
  options.timeout_seconds = 1;
  HttpClient client(options);
  auto started = std::chrono::steady_clock::now();
  auto error = captureError([&] { client.send(request("GET", server.baseUrl() + "/slow")); });
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(error.kind(), ErrorKind::Network);
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(HttpClient, CancelEndsAnExchangeInProgressAndEveryLaterOne) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.hang = true;
    return response;
  });
  auto options = fastOptions();
  options.timeout_seconds = 120;  // far longer than the wait below: only cancel() ends it
  HttpClient client(options);
  auto pending = std::async(std::launch::async, [&] {
    return captureError([&] { client.send(request("GET", server.baseUrl() + "/long-poll")); });
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server.requests().empty() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_EQ(server.requests().size(), 1u);
  client.cancel();
  ASSERT_EQ(pending.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const ConnectorError error = pending.get();
  EXPECT_EQ(error.kind(), ErrorKind::Network);
  EXPECT_NE(std::string(error.what()).find("cancelled"), std::string::npos) << error.what();
  const ConnectorError later = captureError([&] { client.send(request("GET", server.baseUrl() + "/again")); });
  EXPECT_NE(std::string(later.what()).find("cancelled"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpClient, TricklingServerHitsTheTotalDeadline) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.body = std::string(1000, 'x');
    response.trickle_interval = std::chrono::milliseconds(100);
    return response;
  });
  auto options = fastOptions();
  options.timeout_seconds = 1;
  options.total_timeout_seconds = 1;
  HttpClient client(options);
  auto started = std::chrono::steady_clock::now();
  auto error = captureError([&] { client.send(request("GET", server.baseUrl() + "/trickle")); });
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(error.kind(), ErrorKind::Network);
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(HttpClient, OversizeBodyIsRefused) {
  for (bool chunked : {false, true}) {
    FakeHttpServer server([chunked](const FakeRequest&) {
      FakeResponse response;
      response.body = std::string(5000, 'x');
      response.chunked = chunked;
      return response;
    });
    auto options = fastOptions();
    options.max_response_bytes = 4096;
    HttpClient client(options);
    auto error = captureError([&] { client.send(request("GET", server.baseUrl() + "/big")); });
    EXPECT_EQ(error.kind(), ErrorKind::Protocol) << "chunked=" << chunked;
    // The client stays usable after abandoning a half-read response.
    options.max_response_bytes = 8192;
    HttpClient roomy(options);
    EXPECT_EQ(roomy.send(request("GET", server.baseUrl() + "/big")).body.size(), 5000u);
  }
}

TEST(HttpClient, ClientRecoversAfterAnOversizeResponse) {
  FakeHttpServer server([](const FakeRequest& r) {
    FakeResponse response;
    response.body = r.target == "/big" ? std::string(5000, 'x') : "small";
    return response;
  });
  auto options = fastOptions();
  options.max_response_bytes = 4096;
  HttpClient client(options);
  EXPECT_THROW(client.send(request("GET", server.baseUrl() + "/big")), ConnectorError);
  EXPECT_EQ(client.send(request("GET", server.baseUrl() + "/small")).body, "small");
}

TEST(HttpClient, AnAnswerCutShortIsANetworkErrorNotAShortBody) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.body = "<multistatus>";
    response.claimed_length = 1000;
    return response;
  });
  HttpClient client(fastOptions());
  auto error = captureError([&] { client.send(request("REPORT", server.baseUrl() + "/cal/", "<x/>")); });
  EXPECT_EQ(error.kind(), ErrorKind::Network);
}

TEST(HttpClient, ConnectionRefusedIsANetworkError) {
  int port = calsync::testing::pickFreePort();
  HttpClient client(fastOptions());
  auto error = captureError([&] { client.send(request("GET", "http://127.0.0.1:" + std::to_string(port) + "/")); });
  EXPECT_EQ(error.kind(), ErrorKind::Network);
}

TEST(HttpClient, CredentialsInTheUrlAreRefused) {
  HttpClient client(fastOptions());
  auto error = captureError([&] { client.send(request("GET", "http://bob:hunter2@127.0.0.1:1/")); });
  EXPECT_EQ(error.kind(), ErrorKind::Config);
  EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos);
}

TEST(HttpClient, FollowsRedirectsOnReadsButNotOnWrites) {
  FakeHttpServer server([](const FakeRequest& r) {
    FakeResponse response;
    if (r.target == "/old") {
      response.status = 301;
      response.headers = {{"Location", "/new"}};
    } else {
      response.body = "at " + r.target;
    }
    return response;
  });
  HttpClient client(fastOptions());
  auto read = client.send(request("PROPFIND", server.baseUrl() + "/old", "<propfind/>"));
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.body, "at /new");
  EXPECT_EQ(read.url, server.baseUrl() + "/new");
  auto write = client.send(request("PUT", server.baseUrl() + "/old", "data"));
  EXPECT_EQ(write.status, 301);
}

TEST(HttpClient, CredentialsAreNotSentToAnotherOriginAfterARedirect) {
  FakeHttpServer elsewhere([](const FakeRequest&) { return FakeResponse{}; });
  FakeHttpServer origin([&](const FakeRequest&) {
    FakeResponse response;
    response.status = 302;
    response.headers = {{"Location", elsewhere.baseUrl() + "/landing"}};
    return response;
  });
  auto options = fastOptions();
  options.username = "alice";
  options.password = "pw";
  HttpClient client(options);
  EXPECT_EQ(client.send(request("GET", origin.baseUrl() + "/start")).status, 200);
  ASSERT_EQ(origin.requests().size(), 1u);
  EXPECT_NE(origin.requests()[0].header("Authorization"), "");
  ASSERT_EQ(elsewhere.requests().size(), 1u);
  EXPECT_EQ(elsewhere.requests()[0].header("Authorization"), "");
}

TEST(HttpClient, RedirectLoopIsAProtocolError) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.status = 302;
    response.headers = {{"Location", "/again"}};
    return response;
  });
  HttpClient client(fastOptions());
  auto error = captureError([&] { client.send(request("GET", server.baseUrl() + "/loop")); });
  EXPECT_EQ(error.kind(), ErrorKind::Protocol);
  EXPECT_EQ(server.requests().size(), 6u);
}

TEST(HttpClient, HttpsToAnUnverifiableServerFailsAsNetwork) {
  // A plain-HTTP server cannot complete a TLS handshake: the failure is a Network error.
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{}; });
  auto url = server.baseUrl();
  url.replace(0, 4, "https");
  HttpClient client(fastOptions());
  auto error = captureError([&] { client.send(request("GET", url + "/")); });
  EXPECT_EQ(error.kind(), ErrorKind::Network);
}

}  // namespace
}  // namespace calsync::net

