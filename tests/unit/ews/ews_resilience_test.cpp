// The EWS connector when things go wrong: a busy server (with and without a backoff hint,
// as a fault or as HTTP 503/429), refused credentials (Basic and NTLM), hostile or broken
// XML in the middle of a sync, and many connectors sharing one endpoint's limit.
#include <atomic>
#include <thread>

#include "ews_fixture.h"
#include "fake_http_server.h"
#include "net/http_client.h"

namespace calsync::ews {
namespace {

using calsync::testing::ews::EwsTestServer;

ConnectorError errorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const ConnectorError& e) {
    return e;
  }
  ADD_FAILURE() << "no ConnectorError";
  return ConnectorError(ErrorKind::Config, "none");
}

class EwsResilienceTest : public EwsServerTest {};

TEST_F(EwsResilienceTest, AShortBackoffHintIsWaitedOutAndTheCallSucceeds) {
  server_->createItem(calendar_, single("Busy day", today() + kDay));
  auto ews = connector();
  server_->failBusy(1, 50);
  const auto before = std::chrono::steady_clock::now();
  EXPECT_EQ(ews->pull("calendar", window(-1, 30), "").upserts.size(), 1u);
  EXPECT_GE(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(50));
  EXPECT_EQ(server_->requestCount("SyncFolderItems"), 2u);  // refused once, then answered
}

TEST_F(EwsResilienceTest, ALongBackoffIsHandedToTheEngineAsThrottled) {
  auto ews = connector();
  server_->failBusy(1, 30000);
  ConnectorError error = errorOf([&] { ews->pull("calendar", window(-1, 30), ""); });
  EXPECT_EQ(error.kind(), ErrorKind::Throttled);
  EXPECT_EQ(error.retryAfterSeconds(), 30);
  EXPECT_EQ(server_->requestCount("SyncFolderItems"), 1u);  // not hammered
}

TEST_F(EwsResilienceTest, BusyWithoutAHintFallsBackToTheConfiguredBackoff) {
  auto ews = connector();
  server_->failBusy(1, std::nullopt);
  ConnectorError error = errorOf([&] { ews->pull("calendar", window(-1, 30), ""); });
  EXPECT_EQ(error.kind(), ErrorKind::Throttled);
  EXPECT_EQ(error.retryAfterSeconds(), 45);
}

TEST_F(EwsResilienceTest, Http503And429AreThrottledWithRetryAfter) {
  auto ews = connector();
  server_->failStatus(1, 503, 7);
  ConnectorError unavailable = errorOf([&] { ews->listCalendars(); });
  EXPECT_EQ(unavailable.kind(), ErrorKind::Throttled);
  EXPECT_EQ(unavailable.retryAfterSeconds(), 7);
  server_->failStatus(1, 429);
  ConnectorError too_many = errorOf([&] { ews->listCalendars(); });
  EXPECT_EQ(too_many.kind(), ErrorKind::Throttled);
  EXPECT_EQ(too_many.retryAfterSeconds(), 45);
  EXPECT_EQ(ews->listCalendars().size(), 2u - 1u);  // and then it works
}

TEST_F(EwsResilienceTest, HostileOrBrokenAnswersMidSyncAreProtocolErrorsAndDeleteNothing) {
  server_->createItem(calendar_, single("Keep me", today() + kDay));
  auto ews = connector();
  ChangeSet first = ews->pull("calendar", window(-1, 30), "");
  ASSERT_EQ(first.upserts.size(), 1u);
  const std::string envelope_start = "<?xml version=\"1.0\"?>";
  const std::vector<std::string> bad = {
      envelope_start + "<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><s:Envelope/>",
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><m:SyncFolderItemsResponse "
      "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\"><m:ResponseMessages>",
      "<s:Envelope xmlns:s=\"https://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>",
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode>"
      "<faultstring>ErrorSchemaValidation</faultstring></s:Fault></s:Body></s:Envelope>",
  };
  for (const auto& body : bad) {
    server_->answerRawOnce("SyncFolderItems", 200, body);
    ConnectorError error = errorOf([&] { ews->pull("calendar", window(-1, 30), first.cursor); });
    EXPECT_EQ(error.kind(), ErrorKind::Protocol) << error.what();
  }
  server_->answerRawOnce("SyncFolderItems", 500, "<html>Internal Server Error</html>");
  EXPECT_EQ(errorOf([&] { ews->pull("calendar", window(-1, 30), first.cursor); }).kind(), ErrorKind::Protocol);
  // The sync state was never advanced: the next good read still says nothing was deleted.
  ChangeSet after = ews->pull("calendar", window(-1, 30), first.cursor);
  EXPECT_TRUE(after.removed.empty());
}

