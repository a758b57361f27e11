// The real calsyncctl binary against a real standalone calsyncd (ICS sources in a temp dir, a
// Radicale destination): every answer it prints is checked against what the API itself says.
#include <gtest/gtest.h>
#include <signal.h>

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "child_process.h"
#include "core/date_time.h"
#include "ews_test_server.h"
#include "net/http_client.h"
#include "process.h"
#include "radicale_server.h"

namespace calsync {
namespace {

namespace fs = std::filesystem;

const std::string kCalsyncd = std::string(CALSYNC_BINARY_DIR) + "/daemon/calsyncd";
const std::string kCalsyncctl = std::string(CALSYNC_BINARY_DIR) + "/daemon/ctl/calsyncctl";
constexpr const char* kAdminToken = "ctl-e2e-admin-token-0123456789";
constexpr std::int64_t kDay = 86400;

// "20260301T090000Z"
std::string icalUtc(std::int64_t t) {
  const std::string value = epochToUtc(t).toIcalValue();
  return value.ends_with("Z") ? value : value + "Z";
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

struct CtlRun {
  int code = -1;
  std::string out;
  std::string err;
};

class CalsyncctlEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("calsync-ctl-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "ics");
    now_ = static_cast<std::int64_t>(std::time(nullptr));
    std::ofstream(dir_ / "ics" / "team.ics")
        << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//ctl//EN\r\nX-WR-CALNAME:Team\r\n"
        << "BEGIN:VEVENT\r\nUID:standup@ctl\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" << icalUtc(now_ / kDay * kDay + kDay + 9 * 3600)
        << "\r\nDTEND:" << icalUtc(now_ / kDay * kDay + kDay + 10 * 3600) << "\r\nSUMMARY:Stand-up\r\nEND:VEVENT\r\n"
        << "BEGIN:VEVENT\r\nUID:review@ctl\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" << icalUtc(now_ / kDay * kDay + 2 * kDay + 14 * 3600)
        << "\r\nDTEND:" << icalUtc(now_ / kDay * kDay + 2 * kDay + 15 * 3600) << "\r\nSUMMARY:Review – Grüße\r\nEND:VEVENT\r\n"
        << "END:VCALENDAR\r\n";
    std::ofstream(dir_ / "ics" / "personal.ics")
        << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//ctl//EN\r\nBEGIN:VEVENT\r\nUID:lunch@ctl\r\n"
        << "DTSTAMP:20260101T000000Z\r\nDTSTART:" << icalUtc(now_ / kDay * kDay + 3 * kDay + 12 * 3600) << "\r\nDTEND:"
        << icalUtc(now_ / kDay * kDay + 3 * kDay + 13 * 3600) << "\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    std::ofstream(dir_ / "admin.token") << kAdminToken << "\n";
    fs::permissions(dir_ / "admin.token", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void writeConfig(const std::string& destination_url) {
    std::ofstream(dir_ / "calsyncd.ini")
        << "[daemon]\nmode = standalone\ndata_dir = " << (dir_ / "data").string() << "\n\n"
        << "[agent]\nid = ctl-agent\nname = Front desk\nsync_interval = 1h\n\n"
        << "[master]\nlisten = 0.0.0.0:" << port_ << "\nallow_plain_http = true\nadmin_token_file = admin.token\n\n"
        << "[destination]\ntype = caldav\nurl = " << destination_url << "\nusername = office\npassword = x\ntimeout = 5s\n\n"
        << "[source.team]\ntype = ics\npath = " << (dir_ / "ics" / "team.ics").string() << "\n\n"
        << "[source.personal]\ntype = ics\npath = " << (dir_ / "ics" / "personal.ics").string() << "\n";
  }
  std::string config() const { return (dir_ / "calsyncd.ini").string(); }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return testing::readFile((dir_ / "calsyncd.log").string()); }

  // Runs the real calsyncctl with stdout and stderr kept apart.
  CtlRun ctl(std::vector<std::string> args) {
    const std::string out = (dir_ / "ctl.out").string(), err = (dir_ / "ctl.err").string();
    std::vector<std::string> argv{"/bin/sh", "-c", "exec \"$@\" >'" + out + "' 2>'" + err + "'", "sh", kCalsyncctl};
    argv.insert(argv.end(), args.begin(), args.end());
    CtlRun run;
    run.code = testing::runProcess(argv, (dir_ / "sh.log").string(), 60000);
    run.out = testing::readFile(out);
    run.err = testing::readFile(err);
    return run;
  }

  // The admin API, asked directly: the oracle for what calsyncctl shows.
  Poco::JSON::Object::Ptr api(const std::string& path) {
    net::HttpClient http{net::HttpOptions{}};
    auto r = http.send({"GET", base() + path, {{"Authorization", std::string("Bearer ") + kAdminToken}}, ""});
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return parse(r.body);
  }

  bool waitForHealth(const std::function<bool(const std::string&)>& predicate, std::string& last) {
    net::HttpClient http{net::HttpOptions{}};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      try {
        last = http.send({"GET", base() + "/health", {}, ""}).body;
        if (predicate(last)) return true;
      } catch (const ConnectorError&) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  fs::path dir_;
  std::int64_t now_ = 0;
  int port_ = testing::pickFreePort();
};

TEST_F(CalsyncctlEndToEnd, PlanPredictsTheWriteThatThenHappens) {
  // First with a destination that is down: the writes stay pending, and plan lists them.
  const int closed = testing::pickFreePort();
  writeConfig("http://127.0.0.1:" + std::to_string(closed) + "/office/consolidated/");
  {
    testing::Process daemon({kCalsyncd, "--config", config()}, (dir_ / "calsyncd.log").string());
    std::string health;
    ASSERT_TRUE(waitForHealth([](const std::string& h) { return h.find("\"objects.active\":3") != std::string::npos &&
                                                                h.find("\"state\":\"failing\"") != std::string::npos; },
                              health)) << health << log();
    auto r = ctl({"plan", "--config", config()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Next write to destination (caldav): 3 create, 0 update, 0 delete, 0 held"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("create  Review – Grüße  ctl-agent  team"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("create  Lunch"), std::string::npos) << r.out;

    r = ctl({"plan", "--json", "--config", config()});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto plan = parse(r.out);
    const auto direct = api("/sync/plan");
    EXPECT_EQ(plan->getArray("create")->size(), direct->getArray("create")->size());
    EXPECT_EQ(plan->getValue<std::string>("destination"), "destination");
    EXPECT_EQ(r.out.find(kAdminToken), std::string::npos);

    r = ctl({"status", "--config", config()});
    EXPECT_EQ(r.code, 1) << "a failing destination makes status exit 1:\n" << r.out;
    EXPECT_NE(r.out.find("destination  caldav  destination  failing"), std::string::npos) << r.out;
    daemon.signal(SIGTERM);
    ASSERT_EQ(daemon.wait(30000), 0) << log();
  }

  // Then with the destination up: exactly those three are written, and nothing is left to plan.
  testing::RadicaleServer radicale;
  const std::string destination = radicale.makeCalendar("office", "consolidated");
  writeConfig(destination);
  testing::Process daemon({kCalsyncd, "--config", config()}, (dir_ / "calsyncd.log").string());
  std::string health;
  ASSERT_TRUE(waitForHealth([](const std::string& h) { return h.find("\"copies\":3") != std::string::npos; }, health))
      << health << log();
  const auto r = ctl({"plan", "--config", config()});
  EXPECT_NE(r.out.find("0 create, 0 update, 0 delete, 0 held"), std::string::npos) << r.out;
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
}

TEST_F(CalsyncctlEndToEnd, StatusAgentsCalendarsEventsAndUpdatesAgreeWithTheApi) {
  testing::RadicaleServer radicale;
  writeConfig(radicale.makeCalendar("office", "consolidated"));
  testing::Process daemon({kCalsyncd, "--config", config()}, (dir_ / "calsyncd.log").string());
  std::string health;
  ASSERT_TRUE(waitForHealth([](const std::string& h) { return h.find("\"copies\":3") != std::string::npos; }, health))
      << health << log();

  // The local daemon is found from the config (listen 0.0.0.0 -> loopback, admin_token_file).
  auto r = ctl({"status", "--config", config()});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("Status   ok   mode standalone"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("team         ics     source"), std::string::npos) << r.out;
  r = ctl({"status", "--json", "--config", config()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(parse(r.out)->getObject("health")->getObject("store")->getValue<int>("copies"), 3);

  r = ctl({"agents", "list", "--config", config()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto agents = api("/sync/agents/status")->getObject("agent_status");
  ASSERT_TRUE(agents->has("ctl-agent")) << r.out;
  EXPECT_NE(r.out.find("ctl-agent  Front desk  " + agents->getObject("ctl-agent")->getValue<std::string>("status")),
            std::string::npos) << r.out;

  // calendars list shows the API's ids; rename goes through the API and is queued for the agent.
  const auto calendars = api("/calendars")->getArray("calendars");
  ASSERT_EQ(calendars->size(), 2u);
  std::string team_id;
  for (std::size_t i = 0; i < calendars->size(); ++i) {
    const auto c = calendars->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("source") == "team") team_id = c->getValue<std::string>("id");
  }
  ASSERT_FALSE(team_id.empty());
  r = ctl({"calendars", "list", "--config", config()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(team_id + "  Team"), std::string::npos) << r.out;
  r = ctl({"calendars", "rename", team_id, "Team Ünïcode", "--config", config()});
  ASSERT_EQ(r.code, 0) << r.err;
  r = ctl({"calendars", "recolor", team_id, "1e90ff", "--json", "--config", config()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(parse(r.out)->getValue<std::string>("color"), "#1e90ff");
  bool renamed = false;
  const auto after = api("/calendars")->getArray("calendars");
  for (std::size_t i = 0; i < after->size(); ++i) {
    const auto c = after->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("id") == team_id) {
      renamed = c->getValue<std::string>("name") == "Team Ünïcode" && c->getValue<std::string>("color") == "#1e90ff";
    }
  }
  EXPECT_TRUE(renamed);
  r = ctl({"calendars", "rename", "cal_nonexistent", "X", "--config", config()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no calendar 'cal_nonexistent'"), std::string::npos) << r.err;

  // updates list shows the two queued metadata changes the API lists.
  r = ctl({"updates", "list", "--json", "--config", config()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(parse(r.out)->getArray("updates")->size(), api("/sync/queues/status")->getArray("updates")->size());
  EXPECT_EQ(parse(r.out)->getArray("updates")->size(), 2u);
  r = ctl({"updates", "list", "--config", config()});
  EXPECT_NE(r.out.find("calendar_metadata"), std::string::npos) << r.out;

  // events list: the same occurrences the API returns for the same range.
  const DateTime today = epochToUtc(now_);
  char from[16];
  std::snprintf(from, sizeof from, "%04d-%02d-%02d", today.year, today.month, today.day);
  r = ctl({"events", "list", "--from", from, "--json", "--config", config()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto listed = parse(r.out);
  EXPECT_EQ(listed->getValue<int>("count"), 3);
  const auto direct = api("/api/calendar/events?time_min=" + listed->getValue<std::string>("time_min") +
                          "&time_max=" + listed->getValue<std::string>("time_max"));
  EXPECT_EQ(direct->getValue<int>("count"), 3);
  r = ctl({"events", "list", "--from", from, "--config", config()});
  EXPECT_NE(r.out.find("Review – Grüße"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Lunch"), std::string::npos);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
}

TEST_F(CalsyncctlEndToEnd, TokensAreCreatedListedAndRevoked) {
  testing::RadicaleServer radicale;
  writeConfig(radicale.makeCalendar("office", "consolidated"));
  testing::Process daemon({kCalsyncd, "--config", config()}, (dir_ / "calsyncd.log").string());
  std::string health;
  ASSERT_TRUE(waitForHealth([](const std::string& h) { return h.find("\"status\"") != std::string::npos; }, health)) << log();

  // --master with --token-file, as from another machine (loopback here).
  const std::vector<std::string> remote{"--master", base(), "--token-file", (dir_ / "admin.token").string()};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), remote.begin(), remote.end());
    return ctl(args);
  };
  auto r = with({"token", "create", "--expires", "24h", "--name", "mac-12"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string token = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(token.rfind("cse_", 0), 0u) << r.out;
  EXPECT_NE(r.err.find("shown only now"), std::string::npos);

  const auto tokens = api("/sync/tokens")->getArray("tokens");
  ASSERT_EQ(tokens->size(), 1u);
  const std::string id = tokens->getObject(0)->getValue<std::string>("id");
  EXPECT_EQ(tokens->getObject(0)->getValue<std::string>("label"), "mac-12");
  r = with({"token", "list"});
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find(id + "  mac-12  active"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(token), std::string::npos) << "the token itself is never listed";

  r = with({"token", "revoke", id});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(api("/sync/tokens")->getArray("tokens")->getObject(0)->getValue<std::string>("state"), "revoked");
  r = with({"token", "revoke", id});
  EXPECT_EQ(r.code, 1) << "a revoked token cannot be revoked again";
  r = with({"token", "list", "--json"});
  EXPECT_EQ(parse(r.out)->getArray("tokens")->getObject(0)->getValue<std::string>("state"), "revoked");

  // A wrong token is refused by the master, and calsyncctl says where the token came from.
  std::ofstream(dir_ / "wrong.token") << "not-the-token\n";
  r = ctl({"token", "list", "--master", base(), "--token-file", (dir_ / "wrong.token").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--token-file"), std::string::npos) << r.err;

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
}

TEST_F(CalsyncctlEndToEnd, TestConfigImportAndDiscoverWithTheRealBinary) {
  writeConfig("http://127.0.0.1:1/x/");
  auto r = ctl({"test-config", "--config", config()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("configuration OK"), std::string::npos);
  std::ofstream(dir_ / "broken.ini") << "[daemon]\nmode = sideways\n[source.x]\ntype = ics\npath = x.ics\nbogus = 1\n";
  r = ctl({"test-config", "--config", (dir_ / "broken.ini").string()});
  EXPECT_EQ(r.code, 78);
  EXPECT_NE(r.err.find("broken.ini:2: [daemon] mode:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("broken.ini:6: [source.x] bogus: unknown key"), std::string::npos) << r.err;

  std::ofstream(dir_ / "outlook_config.json") << R"({"master_url": "https://master.example.com:8008", "agent_id": "mac-1",
    "api_key": "do-not-copy", "calendars": ["Calendar"], "theme": "dark"})";
  const std::string imported = (dir_ / "imported.ini").string();
  r = ctl({"import", "outlook-config", (dir_ / "outlook_config.json").string(), "--output", imported});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("theme: no calsync equivalent known"), std::string::npos) << r.err;
  EXPECT_EQ(testing::readFile(imported).find("do-not-copy"), std::string::npos);
  EXPECT_NE(testing::readFile(imported).find("enroll_token = env:CALSYNC_ENROLL_TOKEN"), std::string::npos);

  calsync::testing::ews::EwsTestServer::Options options;
  options.auth = calsync::testing::ews::EwsTestServer::Auth::Basic;
  calsync::testing::ews::EwsTestServer ews(options);
  ews.addUser("jdoe", "s3cret", "jdoe@example.com");
  ::setenv("CTL_E2E_EWS_PASSWORD", "s3cret", 1);
  r = ctl({"discover", "ews", "--url", ews.url(), "--user", "jdoe", "--password", "env:CTL_E2E_EWS_PASSWORD"});
  ::unsetenv("CTL_E2E_EWS_PASSWORD");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("[source.calendar]\ntype = ews\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace calsync
