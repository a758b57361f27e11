// The admin flow of the master's sign-in and destination endpoints with a real standalone
// calsyncd and the in-process Google test server: sign in through the endpoints, make a Google
// calendar the destination through the endpoint (a conf.d drop-in and a reload), prove the
// path with POST /sync/test/end-to-end; then a sign-in revoked at Google shows in /health with
// the command to run, and after signing in again through the endpoints the next run writes
// what waited, with nothing lost or recreated.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/date_time.h"
#include "net/http_client.h"
#include "oauth/encoding.h"
#include "oauth/json_access.h"
#include "child_process.h"
#include "process.h"
#include "tests/servers/google/google_test_server.h"

namespace calsync {
namespace {

namespace fs = std::filesystem;

const std::string kCalsyncd = std::string(CALSYNC_BINARY_DIR) + "/daemon/calsyncd";
const std::string kAdminToken = "oauth-e2e-admin-token";
const std::string kCalendar = "consolidated@example.com";
constexpr std::int64_t kDay = 86400;

struct Answer {
  int status = 0;
  std::string body;
  json::Object::Ptr json;
};

class OAuthApiEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("calsync-oauth-api-e2e-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "conf.d");
    now_ = static_cast<std::int64_t>(std::time(nullptr));
    google_.oauth().addClient("e2e-client", "e2e-secret");
    google_.addCalendar(kCalendar, "Consolidated", "Europe/Berlin");
    google_.addCalendar("ana@example.com", "Ana", "Europe/Berlin");
    port_ = testing::pickFreePort();
    base_ = "http://127.0.0.1:" + std::to_string(port_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void writeEvents(int count) {
    std::ofstream f(dir_ / "team.ics");
    f << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//oauth-api//EN\r\n";
    for (int i = 0; i < count; ++i) {
      const std::int64_t start = now_ + (i + 1) * kDay;
      f << "BEGIN:VEVENT\r\nUID:event-" << i << "@e2e\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:"
        << epochToUtc(start).toIcalValue() << "\r\nDTEND:" << epochToUtc(start + 3600).toIcalValue()
        << "\r\nSUMMARY:Event " << i << "\r\nEND:VEVENT\r\n";
    }
    f << "END:VCALENDAR\r\n";
  }

  // The destination to begin with is a CalDAV server that is not there; [source.google] only
  // holds the Google account's settings for the endpoints (it is not synced).
  void writeConfig() {
    std::ofstream f(dir_ / "calsyncd.ini");
    f << "[daemon]\nmode = standalone\ndata_dir = " << (dir_ / "data").string() << "\nlog_level = info\n\n"
      << "[agent]\nid = e2e-agent\nsync_interval = 1h\nwindow_past = 30d\nwindow_future = 90d\n\n"
      << "[master]\nlisten = 127.0.0.1:" << port_ << "\nallow_plain_http = true\nadmin_token = " << kAdminToken << "\n\n"
      << "[destination]\ntype = caldav\nurl = http://127.0.0.1:1/nothing/\n\n"
      << "[source.team]\ntype = ics\npath = " << (dir_ / "team.ics").string() << "\n\n"
      << "[source.google]\ntype = google\nenabled = false\nclient_id = e2e-client\nclient_secret = e2e-secret\n"
      << "api_url = " << google_.apiUrl() << "\ntoken_url = " << google_.tokenUrl() << "\nauth_url = "
      << google_.authUrl() << "\nca_file = " << calsync::testing::testCaFile() << "\ntimeout = 10s\nretry_wait_max = 0\n";
  }

  Answer call(const std::string& method, const std::string& path, const std::string& body = "") {
    Answer answer;
    try {
      net::HttpOptions options;
      options.timeout_seconds = 60;
      net::HttpClient http{options};
      net::HttpRequest request{method, base_ + path, {{"Authorization", "Bearer " + kAdminToken}}, body};
      if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
      const auto response = http.send(request);
      answer.status = response.status;
      answer.body = response.body;
      answer.json = json::parseObject(response.body, "answer");
    } catch (const ConnectorError&) {
      // Not up (yet, or reloading).
    }
    return answer;
  }

  // The sign-in as the web UI does it: auth-url, consent at Google, exchange-code.
  Answer signIn(const std::string& source) {
    const Answer url = call("GET", "/sync/config/google/auth-url?source=" + source);
    EXPECT_EQ(url.status, 200) << url.body;
    const std::string landed = google_.oauth().consent(json::text(url.json, "auth_url"), "ana@example.com");
    // The whole address the browser ended on, as an admin pastes it.
    return call("POST", "/sync/config/google/exchange-code",
                "{\"source\":\"" + source + "\",\"code\":\"" + landed + "\",\"state\":\"" +
                    json::text(url.json, "state") + "\"}");
  }

  json::Object::Ptr connector(const Answer& health, const std::string& role) {
    for (const auto& c : json::objects(health.json, "connectors")) {
      if (json::text(c, "role") == role) return c;
    }
    return nullptr;
  }
  json::Object::Ptr credential(const Answer& health, const std::string& name) {
    for (const auto& c : json::objects(health.json, "credentials")) {
      if (json::text(c, "name") == name) return c;
    }
    return nullptr;
  }

  bool waitFor(const std::function<bool()>& condition, int seconds = 60) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::map<std::string, std::string> googleIdsBySummary() {
    std::map<std::string, std::string> out;
    for (const auto& id : google_.liveEventIds(kCalendar)) {
      out[json::text(json::parseObject(*google_.eventJson(kCalendar, id), "event"), "summary")] = id;
    }
    return out;
  }

  std::string log() { return testing::readFile((dir_ / "calsyncd.log").string()); }

  fs::path dir_;
  std::int64_t now_ = 0;
  int port_ = 0;
  std::string base_;
  testing::GoogleTestServer google_;
};

TEST_F(OAuthApiEndToEnd, SignInSwitchTheDestinationRunEndToEndThenRecoverFromARevocation) {
  writeEvents(3);
  writeConfig();
  testing::Process daemon({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string()}, (dir_ / "calsyncd.log").string());
  ASSERT_TRUE(waitFor([&] { return call("GET", "/health").status != 0; })) << log();

  // Sign in to the Google account, and see its calendars.
  const Answer signed_in = signIn("google");
  ASSERT_EQ(signed_in.status, 200) << signed_in.body << log();
  const Answer calendars = call("POST", "/sync/config/google/calendars", "{\"source\":\"google\"}");
  ASSERT_EQ(calendars.status, 200) << calendars.body;
  EXPECT_NE(calendars.body.find(kCalendar), std::string::npos);

  // Make its calendar the destination: a drop-in, then a reload.
  const Answer switched = call("POST", "/sync/config/destination/google",
                               "{\"source\":\"google\",\"calendar_id\":\"" + kCalendar + "\"}");
  ASSERT_EQ(switched.status, 200) << switched.body << log();
  const fs::path drop_in = json::text(switched.json, "file");
  EXPECT_EQ(drop_in, dir_ / "conf.d" / "90-destination.ini");
  ASSERT_TRUE(fs::exists(drop_in));
  EXPECT_EQ(testing::readFile(drop_in.string()).find("e2e-secret"), std::string::npos) << "no secret in the drop-in";
  // The reload's first cycle writes what the master holds.
  ASSERT_TRUE(waitFor([&] {
    const Answer health = call("GET", "/health");
    const auto destination = connector(health, "destination");
    return destination && json::text(destination, "type") == "google" && json::text(destination, "state") == "ok";
  })) << log();
  EXPECT_EQ(googleIdsBySummary().size(), 3u) << log();
  Answer health = call("GET", "/health");
  EXPECT_EQ(json::text(credential(health, "destination"), "state"), "ok") << health.body;
  EXPECT_EQ(json::text(health.json, "status"), "ok") << health.body;

  // Two new events; the end-to-end run reads them and writes them, and says so.
  writeEvents(5);
  Answer run = call("POST", "/sync/test/end-to-end");
  ASSERT_EQ(run.status, 200) << run.body;
  EXPECT_TRUE(json::boolean(run.json, "ok")) << run.body;
  EXPECT_EQ(json::integer(run.json, "agents_processed"), 1);
  EXPECT_EQ(json::integer(run.json, "events_synced"), 2) << run.body;
  auto destination = json::object(run.json, "destination");
  EXPECT_EQ(json::text(destination, "type"), "google");
  EXPECT_EQ(json::text(destination, "calendar"), kCalendar);
  EXPECT_EQ(json::integer(destination, "written"), 2);
  EXPECT_EQ(json::integer(destination, "failed"), 0);
  const auto before = googleIdsBySummary();
  ASSERT_EQ(before.size(), 5u);
  EXPECT_TRUE(before.count("Event 3") && before.count("Event 4"));

  // Access revoked at Google; meanwhile the source gains an event.
  google_.oauth().revokeRefreshTokens();
  writeEvents(6);
  run = call("POST", "/sync/test/end-to-end");
  ASSERT_EQ(run.status, 200) << run.body;
  EXPECT_FALSE(json::boolean(run.json, "ok"));
  const auto errors = json::strings(run.json, "errors");
  ASSERT_FALSE(errors.empty()) << run.body;
  EXPECT_NE(errors.back().find("calsyncctl auth google --destination"), std::string::npos) << errors.back();
  health = call("GET", "/health");
  const auto revoked = credential(health, "destination");
  ASSERT_TRUE(revoked) << health.body;
  EXPECT_EQ(json::text(revoked, "state"), "revoked");
  EXPECT_NE(json::text(revoked, "action").find("calsyncctl auth google --destination"), std::string::npos);
  EXPECT_NE(json::text(health.json, "status"), "ok");
  EXPECT_EQ(googleIdsBySummary(), before) << "a refused sign-in deletes nothing";

  // Signed in again through the endpoints: the next run writes what waited.
  const Answer again = signIn("destination");
  ASSERT_EQ(again.status, 200) << again.body;
  run = call("POST", "/sync/test/end-to-end");
  EXPECT_TRUE(json::boolean(run.json, "ok")) << run.body << log();
  EXPECT_EQ(json::integer(json::object(run.json, "destination"), "written"), 1);
  const auto after = googleIdsBySummary();
  EXPECT_EQ(after.size(), 6u);
  for (const auto& [summary, id] : before) {
    ASSERT_TRUE(after.count(summary)) << summary << " was lost";
    EXPECT_EQ(after.at(summary), id) << summary << " was recreated";
  }
  EXPECT_EQ(json::text(credential(call("GET", "/health"), "destination"), "state"), "ok");
  EXPECT_EQ(google_.notifyingWrites(), 0);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
  const std::string text = log();
  for (const std::string& secret : {std::string("e2e-secret"), kAdminToken}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "the log shows a secret";
  }
}

}  // namespace
}  // namespace calsync
