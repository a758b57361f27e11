// The token client and sign-in flows against the OAuth test provider: error mapping, refresh
// with rotation, client credentials with a certificate, and the device-code flow.
#include <gtest/gtest.h>

#include <chrono>

#include "oauth/access_token_source.h"
#include "oauth/sign_in.h"
#include "oauth/token_client.h"
#include "tests/servers/oauth/oauth_test_provider.h"
#include "tests/servers/oauth/test_keys.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace calsync::oauth {
namespace {

using calsync::testing::FakeHttpServer;
using calsync::testing::FakeRequest;
using calsync::testing::FakeResponse;
using calsync::testing::OAuthTestProvider;
using calsync::testing::TempDir;

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class TokenClientTest : public ::testing::Test {
 protected:
  TokenClientTest()
      : server_([this](const FakeRequest& r) {
          if (r.target == "/devicecode") return provider_.deviceEndpoint(r);
          if (r.target == "/token") return provider_.tokenEndpoint(r);
          if (r.target == "/scripted") return scripted_;
          return FakeResponse{404, {}, "", false, std::nullopt, false, {}};
        },
        FakeHttpServer::Transport::Https) {
    provider_.setTokenUrl(server_.baseUrl() + "/token");
    provider_.addClient("public-app", "");
    provider_.addClient("secret-app", "s3cret");
  }

  net::HttpOptions http() const {
    net::HttpOptions options;
    options.ca_file = calsync::testing::testCaFile();
    options.timeout_seconds = 5;
    return options;
  }

  OAuthApp app(const std::string& client_id, const std::string& secret = "") const {
    OAuthApp a;
    a.provider = "Microsoft";
    a.authorize_endpoint = server_.baseUrl() + "/authorize";
    a.token_endpoint = server_.baseUrl() + "/token";
    a.device_endpoint = server_.baseUrl() + "/devicecode";
    a.client.client_id = client_id;
    a.client.client_secret = secret;
    a.scope = "https://graph.microsoft.com/Calendars.ReadWrite offline_access";
    a.http = http();
    return a;
  }

  OAuthTestProvider provider_;
  FakeResponse scripted_;
  FakeHttpServer server_;
  TempDir dir_;
};

TEST_F(TokenClientTest, EndpointErrorsBecomeTypedErrorsWithHealth) {
  TokenClient client(server_.baseUrl() + "/token", ClientAuth{"secret-app", "s3cret", nullptr}, http());
  try {
    client.refresh("rt-unknown");
    ADD_FAILURE();
  } catch (const TokenEndpointError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Auth);
    EXPECT_EQ(e.error(), "invalid_grant");
    EXPECT_EQ(e.health(), TokenHealth::Revoked);
    EXPECT_EQ(std::string(e.what()).find("rt-unknown"), std::string::npos) << "tokens never appear in messages";
  }
  TokenClient wrong(server_.baseUrl() + "/token", ClientAuth{"secret-app", "guessed-s3cret-xyz", nullptr}, http());
  try {
    wrong.clientCredentials("https://graph.microsoft.com/.default");
    ADD_FAILURE();
  } catch (const TokenEndpointError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Auth);
    EXPECT_EQ(e.error(), "invalid_client");
    EXPECT_EQ(std::string(e.what()).find("guessed-s3cret-xyz"), std::string::npos) << e.what();
  }
  // Trouble that passes: throttling with Retry-After, a broken endpoint.
  scripted_ = FakeResponse{429, {{"Retry-After", "17"}}, "", false, std::nullopt, false, {}};
  TokenClient throttled(server_.baseUrl() + "/scripted", ClientAuth{"x", "", nullptr}, http());
  try {
    throttled.refresh("rt");
    ADD_FAILURE();
  } catch (const TokenEndpointError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Throttled);
    EXPECT_EQ(e.retryAfterSeconds(), 17);
    EXPECT_EQ(e.health(), TokenHealth::Ok);
  }
  scripted_ = FakeResponse{502, {}, "<html>bad gateway</html>", false, std::nullopt, false, {}};
  try {
    throttled.refresh("rt");
    ADD_FAILURE();
  } catch (const TokenEndpointError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Protocol);
  }
  scripted_ = FakeResponse{200, {}, R"({"token_type":"Bearer"})", false, std::nullopt, false, {}};
  EXPECT_THROW(throttled.refresh("rt"), ConnectorError) << "an answer without access_token";
}

