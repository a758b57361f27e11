// The sign-in endpoints against the Google and Graph test servers: state and code checks,
// device-code pending / declined / expired, calendars with INI sections, and what a revoked
// sign-in looks like in /health. Nothing secret may appear in an answer.
#include <sys/stat.h>

#include "oauth/token_store.h"
#include "tests/unit/master/config_api_fixture.h"

namespace calsync::master::testing {
namespace {

std::map<std::string, std::string> queryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : oauth::formDecode(url.substr(url.find('?') + 1))) out[k] = v;
  return out;
}

class OAuthConfigRoutesTest : public ConfigApiFixture {
 protected:
  void SetUp() override {
    ConfigApiFixture::SetUp();
    serve();
  }
  oauth::StoredCredentials stored(const std::string& name) {
    auto credentials = oauth::TokenStore(googleSpec(name).data_dir).load();
    EXPECT_TRUE(credentials.has_value());
    return credentials.value_or(oauth::StoredCredentials{});
  }
};

TEST_F(OAuthConfigRoutesTest, GoogleAuthUrlThenExchangeCodeStoresTheSignInEncrypted) {
  const Answer url = call("GET", "/sync/config/google/auth-url?source=work");
  ASSERT_EQ(url.status, 200) << url.body;
  const std::string auth_url = json::text(url.json, "auth_url");
  EXPECT_EQ(auth_url.rfind(google_.authUrl() + "?", 0), 0u) << auth_url;
  const auto q = queryOf(auth_url);
  EXPECT_EQ(q.at("state"), json::text(url.json, "state"));
  EXPECT_EQ(q.at("redirect_uri"), "http://127.0.0.1:8765/") << "the redirect URI comes from the config";
  EXPECT_EQ(json::text(url.json, "redirect_uri"), "http://127.0.0.1:8765/");
  EXPECT_EQ(q.count("client_secret"), 0u);
  EXPECT_EQ(url.body.find("secret-1"), std::string::npos);

  const std::string landed = google_.oauth().consent(auth_url);
  const Answer done = call("POST", "/sync/config/google/exchange-code",
                           "{\"source\":\"work\",\"code\":\"" + queryOf(landed).at("code") + "\",\"state\":\"" +
                               q.at("state") + "\"}");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(json::text(json::object(done.json, "credential"), "state"), "ok");
  const auto tokens = stored("work");
  EXPECT_FALSE(tokens.refresh_token.empty());
  EXPECT_TRUE(tokens.pending_state.empty());
  for (const std::string& secret : {tokens.refresh_token, tokens.access_token, std::string("secret-1")}) {
    EXPECT_EQ(done.body.find(secret), std::string::npos) << "a secret in the answer";
  }
  const auto entries = audit();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.front().action, "google.sign_in");
  EXPECT_EQ(entries.front().actor, "admin");
  EXPECT_EQ(entries.front().after.find(tokens.refresh_token), std::string::npos);
}

TEST_F(OAuthConfigRoutesTest, ExchangeCodeRefusesAForeignStateAWrongCodeAndNoStateAtAll) {
  const Answer url = call("GET", "/sync/config/google/auth-url?source=work");
  const std::string state = json::text(url.json, "state");
  const std::string code = queryOf(google_.oauth().consent(json::text(url.json, "auth_url"))).at("code");

  Answer answer = call("POST", "/sync/config/google/exchange-code",
                       "{\"source\":\"work\",\"code\":\"" + code + "\",\"state\":\"forged-state\"}");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.code(), "sign_in_failed") << answer.body;
  answer = call("POST", "/sync/config/google/exchange-code",
                "{\"source\":\"work\",\"code\":\"not-a-code\",\"state\":\"" + state + "\"}");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.code(), "code_refused") << answer.body;
  answer = call("POST", "/sync/config/google/exchange-code", "{\"source\":\"work\",\"code\":\"" + code + "\"}");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.code(), "bad_request") << "a bare code without state is refused";
  EXPECT_FALSE(oauth::TokenStore(googleSpec("work").data_dir).load()->refresh_token.size())
      << "nothing was signed in by the refused attempts";

  // The sign-in in progress survived them.
  answer = call("POST", "/sync/config/google/exchange-code",
                "{\"source\":\"work\",\"code\":\"" + code + "\",\"state\":\"" + state + "\"}");
  EXPECT_EQ(answer.status, 200) << answer.body;
  answer = call("POST", "/sync/config/google/exchange-code",
                "{\"source\":\"work\",\"code\":\"" + code + "\",\"state\":\"" + state + "\"}");
  EXPECT_EQ(answer.status, 400) << "a finished sign-in cannot be replayed";
}

