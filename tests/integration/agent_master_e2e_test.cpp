// An agent and a master as two real calsyncd processes talking HTTPS with the test CA:
// enrolment with a one-time token, events from the agent's CalDAV source (Radicale) into
// the master's CalDAV destination, a rename made at the master reaching the source, a
// master that is down losing nothing, and the master API's sync settings, event creates
// and calendar removal reaching the agent.
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
#include "child_process.h"
#include "dav_calendar.h"
#include "process.h"
#include "radicale_server.h"

namespace calsync {
namespace {

namespace fs = std::filesystem;
using testing::RadicaleServer;

const std::string kCalsyncd = std::string(CALSYNC_BINARY_DIR) + "/daemon/calsyncd";
const std::string kTls = std::string(CALSYNC_SOURCE_DIR) + "/tests/support/tls/";
constexpr const char* kAdminToken = "agent-e2e-admin-token-42";
constexpr std::int64_t kDay = 86400;

std::string stamp(std::int64_t t) { return epochToUtc(t).toIcalValue(); }

std::string formatIso(std::int64_t t) {
  const DateTime d = epochToUtc(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, d.hour, d.minute, d.second);
  return buf;
}

class AgentMasterEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("calsync-agent-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    server_ = std::make_unique<RadicaleServer>();
    destination_ = server_->makeCalendar("office", "consolidated");
    source_ = server_->makeCalendar("laptop", "work");
    port_ = testing::pickFreePort();
    base_ = "https://127.0.0.1:" + std::to_string(port_);
    putSourceEvent("kickoff@agent-e2e", "Kick-off", 1);
    writeMasterConfig();
  }
  void TearDown() override { fs::remove_all(dir_); }

  net::HttpClient davClient(const std::string& user) {
    net::HttpOptions options;
    options.username = user;
    options.password = "x";
    options.timeout_seconds = 10;
    return net::HttpClient(options);
  }

  net::HttpClient apiClient() {
    net::HttpOptions options;
    options.ca_file = kTls + "ca.pem";
    options.timeout_seconds = 10;
    return net::HttpClient(options);
  }

  void putSourceEvent(const std::string& uid, const std::string& summary, int days_ahead) {
    const std::int64_t start = static_cast<std::int64_t>(std::time(nullptr)) + days_ahead * kDay;
    const std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//agent-e2e//EN\r\nBEGIN:VEVENT\r\nUID:" +
                            uid + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + stamp(start) + "\r\nDTEND:" +
                            stamp(start + 3600) + "\r\nSUMMARY:" + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    auto http = davClient("laptop");
    auto r = http.send({"PUT", source_ + uid + ".ics", {{"Content-Type", "text/calendar"}}, ics});
    ASSERT_LT(r.status, 300) << r.body;
  }

  void writeMasterConfig() {
    std::ofstream f(dir_ / "master.ini");
    f << "[daemon]\nmode = master\ndata_dir = " << (dir_ / "master").string() << "\n\n"
      << "[agent]\nsync_interval = 1h\n\n"
      << "[master]\nlisten = 127.0.0.1:" << port_ << "\ntls_cert = " << kTls << "server.pem\ntls_key = " << kTls
      << "server.key\nadmin_token = " << kAdminToken << "\n\n"
      << "[destination]\ntype = caldav\nurl = " << destination_ << "\nusername = office\npassword = x\n";
  }

  void writeAgentConfig(const std::string& token, bool allow_event_updates = false) {
    std::ofstream f(dir_ / "agent.ini");
    f << "[daemon]\nmode = agent\ndata_dir = " << (dir_ / "agent").string() << "\n\n"
      << "[agent]\nid = laptop-1\nname = Laptop one\nmaster_url = " << base_ << "\nca_file = " << kTls
      << "ca.pem\nenroll_token = " << token << "\nsync_interval = 1h\n\n"
      << "[source.work]\ntype = caldav\nurl = " << source_
      << "\nusername = laptop\npassword = x\nallow_metadata_updates = true\nallow_event_updates = "
      << (allow_event_updates ? "true" : "false") << "\n";
  }

