// HTTPS: certificate verification on by default, an extra CA file, and hard time limits.
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>

#include <chrono>

#include "net/http_client.h"
#include "tests/unit/net/fast_options.h"
#include "tests/support/fake_http_server.h"

namespace calsync::net {
namespace {

using calsync::testing::FakeHttpServer;
using calsync::testing::FakeRequest;
using calsync::testing::FakeResponse;

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

FakeResponse hello(const FakeRequest&) {
  FakeResponse response;
  response.body = "hello over TLS";
  return response;
}

TEST(HttpClientTls, TrustsAServerSignedByTheConfiguredCaFile) {
  FakeHttpServer server(hello, FakeHttpServer::Transport::Https);
  auto options = fastOptions();
  options.ca_file = calsync::testing::testCaFile();
  HttpClient client(options);
  auto response = client.send(get(server.baseUrl() + "/"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello over TLS");
  // The kept-alive TLS connection serves a second request.
  EXPECT_EQ(client.send(get(server.baseUrl() + "/again")).body, "hello over TLS");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].client_port, seen[1].client_port);
}

TEST(HttpClientTls, RefusesAnUntrustedCertificateByDefault) {
  FakeHttpServer server(hello, FakeHttpServer::Transport::Https);
  HttpClient client(fastOptions());
  try {
    client.send(get(server.baseUrl() + "/"));
    ADD_FAILURE() << "an untrusted certificate was accepted";
  } catch (const ConnectorError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Network);
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpClientTls, VerificationCanBeTurnedOff) {
  FakeHttpServer server(hello, FakeHttpServer::Transport::Https);
  auto options = fastOptions();
  options.verify_tls = false;
  HttpClient client(options);
  EXPECT_EQ(client.send(get(server.baseUrl() + "/")).status, 200);
}

TEST(HttpClientTls, AStalledHandshakeFailsWithinTheTimeout) {
  // The kernel completes the TCP handshake for a listening socket nobody accepts from, so
  // the client connects and then waits for a TLS ServerHello that never comes.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  auto options = fastOptions();
  options.timeout_seconds = 1;
  HttpClient client(options);
  auto started = std::chrono::steady_clock::now();
  try {
    client.send(get("https://127.0.0.1:" + std::to_string(silent.address().port()) + "/"));
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Network);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST(HttpClientTls, AServerThatNeverAnswersFailsWithinTheTimeout) {
  FakeHttpServer server(
      [](const FakeRequest&) {
        FakeResponse response;
        response.hang = true;
        return response;
      },
      FakeHttpServer::Transport::Https);
  auto options = fastOptions();
  options.timeout_seconds = 1;
  options.ca_file = calsync::testing::testCaFile();
  HttpClient client(options);
  auto started = std::chrono::steady_clock::now();
  try {
    client.send(get(server.baseUrl() + "/"));
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Network);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

}  // namespace
}  // namespace calsync::net