TEST_F(OAuthConfigRoutesTest, SectionsAreCheckedByNameAndType) {
  EXPECT_EQ(call("GET", "/sync/config/google/auth-url").code(), "bad_request");
  EXPECT_EQ(call("GET", "/sync/config/google/auth-url?source=nope").code(), "no_such_section");
  Answer answer = call("GET", "/sync/config/google/auth-url?source=office");
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.code(), "wrong_type");
  EXPECT_EQ(call("GET", "/sync/config/google/auth-url?source=source.work").status, 200) << "the full section name works too";
  EXPECT_EQ(call("GET", "/sync/config/ics/auth-url?source=work").status, 404);
  EXPECT_EQ(call("POST", "/sync/config/google/device-code", "{\"source\":\"work\"}").status, 404)
      << "Google has no device-code sign-in";
  EXPECT_EQ(call("GET", "/sync/config/google/auth-url?source=work", "", "").status, 401);
  EXPECT_EQ(call("GET", "/sync/config/google/auth-url?source=work", "", "wrong").status, 401);
}

TEST_F(OAuthConfigRoutesTest, GoogleCalendarsNeedASignInAndComeWithIniSections) {
  Answer answer = call("POST", "/sync/config/google/calendars", "{\"source\":\"work\"}");
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.code(), "sign_in_required");
  EXPECT_NE(answer.message().find("calsyncctl auth google --source work"), std::string::npos) << answer.body;

  ASSERT_EQ(signInGoogle("work").status, 200);
  answer = call("POST", "/sync/config/google/calendars", "{\"source\":\"work\"}");
  ASSERT_EQ(answer.status, 200) << answer.body;
  std::map<std::string, json::Object::Ptr> by_id;
  for (const auto& c : json::objects(answer.json, "calendars")) by_id[json::text(c, "id")] = c;
  ASSERT_EQ(by_id.size(), 2u);
  const auto& work = by_id.at(kGoogleCalendar);
  EXPECT_TRUE(json::boolean(work, "writable"));
  EXPECT_FALSE(json::boolean(by_id.at(kReadOnlyCalendar), "writable"));
  EXPECT_EQ(json::text(work, "source_ini"),
            "[source.google-work]\ntype = google\ncalendars = work@example.com\nclient_id = client-1\n");
  EXPECT_EQ(json::text(work, "destination_ini"),
            "[destination]\ntype = google\ncalendar = work@example.com\nclient_id = client-1\n");
  EXPECT_EQ(answer.body.find("secret-1"), std::string::npos);
}

TEST_F(OAuthConfigRoutesTest, ARevokedSignInShowsInHealthWithWhatToRunAndSigningInAgainClearsIt) {
  Answer health = call("GET", "/health", "", "");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(json::text(health.json, "status"), "degraded") << "nobody has signed in yet";
  EXPECT_EQ(json::text(healthCredential(health, "work"), "state"), "missing");
  EXPECT_NE(json::text(healthCredential(health, "office"), "action").find("calsyncctl auth graph --source office"),
            std::string::npos);

  ASSERT_EQ(signInGoogle("work").status, 200);
  health = call("GET", "/health", "", "");
  EXPECT_EQ(json::text(healthCredential(health, "work"), "state"), "ok");
  EXPECT_EQ(json::text(healthCredential(health, "work"), "action"), "");

  google_.oauth().revokeRefreshTokens();
  const Answer refused = call("POST", "/sync/config/google/calendars", "{\"source\":\"work\"}");
  EXPECT_EQ(refused.code(), "sign_in_required") << refused.body;
  health = call("GET", "/health", "", "");
  EXPECT_EQ(health.status, 200) << "a credential problem degrades, it does not fail /health";
  EXPECT_EQ(json::text(health.json, "status"), "degraded");
  const auto work = healthCredential(health, "work");
  ASSERT_TRUE(work);
  EXPECT_EQ(json::text(work, "state"), "revoked");
  EXPECT_EQ(json::text(work, "type"), "google");
  EXPECT_NE(json::text(work, "action").find("calsyncctl auth google --source work"), std::string::npos)
      << json::text(work, "action");

  ASSERT_EQ(signInGoogle("work").status, 200);
  EXPECT_EQ(json::text(healthCredential(call("GET", "/health", "", ""), "work"), "state"), "ok");
  EXPECT_EQ(call("POST", "/sync/config/google/calendars", "{\"source\":\"work\"}").status, 200);
}

TEST_F(OAuthConfigRoutesTest, HealthShowsAnExpiringSignInAndAnUnsafeKeyFile) {
  google_.oauth().setRefreshTokenLifetime(2 * 86400);   // a "Testing" consent screen's grant
  ASSERT_EQ(signInGoogle("work").status, 200);
  Answer health = call("GET", "/health", "", "");
  auto work = healthCredential(health, "work");
  EXPECT_EQ(json::text(work, "state"), "expiring");
  EXPECT_FALSE(json::text(work, "expires_at").empty());
  EXPECT_NE(json::text(work, "action").find("expires soon"), std::string::npos);

  const auto key = std::filesystem::path(googleSpec("work").data_dir) / "oauth.key";
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  work = healthCredential(call("GET", "/health", "", ""), "work");
  EXPECT_EQ(json::text(work, "state"), "missing");
  EXPECT_NE(json::text(work, "action").find("chmod 600"), std::string::npos) << json::text(work, "action");
}