  net::Headers admin() const { return {{"Authorization", std::string("Bearer ") + kAdminToken}}; }

  // Polls `probe` until it holds, for at most `seconds` (the daemons work on their own time).
  bool eventually(const std::function<bool()>& probe, int seconds = 30) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      try {
        if (probe()) return true;
      } catch (const ConnectorError&) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string createToken() {
    auto http = apiClient();
    auto r = http.send({"POST", base_ + "/sync/tokens", admin(), "{\"label\":\"laptop-1\"}"});
    EXPECT_EQ(r.status, 201) << r.body;
    const auto at = r.body.find("\"token\":\"");
    if (at == std::string::npos) return "";
    return r.body.substr(at + 9, r.body.find('"', at + 9) - (at + 9));
  }

  std::string health() {
    auto http = apiClient();
    return http.send({"GET", base_ + "/health", {}, ""}).body;
  }

  std::string sourceDisplayName() {
    auto http = davClient("laptop");
    auto r = http.send({"PROPFIND", source_, {{"Depth", "0"}, {"Content-Type", "application/xml"}},
                        "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\"><d:prop><d:displayname/></d:prop>"
                        "</d:propfind>"});
    return r.body;
  }

  // GET of a DAV resource by its path on the Radicale server.
  net::HttpResponse davGet(const std::string& user, const std::string& path) {
    const std::string origin = source_.substr(0, source_.find('/', source_.find("//") + 2));
    auto http = davClient(user);
    return http.send({"GET", origin + path, {}, ""});
  }

  std::string adminGet(const std::string& path) {
    auto http = apiClient();
    return http.send({"GET", base_ + path, admin(), ""}).body;
  }

  std::string log(const char* name) const { return testing::readFile((dir_ / name).string()); }

