// Signing a google section in: the authorization URL and code exchange the master's endpoints
// and calsyncctl will call, the encrypted store they fill, and service accounts.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "oauth/encoding.h"
#include "oauth/token_store.h"
#include "tests/servers/oauth/test_keys.h"
#include "tests/support/error_kind.h"
#include "tests/unit/google/google_fixture.h"

namespace calsync::google::testing {
namespace {

using calsync::testing::errorKindOf;

std::map<std::string, std::string> queryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : oauth::formDecode(url.substr(url.find('?') + 1))) out[k] = v;
  return out;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class GoogleSignInTest : public GoogleFixture {};

TEST_F(GoogleSignInTest, TheAuthorizationUrlAsksForOfflineAccessWithPkce) {
  auto start = authorizationUrl(spec(), "http://127.0.0.1:8765/", now());
  EXPECT_EQ(start.url.rfind(server_.authUrl() + "?", 0), 0u) << start.url;
  auto q = queryOf(start.url);
  EXPECT_EQ(q["client_id"], "client-1");
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["access_type"], "offline");
  EXPECT_EQ(q["prompt"], "consent");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(q["scope"], "https://www.googleapis.com/auth/calendar");
  EXPECT_EQ(q["state"], start.state);
  EXPECT_EQ(q.count("client_secret"), 0u) << "the secret never goes into a URL";
  EXPECT_GT(start.expires_at, now());
}

TEST_F(GoogleSignInTest, ExchangeTakesTheCodeOrTheWholeAddressAndChecksTheState) {
  // The pasted address of the browser's last page.
  auto start = authorizationUrl(spec(), "", now());
  const std::string landed = server_.oauth().consent(start.url);
  EXPECT_EQ(errorKindOf([&] { exchangeCode(spec(), landed, "not-the-state", now()); }), ErrorKind::Auth);
  EXPECT_EQ(exchangeCode(spec(), landed, "", now()).health, oauth::TokenHealth::Ok);
  EXPECT_EQ(errorKindOf([&] { exchangeCode(spec(), landed, "", now()); }), ErrorKind::Auth)
      << "a finished sign-in cannot be replayed";

  // Just the code, with the state given separately.
  auto again = authorizationUrl(spec(), "", now());
  const auto q = queryOf(server_.oauth().consent(again.url));
  EXPECT_EQ(exchangeCode(spec(), q.at("code"), again.state, now()).health, oauth::TokenHealth::Ok);
  EXPECT_FALSE(server_.oauth().secretInUrlSeen());

  // An old authorization URL expires.
  auto stale = authorizationUrl(spec(), "", now() - 3600);
  EXPECT_EQ(errorKindOf([&] { exchangeCode(spec(), server_.oauth().consent(stale.url), "", now()); }), ErrorKind::Auth);
}

TEST_F(GoogleSignInTest, TokensAreKeptEncryptedUnderAPrivateKeyFile) {
  signIn();
  const oauth::TokenStore store((dir_.path() / "sources" / "work").string());
  auto stored = store.load();
  ASSERT_TRUE(stored.has_value());
  ASSERT_FALSE(stored->refresh_token.empty());
  const std::string raw = slurp(store.file());
  EXPECT_EQ(raw.find(stored->refresh_token), std::string::npos);
  EXPECT_EQ(raw.find(stored->access_token), std::string::npos);
  struct stat info {};
  ASSERT_EQ(::stat(store.keyFile().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(store.file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 077, 0u);
}

TEST_F(GoogleSignInTest, NoSignInYetIsAnAuthErrorThatSaysWhatToRun) {
  auto google = connector();
  try {
    google->listCalendars();
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Auth);
    EXPECT_NE(std::string(e.what()).find("calsyncctl auth google --source work"), std::string::npos) << e.what();
  }
  EXPECT_EQ(signInStatus(spec(), now()).health, oauth::TokenHealth::ConsentMissing);
  EXPECT_EQ(google->tokenHealth(), oauth::TokenHealth::ConsentMissing);
}

TEST_F(GoogleSignInTest, TimeLimitedGrantsReportExpiringBeforeTheyStop) {
  server_.oauth().setRefreshTokenLifetime(24 * 3600);  // "Testing" consent screens: 7 days, here 1
  signIn();
  auto status = signInStatus(spec(), now());
  EXPECT_EQ(status.health, oauth::TokenHealth::Expiring);
  EXPECT_NE(status.message.find("calsyncctl auth google --source work"), std::string::npos);
  EXPECT_NO_THROW(connector()->listCalendars()) << "expiring still works";
}

TEST_F(GoogleSignInTest, AServiceAccountActsForItsDelegatedUserOnly) {
  const auto key = calsync::testing::generateRsaKey();
  const std::string scope = "https://www.googleapis.com/auth/calendar";
  server_.oauth().addServiceAccount("sync@project.iam.gserviceaccount.com", key.public_pem, {"ana@example.com"}, scope);
  json::Object file;
  file.set("type", "service_account");
  file.set("client_email", "sync@project.iam.gserviceaccount.com");
  file.set("private_key", key.private_pem);
  file.set("private_key_id", "k1");
  file.set("token_uri", server_.tokenUrl());
  const std::string key_file = dir_.write("sa.json", json::stringify(file));
  extra_settings_ = {{"auth", "service_account"}, {"service_account_key_file", key_file}, {"subject", "ana@example.com"}};
  EXPECT_EQ(connector()->listCalendars().size(), 2u);

  extra_settings_["subject"] = "bob@example.com";  // no delegation for this user
  try {
    connector()->listCalendars();
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Auth);
    EXPECT_NE(std::string(e.what()).find("unauthorized_client"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("domain-wide delegation"), std::string::npos) << e.what();
  }
  EXPECT_EQ(errorKindOf([&] { authorizationUrl(spec(), "", now()); }), ErrorKind::Config)
      << "nobody signs in for a service account";
}

}  // namespace
}  // namespace calsync::google::testing