TEST_F(TokenClientTest, DeviceCodeSignInPollsUntilApprovedAndHonoursSlowDown) {
  provider_.setEnforcePollInterval(true);
  TokenStore store(dir_.path());
  DeviceAuthorization authorization = beginDeviceSignIn(app("public-app"));
  EXPECT_FALSE(authorization.user_code.empty());
  EXPECT_EQ(authorization.verification_uri, "https://microsoft.com/devicelogin");
  EXPECT_EQ(authorization.interval_seconds, 5);

  // Polling before anyone signed in: pending, then slow_down for polling too fast.
  EXPECT_FALSE(pollDeviceSignIn(app("public-app"), store, authorization, now()));
  EXPECT_FALSE(pollDeviceSignIn(app("public-app"), store, authorization, now()));

  std::vector<int> waits;
  int polls = 0;
  auto wait = [&](int seconds) {
    waits.push_back(seconds);
    if (++polls == 2) provider_.approveDevice(authorization.user_code, "ana@contoso.com");
  };
  StoredCredentials stored = waitForDeviceSignIn(app("public-app"), store, authorization, wait, [] { return false; }, now);
  EXPECT_FALSE(stored.refresh_token.empty());
  ASSERT_GE(waits.size(), 2u);
  EXPECT_GE(waits.back(), 10) << "slow_down adds five seconds to the interval";
  EXPECT_EQ(store.load()->refresh_token, stored.refresh_token);
  EXPECT_EQ(credentialStatus(store, "calsyncctl auth graph --source x", now()).health, TokenHealth::Ok);

  // A declined sign-in ends with an Auth error.
  DeviceAuthorization declined = beginDeviceSignIn(app("public-app"));
  provider_.declineDevice(declined.user_code);
  EXPECT_THROW(pollDeviceSignIn(app("public-app"), store, declined, now()), ConnectorError);
  // An expired one too, without asking the endpoint.
  DeviceAuthorization old = beginDeviceSignIn(app("public-app"));
  EXPECT_THROW(pollDeviceSignIn(app("public-app"), store, old, old.expires_at + 1), ConnectorError);
}

TEST_F(TokenClientTest, StoredSourceRefreshesKeepsRotatedTokensAndStopsAfterRevocation) {
  provider_.setRotateRefreshTokens(true);
  provider_.setAccessTokenLifetime(30);  // always "about to expire": every call refreshes
  TokenStore store(dir_.path());
  auto start = beginAuthorization(app("secret-app", "s3cret"), store, "http://localhost:9/cb", now());
  completeAuthorization(app("secret-app", "s3cret"), store, provider_.consent(start.url), "", now());
  const std::string first_refresh = store.load()->refresh_token;

  TokenEndpointSetup setup;
  setup.provider = "Microsoft";
  setup.token_endpoint = server_.baseUrl() + "/token";
  setup.client = ClientAuth{"secret-app", "s3cret", nullptr};
  setup.reauth = "calsyncctl auth graph --source mail";
  setup.http = http();
  StoredTokenSource source(setup, store);
  const std::string a = source.accessToken(false);
  EXPECT_TRUE(provider_.subjectOf("Bearer " + a).has_value());
  EXPECT_NE(store.load()->refresh_token, first_refresh) << "a rotated refresh token is kept";
  const std::string b = source.accessToken(false);
  EXPECT_NE(a, b);

  provider_.revokeRefreshTokens();
  EXPECT_FALSE(provider_.subjectOf("Bearer " + b).has_value()) << "revocation kills the access tokens too";
  try {
    source.accessToken(true);
    ADD_FAILURE();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Auth);
    EXPECT_NE(std::string(e.what()).find("calsyncctl auth graph --source mail"), std::string::npos) << e.what();
  }
  EXPECT_EQ(store.load()->health, TokenHealth::Revoked);
  EXPECT_EQ(source.health(), TokenHealth::Revoked);
}

TEST_F(TokenClientTest, ClientCredentialsWithACertificate) {
  const auto key = calsync::testing::generateRsaKey();
  const std::string cert = calsync::testing::selfSignedCertificate(key, 2);  // expires in two days
  provider_.addCertificateClient("cert-app", cert);
  const std::string cert_file = dir_.write("app.crt", cert);
  const std::string key_file = dir_.write("app.key", key.private_pem);
  TokenEndpointSetup setup;
  setup.provider = "Microsoft";
  setup.token_endpoint = server_.baseUrl() + "/token";
  setup.client = ClientAuth{"cert-app", "", std::make_shared<ClientCertificate>(ClientCertificate::fromFiles(cert_file, key_file))};
  setup.scope = "https://graph.microsoft.com/.default";
  setup.reauth = "check certificate_file";
  setup.http = http();
  ClientCredentialsSource source(setup);
  EXPECT_EQ(provider_.subjectOf("Bearer " + source.accessToken(false)), std::optional<std::string>("app:cert-app"));
  EXPECT_EQ(source.health(), TokenHealth::Expiring) << "the certificate ends within three days";

  // Another key signing for the same app is refused.
  const auto other = calsync::testing::generateRsaKey();
  setup.client.certificate = std::make_shared<ClientCertificate>(
      ClientCertificate::fromFiles(dir_.write("other.crt", calsync::testing::selfSignedCertificate(other)),
                                   dir_.write("other.key", other.private_pem)));
  ClientCredentialsSource impostor(setup);
  try {
    impostor.accessToken(false);
    ADD_FAILURE();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Auth);
    EXPECT_NE(std::string(e.what()).find("invalid_client"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace calsync::oauth