  fs::path dir_;
  std::unique_ptr<RadicaleServer> server_;
  std::string destination_, source_, base_;
  int port_ = 0;
};

TEST_F(AgentMasterEndToEnd, EnrolsShipsOverHttpsAndTakesARenameFromTheMaster) {
  testing::Process master({kCalsyncd, "--config", (dir_ / "master.ini").string()}, (dir_ / "master.log").string());
  ASSERT_TRUE(eventually([&] { return health().find("\"status\"") != std::string::npos; })) << log("master.log");

  auto http = apiClient();
  // Credentials in a URL are refused, with where they belong instead.
  auto in_url = http.send({"GET", base_ + "/sync/agents/status?token=abc", {}, ""});
  EXPECT_EQ(in_url.status, 400);
  EXPECT_NE(in_url.body.find("Authorization"), std::string::npos) << in_url.body;
  EXPECT_EQ(http.send({"GET", base_ + "/sync/agents/status", {}, ""}).status, 401);

  const std::string token = createToken();
  ASSERT_FALSE(token.empty());
  writeAgentConfig(token);
  testing::Process agent({kCalsyncd, "--config", (dir_ / "agent.ini").string()}, (dir_ / "agent.log").string());

  // The agent's event reaches the master's destination.
  ASSERT_TRUE(eventually([&] { return health().find("\"copies\":1") != std::string::npos; }))
      << health() << log("agent.log") << log("master.log");
  auto status = http.send({"GET", base_ + "/sync/agents/status", admin(), ""});
  ASSERT_EQ(status.status, 200);
  EXPECT_NE(status.body.find("\"agent_status\":{\"laptop-1\""), std::string::npos) << status.body;
  EXPECT_NE(status.body.find("\"status\":\"online\""), std::string::npos) << status.body;

  // The token was spent: nobody else can enroll with it.
  auto again = http.send({"POST", base_ + "/sync/agents/enroll", {},
                          "{\"token\":\"" + token + "\",\"agent_id\":\"intruder\"}"});
  EXPECT_EQ(again.status, 401);
  EXPECT_NE(again.body.find("token_used"), std::string::npos) << again.body;
  // Nor talk as the agent without its secret.
  EXPECT_EQ(http.send({"POST", base_ + "/sync/agents/laptop-1/heartbeat", {{"Authorization", "Bearer " + token}}, "{}"})
                .status,
            401);

  // Rename the agent's calendar at the master; the long-poll brings it to the source.
  auto calendars = http.send({"GET", base_ + "/calendars", admin(), ""});
  ASSERT_EQ(calendars.status, 200) << calendars.body;
  const auto at = calendars.body.find("\"id\":\"cal_");
  ASSERT_NE(at, std::string::npos) << calendars.body;
  const std::string calendar_id = calendars.body.substr(at + 6, 20);
  auto put = http.send({"PUT", base_ + "/calendars/" + calendar_id, admin(),
                        "{\"name\":\"Renamed by the master\",\"color\":\"#336699\"}"});
  ASSERT_EQ(put.status, 202) << put.body;
  ASSERT_TRUE(eventually([&] { return sourceDisplayName().find("Renamed by the master") != std::string::npos; }, 10))
      << sourceDisplayName() << log("agent.log");
  ASSERT_TRUE(eventually([&] {
    return http.send({"GET", base_ + "/sync/queues/status", admin(), ""}).body.find("\"status\":\"processed\"") !=
           std::string::npos;
  }));

  // The audit trail says who changed what, before and after.
  auto audit = http.send({"GET", base_ + "/sync/audit/recent", admin(), ""});
  EXPECT_NE(audit.body.find("calendar.update"), std::string::npos) << audit.body;
  EXPECT_NE(audit.body.find("Renamed by the master"), std::string::npos) << audit.body;

  agent.signal(SIGTERM);
  EXPECT_EQ(agent.wait(30000), 0) << log("agent.log");
  master.signal(SIGTERM);
  EXPECT_EQ(master.wait(30000), 0) << log("master.log");
}

TEST_F(AgentMasterEndToEnd, AMasterThatIsDownLosesNothing) {
  std::string token;
  {
    testing::Process master({kCalsyncd, "--config", (dir_ / "master.ini").string()}, (dir_ / "master.log").string());
    ASSERT_TRUE(eventually([&] { return health().find("\"status\"") != std::string::npos; })) << log("master.log");
    token = createToken();
    writeAgentConfig(token);
    ASSERT_EQ(testing::runProcess({kCalsyncd, "--config", (dir_ / "agent.ini").string(), "--once"},
                                  (dir_ / "agent.log").string()),
              0)
        << log("agent.log");
    master.signal(SIGTERM);
    ASSERT_EQ(master.wait(30000), 0);
  }
  // Master down: the agent reads the new event and keeps it in its outbox.
  putSourceEvent("review@agent-e2e", "Quarterly review", 2);
  EXPECT_NE(testing::runProcess({kCalsyncd, "--config", (dir_ / "agent.ini").string(), "--once"},
                                (dir_ / "agent.log").string()),
            0);
  EXPECT_NE(log("agent.log").find("stay queued"), std::string::npos) << log("agent.log");

  testing::Process master({kCalsyncd, "--config", (dir_ / "master.ini").string()}, (dir_ / "master.log").string());
  ASSERT_TRUE(eventually([&] { return health().find("\"status\"") != std::string::npos; })) << log("master.log");
  ASSERT_EQ(testing::runProcess({kCalsyncd, "--config", (dir_ / "agent.ini").string(), "--once"},
                                (dir_ / "agent.log").string()),
            0)
      << log("agent.log");
  // The master writes its destination on its own schedule (at start and after each heartbeat
  // cycle); both events end up there.
  ASSERT_TRUE(eventually([&] { return health().find("\"copies\":2") != std::string::npos; }))
      << health() << log("master.log");
  master.signal(SIGTERM);
  EXPECT_EQ(master.wait(30000), 0);
}

TEST_F(AgentMasterEndToEnd, TheMasterApiPushesSettingsCreatesEventsAndRetiresACalendar) {
  testing::Process master({kCalsyncd, "--config", (dir_ / "master.ini").string()}, (dir_ / "master.log").string());
  ASSERT_TRUE(eventually([&] { return health().find("\"status\"") != std::string::npos; })) << log("master.log");
  writeAgentConfig(createToken(), true);
  testing::Process agent({kCalsyncd, "--config", (dir_ / "agent.ini").string()}, (dir_ / "agent.log").string());
  ASSERT_TRUE(eventually([&] { return health().find("\"copies\":1") != std::string::npos; }))
      << health() << log("agent.log") << log("master.log");
  auto http = apiClient();

  // Sync settings pushed to the agent: it applies them at once (its interval was 1 h) and
  // reports them in its status.
  EXPECT_NE(adminGet("/sync/agents/laptop-1/status").find("\"sync_interval\":3600"), std::string::npos)
      << adminGet("/sync/agents/laptop-1/status");
  auto push = http.send({"POST", base_ + "/sync/push/sync-config", admin(),
                         R"({"target_agents": ["laptop-1"], "config": {"sync_interval": "10m", "window_future": "60d"}})"});
  ASSERT_EQ(push.status, 202) << push.body;
  ASSERT_TRUE(eventually([&] {
    const std::string status = adminGet("/sync/agents/laptop-1/status");
    return status.find("\"sync_interval\":600") != std::string::npos &&
           status.find("\"sync_config_overridden\":true") != std::string::npos;
  }, 15)) << adminGet("/sync/agents/laptop-1/status") << log("agent.log");

  // An event created through the API lands in the agent's CalDAV source.
  const std::string calendar_id = [&] {
    const std::string body = adminGet("/calendars");
    const auto at = body.find("\"id\":\"cal_");
    return at == std::string::npos ? std::string() : body.substr(at + 6, 20);
  }();
  ASSERT_FALSE(calendar_id.empty());
  const std::int64_t start = static_cast<std::int64_t>(std::time(nullptr)) / 3600 * 3600 + 3 * kDay;
  const std::string create_body = R"({"calendar_id": ")" + calendar_id +
                                  R"(", "event": {"uid": "created@agent-e2e", "summary": "Created through the API", "start": ")" +
                                  formatIso(start) + R"(", "end": ")" + formatIso(start + 3600) + R"("}})";
  auto created = http.send({"POST", base_ + "/api/calendar/event", admin(), create_body});
  ASSERT_EQ(created.status, 202) << created.body;
  const std::string request_id = created.body.substr(created.body.find("\"id\":\"evt_") + 6, 20);
  std::string request_status;
  ASSERT_TRUE(eventually([&] {
    request_status = adminGet("/api/calendar/event/" + request_id);
    return request_status.find("\"status\":\"applied\"") != std::string::npos;
  }, 15)) << request_status << log("agent.log");
  const auto native_at = request_status.find("\"native_id\":\"") + 13;
  const std::string native_id = request_status.substr(native_at, request_status.find('"', native_at) - native_at);
  auto in_source = davGet("laptop", native_id);
  ASSERT_EQ(in_source.status, 200) << native_id;
  EXPECT_NE(in_source.body.find("SUMMARY:Created through the API"), std::string::npos) << in_source.body;
  EXPECT_EQ(in_source.body.find("ATTENDEE"), std::string::npos);

  // An event in the destination that calsync did not write.
  {
    auto dav = davClient("office");
    const std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:foreign@e2e\r\n"
                            "DTSTAMP:20260101T000000Z\r\nDTSTART:" + stamp(start) + "\r\nSUMMARY:Not ours\r\n"
                            "END:VEVENT\r\nEND:VCALENDAR\r\n";
    ASSERT_LT(dav.send({"PUT", destination_ + "foreign.ics", {{"Content-Type", "text/calendar"}}, ics}).status, 300);
  }
  // Taking the calendar out of the sync removes calsync's copies from the destination and
  // nothing else: the source calendar and the foreign event stay.
  auto removed = http.send({"DELETE", base_ + "/calendars/" + calendar_id, admin(), ""});
  ASSERT_EQ(removed.status, 202) << removed.body;
  ASSERT_TRUE(eventually([&] { return health().find("\"copies\":0") != std::string::npos; }, 15))
      << health() << log("master.log");
  auto listing = davClient("office").send({"PROPFIND", destination_, {{"Depth", "1"}}, ""});
  EXPECT_EQ(listing.body.find("calsync-"), std::string::npos) << listing.body;
  EXPECT_EQ(davGet("office", destination_.substr(destination_.find('/', 8)) + "foreign.ics").status, 200);
  EXPECT_EQ(davGet("laptop", source_.substr(source_.find('/', 8)) + "kickoff@agent-e2e.ics").status, 200);
  EXPECT_EQ(davGet("laptop", native_id).status, 200);
  // The agent heard too: it stops reading the calendar, so nothing comes back.
  ASSERT_TRUE(eventually([&] {
    return adminGet("/sync/agents/laptop-1/status").find("\"exclude_calendars\":\"work/") != std::string::npos;
  }, 15)) << adminGet("/sync/agents/laptop-1/status");
  EXPECT_NE(adminGet("/calendars").find("\"syncing\":false"), std::string::npos);

  // The master first: stopping it ends the agent's long-poll, so the agent stops at once.
  master.signal(SIGTERM);
  EXPECT_EQ(master.wait(30000), 0) << log("master.log");
  agent.signal(SIGTERM);
  EXPECT_EQ(agent.wait(30000), 0) << log("agent.log");
}

