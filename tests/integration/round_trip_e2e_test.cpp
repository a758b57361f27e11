// The destination round trip with real processes: calsyncd in standalone mode, a CalDAV
// source and a CalDAV destination on a real Radicale. A person edits or deletes calsync's
// copies in the destination with a CalDAV client (PUT/DELETE with If-Match), and edits the
// source the same way; each test drives `calsyncd --once` cycles and checks both calendars
// on the server. Conflicts under `manual` are listed and resolved through the master's API.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/date_time.h"
#include "dav_calendar.h"
#include "net/http_client.h"
#include "child_process.h"
#include "process.h"
#include "radicale_server.h"

namespace calsync {
namespace {

namespace fs = std::filesystem;
using testing::DavCalendar;
using testing::DavEvent;
using testing::propertyValue;
using testing::RadicaleServer;

const std::string kCalsyncd = std::string(CALSYNC_BINARY_DIR) + "/daemon/calsyncd";
constexpr const char* kAdminToken = "round-trip-admin-token-7";
constexpr std::int64_t kDay = 86400;

std::string stamp(std::int64_t t) { return epochToUtc(t).toIcalValue(); }

struct DaemonSetup {
  bool allow_event_updates = true;
  std::string master_strategy = "latest_wins";
  std::string source_strategy = "inherit";
};

class RoundTripEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) c = c == '/' ? '-' : c;  // parameterized tests are named "Test/Case"
    dir_ = fs::temp_directory_path() / ("calsync-rt-e2e-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    now_ = static_cast<std::int64_t>(std::time(nullptr));
    server_ = std::make_unique<RadicaleServer>();
    source_ = std::make_unique<DavCalendar>(server_->makeCalendar("laptop", "work"), "laptop");
    destination_ = std::make_unique<DavCalendar>(server_->makeCalendar("office", "consolidated"), "office");
    api_port_ = testing::pickFreePort();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void writeConfig(const DaemonSetup& setup, const std::string& source_url) {
    std::ofstream f(dir_ / "calsyncd.ini");
    f << "[daemon]\nmode = standalone\ndata_dir = " << (dir_ / "data").string() << "\nlog_level = info\n\n"
      << "[agent]\nid = rt-agent\nsync_interval = 1h\nwindow_past = 30d\nwindow_future = 90d\n\n"
      << "[master]\nlisten = 127.0.0.1:" << api_port_ << "\nallow_plain_http = true\nadmin_token = " << kAdminToken
      << "\nconflict_resolution = " << setup.master_strategy << "\n\n"
      << "[destination]\ntype = caldav\nurl = " << destinationUrl() << "\nusername = office\npassword = x\n\n"
      << "[source.work]\ntype = caldav\nurl = " << source_url << "\nusername = laptop\npassword = x\n"
      << "allow_event_updates = " << (setup.allow_event_updates ? "true" : "false") << "\n"
      << "conflict_resolution = " << setup.source_strategy << "\n";
  }
  void configure(const DaemonSetup& setup) { writeConfig(setup, sourceUrl()); }
  std::string sourceUrl() const { return server_->baseUrl() + "/laptop/work/"; }
  std::string destinationUrl() const { return server_->baseUrl() + "/office/consolidated/"; }

  void putSource(const std::string& uid, const std::string& summary, const std::string& location = "") {
    const std::int64_t start = now_ + 2 * kDay;
    std::string props = "DTSTART:" + stamp(start) + "\r\nDTEND:" + stamp(start + 3600) + "\r\nSUMMARY:" + summary +
                        "\r\n";
    if (!location.empty()) props += "LOCATION:" + location + "\r\n";
    ASSERT_LT(source_->create(uid, props), 300);
  }

  int runOnce() {
    return testing::runProcess({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string(), "--once"},
                               (dir_ / "calsyncd.log").string());
  }
  // Runs cycles until `done` holds (at most `cycles`): the loop converges in a bounded number
  // of them, and a test that needs more has found a bug.
  bool cyclesUntil(const std::function<bool()>& done, int cycles = 3) {
    for (int i = 0; i < cycles; ++i) {
      if (runOnce() != 0) return false;
      if (done()) return true;
    }
    return false;
  }
  std::string log() const { return testing::readFile((dir_ / "calsyncd.log").string()); }

  static std::string summaryOf(const std::optional<DavEvent>& e) {
    return e ? propertyValue(e->data, "SUMMARY") : "<gone>";
  }
  static std::string locationOf(const std::optional<DavEvent>& e) {
    return e ? propertyValue(e->data, "LOCATION") : "<gone>";
  }
  std::map<std::string, std::string> etags(const DavCalendar& calendar) const {
    std::map<std::string, std::string> out;
    for (const auto& [href, e] : calendar.events()) out[href] = e.etag;
    return out;
  }

  fs::path dir_;
  std::int64_t now_ = 0;
  int api_port_ = 0;
  std::unique_ptr<RadicaleServer> server_;
  std::unique_ptr<DavCalendar> source_;
  std::unique_ptr<DavCalendar> destination_;
};

TEST_F(RoundTripEndToEnd, AnEditToACopyReachesTheSourceAndDoesNotComeBackAgain) {
  configure({});
  putSource("plan@rt", "Planning", "Room 1");
  ASSERT_EQ(runOnce(), 0) << log();
  const auto copy = destination_->copyOf("plan@rt");
  ASSERT_TRUE(copy) << log();
  ASSERT_EQ(destination_->editLine(*copy, "SUMMARY:", "SUMMARY:Planning (online)") / 100, 2);

  ASSERT_EQ(runOnce(), 0) << log();
  const auto at_source = source_->byUid("plan@rt");
  EXPECT_EQ(summaryOf(at_source), "Planning (online)") << log();
  EXPECT_EQ(locationOf(at_source), "Room 1") << "only the edited field changes";
  ASSERT_TRUE(at_source);
  EXPECT_EQ(at_source->data.find("X-CALSYNC-ORIGIN"), std::string::npos) << "the original is no copy";
  EXPECT_EQ(summaryOf(destination_->copyOf("plan@rt")), "Planning (online)");

  // The source's next read brings the edit back: nothing is written anywhere any more.
  ASSERT_EQ(runOnce(), 0) << log();
  const auto settled_destination = etags(*destination_);
  const auto settled_source = etags(*source_);
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(etags(*destination_), settled_destination) << "no ping-pong at the destination\n" << log();
  EXPECT_EQ(etags(*source_), settled_source) << "no ping-pong at the source";
  EXPECT_EQ(destination_->events().size(), 1u);
}

TEST_F(RoundTripEndToEnd, ADeletedCopyDeletesTheSourceEvent) {
  configure({});
  putSource("gone@rt", "Cancelled meeting");
  putSource("kept@rt", "Kept meeting");
  ASSERT_EQ(runOnce(), 0) << log();
  const auto copy = destination_->copyOf("gone@rt");
  ASSERT_TRUE(copy) << log();
  ASSERT_EQ(destination_->remove(*copy) / 100, 2);

  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_FALSE(source_->byUid("gone@rt")) << log();
  EXPECT_TRUE(source_->byUid("kept@rt"));
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_FALSE(destination_->copyOf("gone@rt")) << "not written again";
  EXPECT_TRUE(destination_->copyOf("kept@rt"));
  EXPECT_EQ(destination_->events().size(), 1u);
}

TEST_F(RoundTripEndToEnd, WithoutAllowEventUpdatesTheSourceStaysTheTruth) {
  configure({.allow_event_updates = false});
  putSource("a@rt", "Board meeting");
  putSource("b@rt", "Budget review");
  ASSERT_EQ(runOnce(), 0) << log();
  const auto a = destination_->copyOf("a@rt");
  const auto b = destination_->copyOf("b@rt");
  ASSERT_TRUE(a && b) << log();
  ASSERT_EQ(destination_->remove(*a) / 100, 2);
  ASSERT_EQ(destination_->editLine(*b, "SUMMARY:", "SUMMARY:Budget review (cancelled?)") / 100, 2);
  const auto source_before = etags(*source_);

  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(summaryOf(destination_->copyOf("a@rt")), "Board meeting") << "the deleted copy is written again\n"
                                                                      << log();
  EXPECT_EQ(summaryOf(destination_->copyOf("b@rt")), "Budget review") << "the edit is undone";
  EXPECT_EQ(etags(*source_), source_before) << "the source was not touched";
  EXPECT_NE(log().find("allow_event_updates"), std::string::npos) << "the refusal says why";

  const auto settled = etags(*destination_);
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(etags(*destination_), settled);
}

TEST_F(RoundTripEndToEnd, DifferentFieldsChangedAtBothEndsAreMerged) {
  configure({});
  putSource("sync@rt", "Weekly sync", "Room 1");
  ASSERT_EQ(runOnce(), 0) << log();
  const auto original = source_->byUid("sync@rt");
  ASSERT_TRUE(original);
  ASSERT_EQ(source_->editLine(*original, "LOCATION:", "LOCATION:Room 2") / 100, 2);
  ASSERT_EQ(destination_->editLine(*destination_->copyOf("sync@rt"), "SUMMARY:", "SUMMARY:Weekly sync (moved)") / 100,
            2);

  ASSERT_TRUE(cyclesUntil([&] {
    const auto s = source_->byUid("sync@rt");
    const auto d = destination_->copyOf("sync@rt");
    return summaryOf(s) == "Weekly sync (moved)" && locationOf(s) == "Room 2" &&
           summaryOf(d) == "Weekly sync (moved)" && locationOf(d) == "Room 2";
  })) << "source: " << summaryOf(source_->byUid("sync@rt")) << " / " << locationOf(source_->byUid("sync@rt"))
      << "\ndestination: " << summaryOf(destination_->copyOf("sync@rt")) << " / "
      << locationOf(destination_->copyOf("sync@rt")) << "\n"
      << log();
  ASSERT_EQ(runOnce(), 0) << log();
  const auto settled = etags(*destination_);
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(etags(*destination_), settled);
}

// The same field changed at both ends, settled by the strategy: the master's, or the source's own.
struct StrategyCase {
  const char* name;
  DaemonSetup setup;
  const char* winner;
};

void PrintTo(const StrategyCase& c, std::ostream* out) { *out << c.name; }

class RoundTripStrategies : public RoundTripEndToEnd, public ::testing::WithParamInterface<StrategyCase> {};

TEST_P(RoundTripStrategies, TheSameFieldChangedAtBothEndsEndsEqualAsTheStrategySays) {
  configure(GetParam().setup);
  putSource("x@rt", "Offsite");
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(source_->editLine(*source_->byUid("x@rt"), "SUMMARY:", "SUMMARY:Offsite (source)") / 100, 2);
  ASSERT_EQ(destination_->editLine(*destination_->copyOf("x@rt"), "SUMMARY:", "SUMMARY:Offsite (destination)") / 100,
            2);
  const std::string want = GetParam().winner;
  ASSERT_TRUE(cyclesUntil([&] {
    return summaryOf(source_->byUid("x@rt")) == want && summaryOf(destination_->copyOf("x@rt")) == want;
  })) << "source: " << summaryOf(source_->byUid("x@rt")) << "\ndestination: "
      << summaryOf(destination_->copyOf("x@rt")) << "\n"
      << log();
  ASSERT_EQ(runOnce(), 0) << log();
  const auto settled = etags(*destination_);
  const auto settled_source = etags(*source_);
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(etags(*destination_), settled);
  EXPECT_EQ(etags(*source_), settled_source);
}

INSTANTIATE_TEST_SUITE_P(
    Strategies, RoundTripStrategies,
    ::testing::Values(StrategyCase{"MasterSourceWins", {true, "source_wins", "inherit"}, "Offsite (source)"},
                      StrategyCase{"MasterDestinationWins", {true, "destination_wins", "inherit"},
                                   "Offsite (destination)"},
                      // The master says manual; this source asked for destination_wins itself.
                      StrategyCase{"SourceOverridesMaster", {true, "manual", "destination_wins"},
                                   "Offsite (destination)"}),
    [](const ::testing::TestParamInfo<StrategyCase>& param) { return std::string(param.param.name); });

TEST_F(RoundTripEndToEnd, AManualConflictIsListedResolvedThroughTheApiAndBothEndsEndEqual) {
  configure({.master_strategy = "manual"});
  putSource("review@rt", "Review");
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(source_->editLine(*source_->byUid("review@rt"), "SUMMARY:", "SUMMARY:Review (source)") / 100, 2);
  ASSERT_EQ(destination_->editLine(*destination_->copyOf("review@rt"), "SUMMARY:", "SUMMARY:Review (destination)") /
                100,
            2);
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(runOnce(), 0) << log();
  // Held: each end keeps its own version while a person decides.
  EXPECT_EQ(summaryOf(source_->byUid("review@rt")), "Review (source)") << log();
  EXPECT_EQ(summaryOf(destination_->copyOf("review@rt")), "Review (destination)");

  testing::Process daemon({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string()}, (dir_ / "calsyncd.log").string());
  const std::string base = "http://127.0.0.1:" + std::to_string(api_port_);
  const net::Headers admin{{"Authorization", std::string("Bearer ") + kAdminToken}};
  net::HttpClient http{net::HttpOptions{}};
  std::string listed;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    try {
      auto r = http.send({"GET", base + "/sync/conflicts/recent", admin, ""});
      listed = r.body;
      if (r.status == 200) break;
    } catch (const ConnectorError&) {
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << log();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(http.send({"GET", base + "/sync/conflicts/recent", {}, ""}).status, 401) << "admins only";
  ASSERT_NE(listed.find("\"fields\":[\"summary\"]"), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"status\":\"open\""), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"agent_id\":\"rt-agent\""), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"calendar_id\":\"cal_"), std::string::npos) << listed;
  EXPECT_NE(listed.find("\"uid\":\"review@rt\""), std::string::npos) << listed;
  EXPECT_NE(listed.find("Review (source)"), std::string::npos) << listed;
  EXPECT_NE(listed.find("Review (destination)"), std::string::npos) << listed;
  const auto at = listed.find("\"id\":\"cfl_");
  ASSERT_NE(at, std::string::npos) << listed;
  const std::string id = listed.substr(at + 6, 20);

  // Bad requests change nothing.
  EXPECT_EQ(http.send({"POST", base + "/sync/conflicts/cfl_0000000000000000/resolve", admin,
                       "{\"resolution\":\"source_wins\"}"})
                .status,
            404);
  EXPECT_EQ(http.send({"POST", base + "/sync/conflicts/" + id + "/resolve", admin, "{\"resolution\":\"coin_flip\"}"})
                .status,
            400);
  EXPECT_EQ(http.send({"POST", base + "/sync/conflicts/" + id + "/resolve", admin,
                       "{\"resolution\":\"merged\",\"ical\":\"not a calendar\"}"})
                .status,
            400);

  const std::string merged =
      "BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nPRODID:-//test//EN\\r\\nBEGIN:VEVENT\\r\\nUID:review@rt\\r\\n"
      "DTSTAMP:20260101T000000Z\\r\\nDTSTART:" + stamp(now_ + 2 * kDay) + "\\r\\nDTEND:" + stamp(now_ + 2 * kDay + 3600) +
      "\\r\\nSUMMARY:Review (agreed)\\r\\nEND:VEVENT\\r\\nEND:VCALENDAR\\r\\n";
  auto resolved = http.send({"POST", base + "/sync/conflicts/" + id + "/resolve", admin,
                             "{\"resolution\":\"merged\",\"ical\":\"" + merged + "\"}"});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_NE(resolved.body.find("\"status\":\"resolved\""), std::string::npos) << resolved.body;
  EXPECT_NE(resolved.body.find("\"resolution\":\"merged\""), std::string::npos) << resolved.body;
  EXPECT_EQ(http.send({"POST", base + "/sync/conflicts/" + id + "/resolve", admin, "{\"resolution\":\"source_wins\"}"})
                .status,
            409);

  // The daemon applies it at once: the destination, then the source through the agent.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(summaryOf(source_->byUid("review@rt")) == "Review (agreed)" &&
           summaryOf(destination_->copyOf("review@rt")) == "Review (agreed)")) {
    ASSERT_LT(std::chrono::steady_clock::now(), until)
        << "source: " << summaryOf(source_->byUid("review@rt"))
        << "\ndestination: " << summaryOf(destination_->copyOf("review@rt")) << "\n"
        << log();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto after = http.send({"GET", base + "/sync/conflicts/recent?status=resolved", admin, ""});
  EXPECT_NE(after.body.find("\"resolution\":\"merged\""), std::string::npos) << after.body;
  EXPECT_EQ(http.send({"GET", base + "/sync/conflicts/recent", admin, ""}).body, "{\"conflicts\":[]}");
  auto audit = http.send({"GET", base + "/sync/audit/recent", admin, ""});
  EXPECT_NE(audit.body.find("conflict.resolve"), std::string::npos) << audit.body;
  EXPECT_NE(audit.body.find(id), std::string::npos) << audit.body;

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
}

}  // namespace
}  // namespace calsync
