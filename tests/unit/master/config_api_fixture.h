// The master's HTTP API served for real on a free port over a real SQLite master store, with
// FakeDaemon standing in for calsyncd (its configuration sections, cycle and reload) and the
// Google and Graph test servers as the providers. For the configuration route tests.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "core/registry.h"
#include "master/daemon_control.h"
#include "master/http_api.h"
#include "master/master_runtime.h"
#include "net/http_client.h"
#include "oauth/encoding.h"
#include "oauth/json_access.h"
#include "store/master_store.h"
#include "tests/servers/google/google_test_server.h"
#include "tests/servers/graph/graph_test_server.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace calsync::master::testing {

inline constexpr const char* kAdminToken = "admin-token-for-tests";
inline constexpr const char* kGoogleCalendar = "work@example.com";
inline constexpr const char* kReadOnlyCalendar = "holidays@group.calendar.google.com";
inline constexpr const char* kMailbox = "ana@contoso.com";

inline std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Waits for `condition` until the deadline; true when it held.
inline bool waitFor(const std::function<bool()>& condition, int seconds = 20) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

// calsyncd as the routes see it: sections by name, a cycle, a destination switch, a reload.
class FakeDaemon : public DaemonControl {
 public:
  std::optional<ConnectorSpec> section(const std::string& name) const override {
    std::lock_guard lock(mutex);
    const auto it = sections.find(name);
    return it == sections.end() ? std::nullopt : std::optional<ConnectorSpec>(it->second);
  }
  std::string destinationCalendar() const override { return destination_calendar; }
  std::vector<CredentialState> credentials(std::int64_t t) const override {
    std::lock_guard lock(mutex);
    std::vector<CredentialState> out;
    for (const auto& [name, spec] : sections) {
      const ConnectorInfo* info = ConnectorRegistry::instance().find(spec.type);
      if (info && info->credential_status) {
        if (auto state = info->credential_status(spec, t)) out.push_back(*state);
      }
    }
    return out;
  }
  CycleRun runCycleNow() override {
    CycleRun run;
    run.destination = runtime->writeDestination(now(), [] { return false; }, true);
    run.has_destination = true;
    if (run.destination.failed) run.errors.push_back("destination: " + run.destination.first_error);
    return run;
  }
  DestinationChange replaceDestination(const std::string& from, const std::string& calendar) override {
    std::lock_guard lock(mutex);
    if (refusal) throw *refusal;
    replaced.emplace_back(from, calendar);
    return {"/etc/calsync/conf.d/90-destination.ini", "{\"type\":\"caldav\"}",
            "{\"type\":\"google\",\"calendar\":\"" + calendar + "\"}"};
  }
  bool canReload() const override { return can_reload; }
  void requestReload() override { ++reloads; }

  void put(const ConnectorSpec& spec) {
    std::lock_guard lock(mutex);
    sections[spec.name] = spec;
  }
  std::vector<std::pair<std::string, std::string>> replacedSoFar() {
    std::lock_guard lock(mutex);
    return replaced;
  }

  mutable std::mutex mutex;
  std::map<std::string, ConnectorSpec> sections;
  std::string destination_calendar;
  MasterRuntime* runtime = nullptr;
  bool can_reload = true;
  std::atomic<int> reloads{0};
  std::optional<ControlError> refusal;
  std::vector<std::pair<std::string, std::string>> replaced;
};

struct Answer {
  int status = 0;
  std::string body;
  json::Object::Ptr json;
  std::string code() const { return json ? json::text(json::object(json, "error"), "code") : ""; }
  std::string message() const { return json ? json::text(json::object(json, "error"), "message") : ""; }
};

class ConfigApiFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    google_.oauth().addClient("client-1", "secret-1");
    google_.addCalendar(kGoogleCalendar, "Work", "Europe/Berlin");
    google_.addCalendar(kReadOnlyCalendar, "Holidays", "UTC", "reader");
    graph_.oauth().addClient("graph-app", "");
    graph_.addMailbox(kMailbox);
    graph_calendar_ = graph_.addCalendar(kMailbox, "Calendar");
    daemon_.put(googleSpec("work"));
    daemon_.put(graphSpec("office"));
  }

  // Serves the API; `destination` is what the master writes (none by default).
  void serve(DestinationSetup destination = {}) {
    db_ = store::openSqliteMasterDatabase((dir_.path() / "master.db").string());
    runtime_ = std::make_unique<MasterRuntime>(storesOf(db_),
                                               std::move(destination), health_);
    daemon_.runtime = runtime_.get();
    HttpApiOptions options;
    options.listen = "127.0.0.1:0";
    options.admin_token = kAdminToken;
    options.mode = "master";
    options.control = &daemon_;
    api_ = std::make_unique<HttpApi>(*runtime_, options);
    api_->start();
    base_ = "http://127.0.0.1:" + std::to_string(api_->port());
  }

  ConnectorSpec googleSpec(const std::string& name) const {
    ConnectorSpec spec;
    spec.name = name;
    spec.type = "google";
    spec.data_dir = (dir_.path() / "data" / (name == "destination" ? "destination" : "sources/" + name)).string();
    spec.settings = {{"client_id", "client-1"},          {"client_secret", "secret-1"},
                     {"api_url", google_.apiUrl()},       {"token_url", google_.tokenUrl()},
                     {"auth_url", google_.authUrl()},     {"ca_file", calsync::testing::testCaFile()},
                     {"timeout", "10"},                   {"retry_wait_max", "0"}};
    return spec;
  }
  ConnectorSpec graphSpec(const std::string& name) const {
    ConnectorSpec spec;
    spec.name = name;
    spec.type = "graph";
    spec.data_dir = (dir_.path() / "data" / (name == "destination" ? "destination" : "sources/" + name)).string();
    spec.settings = {{"client_id", "graph-app"},       {"tenant", "contoso"},
                     {"login_url", graph_.loginUrl()}, {"api_url", graph_.apiUrl()},
                     {"ca_file", calsync::testing::testCaFile()}, {"timeout", "10"},
                     {"retry_wait_max", "0"}};
    return spec;
  }

  Answer call(const std::string& method, const std::string& path, const std::string& body = "",
              const std::string& token = kAdminToken) {
    net::HttpClient http{net::HttpOptions{}};
    net::HttpRequest request;
    request.method = method;
    request.url = base_ + path;
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    const net::HttpResponse response = http.send(request);
    Answer answer;
    answer.status = response.status;
    answer.body = response.body;
    try {
      answer.json = json::parseObject(response.body, "answer");
    } catch (const ConnectorError&) {
    }
    return answer;
  }

  // GET auth-url, the user's consent at Google, POST exchange-code: the web UI's sign-in.
  Answer signInGoogle(const std::string& source) {
    const Answer url = call("GET", "/sync/config/google/auth-url?source=" + source);
    EXPECT_EQ(url.status, 200) << url.body;
    const std::string landed = google_.oauth().consent(json::text(url.json, "auth_url"));
    EXPECT_FALSE(landed.empty());
    std::string code;
    for (const auto& [k, v] : oauth::formDecode(landed.substr(landed.find('?') + 1))) {
      if (k == "code") code = v;
    }
    return call("POST", "/sync/config/google/exchange-code",
                "{\"source\":\"" + source + "\",\"code\":\"" + code + "\",\"state\":\"" +
                    json::text(url.json, "state") + "\"}");
  }

  // The credentials entry of GET /health for `name`.
  json::Object::Ptr healthCredential(const Answer& health, const std::string& name) {
    for (const auto& c : json::objects(health.json, "credentials")) {
      if (json::text(c, "name") == name) return c;
    }
    return nullptr;
  }

  std::vector<store::AuditEntry> audit() { return runtime_->audit().recent(100); }

  calsync::testing::TempDir dir_;
  calsync::testing::GoogleTestServer google_;
  calsync::testing::GraphTestServer graph_{"contoso"};
  std::string graph_calendar_;
  FakeDaemon daemon_;
  store::MasterDatabase db_;
  HealthBoard health_;
  std::unique_ptr<MasterRuntime> runtime_;
  std::unique_ptr<HttpApi> api_;
  std::string base_;
};

}  // namespace calsync::master::testing