TEST_F(AgentMasterEndToEnd, AnEditAtTheDestinationReachesTheAgentsSource) {
  testing::Process master({kCalsyncd, "--config", (dir_ / "master.ini").string()}, (dir_ / "master.log").string());
  ASSERT_TRUE(eventually([&] { return health().find("\"status\"") != std::string::npos; })) << log("master.log");
  writeAgentConfig(createToken(), true);
  const auto agentCycle = [&] {
    return testing::runProcess({kCalsyncd, "--config", (dir_ / "agent.ini").string(), "--once"},
                               (dir_ / "agent.log").string());
  };
  ASSERT_EQ(agentCycle(), 0) << log("agent.log");
  ASSERT_TRUE(eventually([&] { return health().find("\"copies\":1") != std::string::npos; }))
      << health() << log("master.log");

  // Someone renames the copy in the consolidated calendar with their CalDAV client.
  testing::DavCalendar consolidated(destination_, "office");
  const auto copy = consolidated.copyOf("kickoff@agent-e2e");
  ASSERT_TRUE(copy) << log("master.log");
  ASSERT_EQ(consolidated.editLine(*copy, "SUMMARY:", "SUMMARY:Kick-off (room 3)") / 100, 2);
  // The master reads the destination on every pass; a heartbeat that brings changes starts
  // one at once (here a new event at the agent's source).
  putSourceEvent("nudge@agent-e2e", "Another meeting", 3);
  ASSERT_EQ(agentCycle(), 0) << log("agent.log");
  auto http = apiClient();
  ASSERT_TRUE(eventually([&] {
    return http.send({"GET", base_ + "/sync/queues/status", admin(), ""}).body.find("\"kind\":\"event_update\"") !=
           std::string::npos;
  })) << http.send({"GET", base_ + "/sync/queues/status", admin(), ""}).body << log("master.log");

  // The agent's next heartbeat brings the edit, and the agent writes it to its source.
  ASSERT_EQ(agentCycle(), 0) << log("agent.log");
  testing::DavCalendar work(source_, "laptop");
  const auto at_source = work.byUid("kickoff@agent-e2e");
  ASSERT_TRUE(at_source);
  EXPECT_EQ(testing::propertyValue(at_source->data, "SUMMARY"), "Kick-off (room 3)")
      << log("agent.log") << log("master.log");
  EXPECT_EQ(at_source->data.find("X-CALSYNC-ORIGIN"), std::string::npos);
  ASSERT_TRUE(eventually([&] {
    return http.send({"GET", base_ + "/sync/queues/status", admin(), ""}).body.find("\"status\":\"processed\"") !=
           std::string::npos;
  }));

  master.signal(SIGTERM);
  EXPECT_EQ(master.wait(30000), 0) << log("master.log");
}

}  // namespace
}  // namespace calsync