TEST_F(OAuthConfigRoutesTest, GraphDeviceCodeIsPendingUntilApprovedAndKeepsTheDeviceCodeToItself) {
  const Answer start = call("POST", "/sync/config/graph/device-code", "{\"source\":\"office\"}");
  ASSERT_EQ(start.status, 200) << start.body;
  const std::string user_code = json::text(start.json, "user_code");
  EXPECT_FALSE(user_code.empty());
  EXPECT_EQ(json::text(start.json, "verification_uri"), "https://microsoft.com/devicelogin");
  EXPECT_EQ(start.body.find("dc-"), std::string::npos) << "the device code is the master's secret";
  EXPECT_EQ(start.body.find("device_code\""), std::string::npos);

  Answer poll = call("POST", "/sync/config/graph/device-code/poll", "{\"source\":\"office\"}");
  ASSERT_EQ(poll.status, 200) << poll.body;
  EXPECT_EQ(json::text(poll.json, "status"), "pending");
  EXPECT_EQ(json::integer(poll.json, "interval"), 5);

  ASSERT_TRUE(graph_.oauth().approveDevice(user_code, kMailbox));
  poll = call("POST", "/sync/config/graph/device-code/poll", "{\"source\":\"office\"}");
  ASSERT_EQ(poll.status, 200) << poll.body;
  EXPECT_EQ(json::text(poll.json, "status"), "signed_in");
  EXPECT_EQ(json::text(json::object(poll.json, "credential"), "state"), "ok");
  EXPECT_EQ(audit().front().action, "graph.sign_in");
  EXPECT_EQ(call("POST", "/sync/config/graph/device-code/poll", "{\"source\":\"office\"}").code(),
            "no_sign_in_in_progress");

  const Answer calendars = call("POST", "/sync/config/graph/calendars", "{\"source\":\"office\"}");
  ASSERT_EQ(calendars.status, 200) << calendars.body;
  const auto list = json::objects(calendars.json, "calendars");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(json::text(list[0], "id"), graph_calendar_);
  EXPECT_NE(json::text(list[0], "destination_ini").find("calendar = " + graph_calendar_), std::string::npos);
}

TEST_F(OAuthConfigRoutesTest, GraphDeviceCodeDeclinedOrExpiredEndsTheSignIn) {
  Answer start = call("POST", "/sync/config/graph/device-code", "{\"source\":\"office\"}");
  ASSERT_TRUE(graph_.oauth().declineDevice(json::text(start.json, "user_code")));
  Answer poll = call("POST", "/sync/config/graph/device-code/poll", "{\"source\":\"office\"}");
  EXPECT_EQ(poll.status, 400);
  EXPECT_EQ(poll.code(), "sign_in_declined") << poll.body;
  EXPECT_EQ(call("POST", "/sync/config/graph/device-code/poll", "{\"source\":\"office\"}").code(),
            "no_sign_in_in_progress");

  start = call("POST", "/sync/config/graph/device-code", "{\"source\":\"office\"}");
  ASSERT_TRUE(graph_.oauth().expireDevice(json::text(start.json, "user_code")));
  poll = call("POST", "/sync/config/graph/device-code/poll", "{\"source\":\"office\"}");
  EXPECT_EQ(poll.status, 410);
  EXPECT_EQ(poll.code(), "device_code_expired") << poll.body;
  EXPECT_FALSE(oauth::TokenStore(graphSpec("office").data_dir).load().has_value()) << "nothing was stored";
  EXPECT_EQ(json::text(healthCredential(call("GET", "/health", "", ""), "office"), "state"), "missing");
}

TEST_F(OAuthConfigRoutesTest, AgentStatusShowsTheCredentialsTheAgentReported) {
  runtime_->store().recordCheckIn("pc-1", "PC one", now());
  HeartbeatRequest beat;
  beat.agent_id = "pc-1";
  beat.agent_name = "PC one";
  beat.epoch = "e1";
  beat.credentials = {{"home", "google", "revoked", 0, "run `calsyncctl auth google --source home`"}};
  runtime_->heartbeat(beat);
  const Answer status = call("GET", "/sync/agents/pc-1/status");
  ASSERT_EQ(status.status, 200) << status.body;
  const auto credentials = json::objects(status.json, "credentials");
  ASSERT_EQ(credentials.size(), 1u);
  EXPECT_EQ(json::text(credentials[0], "name"), "home");
  EXPECT_EQ(json::text(credentials[0], "state"), "revoked");
  EXPECT_NE(json::text(credentials[0], "action").find("calsyncctl auth google --source home"), std::string::npos);
  EXPECT_FALSE(json::text(status.json, "credentials_reported_at").empty());

  beat.credentials.clear();   // signed in again at the agent
  runtime_->heartbeat(beat);
  EXPECT_TRUE(json::objects(call("GET", "/sync/agents/pc-1/status").json, "credentials").empty());
}

}  // namespace
}  // namespace calsync::master::testing