TEST_F(EwsResilienceTest, WrongBasicCredentialsAreAnAuthError) {
  startServer(EwsTestServer::Options{EwsTestServer::Transport::Http, EwsTestServer::Auth::Basic});
  EwsConfig c = config();
  EXPECT_EQ(connector(c)->listCalendars().size(), 1u);
  c.password = "wrong";
  EXPECT_EQ(errorOf([&] { connector(c)->listCalendars(); }).kind(), ErrorKind::Auth);
}

TEST_F(EwsResilienceTest, NtlmHandshakeOverHttpsIsVerifiedAgainstThePassword) {
  startServer(EwsTestServer::Options{EwsTestServer::Transport::Https, EwsTestServer::Auth::Ntlm});
  server_->createItem(calendar_, single("Secret meeting", today() + kDay));
  EwsConfig c = config();
  c.auth = AuthMethod::Ntlm;
  c.username = "TESTDOM\\jdoe";
  c.ca_file = calsync::testing::testCaFile();
  auto ews = connector(c);
  ChangeSet changes = ews->pull("calendar", window(-1, 30), "");
  ASSERT_EQ(changes.upserts.size(), 1u);
  // Basic credentials are not NTLM: the server refuses them.
  EwsConfig basic = c;
  basic.auth = AuthMethod::Basic;
  EXPECT_EQ(errorOf([&] { connector(basic)->listCalendars(); }).kind(), ErrorKind::Auth);
  EwsConfig wrong = c;
  wrong.password = "s3cret!";
  EXPECT_EQ(errorOf([&] { connector(wrong)->listCalendars(); }).kind(), ErrorKind::Auth);
}

TEST_F(EwsResilienceTest, AnOAuth2BearerTokenSignsIn) {
  startServer(EwsTestServer::Options{EwsTestServer::Transport::Http, EwsTestServer::Auth::Bearer});
  server_->addBearerToken("eyJ0eXAiOiJKV1QiLCJub25jZSI6", "jdoe@example.com");
  EwsConfig c = config();
  c.auth = AuthMethod::OAuth2;
  c.username.clear();
  c.token = "eyJ0eXAiOiJKV1QiLCJub25jZSI6";
  EXPECT_EQ(connector(c)->listCalendars().size(), 1u);
  c.token = "expired";
  EXPECT_EQ(errorOf([&] { connector(c)->listCalendars(); }).kind(), ErrorKind::Auth);
}

TEST_F(EwsResilienceTest, AnUntrustedCertificateIsANetworkErrorNotASilentFallback) {
  startServer(EwsTestServer::Options{EwsTestServer::Transport::Https, EwsTestServer::Auth::None});
  EXPECT_EQ(errorOf([&] { connector()->listCalendars(); }).kind(), ErrorKind::Network);
}

TEST_F(EwsResilienceTest, ConnectorsOnOneEndpointShareItsConcurrencyLimit) {
  for (int i = 0; i < 4; ++i) server_->createItem(calendar_, single("E" + std::to_string(i), today() + i * kHour));
  server_->setLatency(30);
  EwsConfig c = config();
  c.max_connections = 1;
  c.get_item_batch = 1;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      try {
        if (connector(c)->pull("calendar", window(-1, 2), "").upserts.size() != 4) ++failures;
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server_->peakConcurrentRequests(), 1);
}

TEST_F(EwsResilienceTest, AnHttpProxyCarriesTheRequests) {
  // A forwarding proxy: receives the absolute URL and relays the request to the test server.
  net::HttpClient upstream{net::HttpOptions{}};
  calsync::testing::FakeHttpServer proxy([&](const calsync::testing::FakeRequest& request) {
    calsync::testing::FakeResponse answer;
    if (request.target.rfind("http://", 0) != 0) {
      answer.status = 400;
      return answer;
    }
    net::HttpRequest forward;
    forward.method = request.method;
    forward.url = request.target;
    forward.body = request.body;
    forward.headers = {{"Content-Type", request.header("Content-Type")}};
    auto response = upstream.send(forward);
    answer.status = response.status;
    answer.body = response.body;
    answer.headers = {{"Content-Type", "text/xml; charset=utf-8"}};
    return answer;
  });
  EwsConfig c = config();
  c.proxy = "127.0.0.1:" + std::to_string(proxy.port());
  EXPECT_EQ(connector(c)->listCalendars().size(), 1u);
  EXPECT_FALSE(proxy.requests().empty());
}

}  // namespace
}  // namespace calsync::ews
