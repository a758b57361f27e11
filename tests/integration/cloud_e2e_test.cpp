// calsyncd in standalone mode, as a real process, writing an ICS source into a Google Calendar
// destination and into a Microsoft Graph destination, both on the in-process test servers.
// The destinations are read back from the servers' own state and checked event by event. A
// sign-in revoked while the daemon runs shows in /health with what to run, deletes nothing,
// and the daemon catches up after the admin signs in again.
//
// To extend: a new scenario writes its source calendars with writeTeamCalendar()-like helpers,
// picks a destination section (googleDestination() / graphDestination()) and reads the result
// with the matching server's C++ API. Edits made at a destination (through the test server's
// own API, as a user would) flow back to a CalDAV source on Radicale (the round-trip tests at
// the end).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/date_time.h"
#include "google/google_auth.h"
#include "graph/graph_auth.h"
#include "net/http_client.h"
#include "oauth/json_access.h"
#include "oauth/rfc3339.h"
#include "child_process.h"
#include "dav_calendar.h"
#include "process.h"
#include "radicale_server.h"
#include "tests/servers/google/google_test_server.h"
#include "tests/servers/graph/graph_test_server.h"

namespace calsync {
namespace {

namespace fs = std::filesystem;

const std::string kCalsyncd = std::string(CALSYNC_BINARY_DIR) + "/daemon/calsyncd";
constexpr std::int64_t kDay = 86400;
const std::string kGoogleCalendar = "consolidated@example.com";
const std::string kMailbox = "ana@contoso.com";

std::string icalDate(std::int64_t t) { return epochToUtc(t).toIcalValue().substr(0, 8); }
std::string icalAt(std::int64_t t, int hour) {
  return icalDate(t) + "T" + (hour < 10 ? "0" : "") + std::to_string(hour) + "0000";
}

class CloudEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("calsync-cloud-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "ics");
    now_ = static_cast<std::int64_t>(std::time(nullptr));
    writeTeamCalendar();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A weekly series (one occurrence moved, one cancelled), an all-day event with non-ASCII
  // text, a New York series across whatever DST change comes, and a plain event.
  void writeTeamCalendar(bool with_extra = false) {
    series_start_ = now_ - 14 * kDay;
    std::ofstream f(dir_ / "ics" / "team.ics");
    f << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//e2e//EN\r\n"
      << "BEGIN:VEVENT\r\nUID:standup@e2e\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" << icalAt(series_start_, 9)
      << "Z\r\nDTEND:" << icalAt(series_start_, 10) << "Z\r\nRRULE:FREQ=WEEKLY;COUNT=8\r\nEXDATE:"
      << icalAt(series_start_ + 14 * kDay, 9) << "Z\r\nSUMMARY:Stand-up\r\nEND:VEVENT\r\n"
      << "BEGIN:VEVENT\r\nUID:standup@e2e\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:" << icalAt(series_start_ + 7 * kDay, 9)
      << "Z\r\nDTSTART:" << icalAt(series_start_ + 8 * kDay, 11) << "Z\r\nDTEND:" << icalAt(series_start_ + 8 * kDay, 12)
      << "Z\r\nSUMMARY:Stand-up (moved)\r\nEND:VEVENT\r\n"
      << "BEGIN:VEVENT\r\nUID:holiday@e2e\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:" << icalDate(now_ + 3 * kDay)
      << "\r\nDTEND;VALUE=DATE:" << icalDate(now_ + 4 * kDay) << "\r\nSUMMARY:Betriebsausflug – Grüße aus Köln 🎉\r\nEND:VEVENT\r\n"
      << "BEGIN:VEVENT\r\nUID:ny@e2e\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=America/New_York:" << icalAt(now_ + 5 * kDay, 9)
      << "\r\nDTEND;TZID=America/New_York:" << icalAt(now_ + 5 * kDay, 10)
      << "\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:New York sync\r\nEND:VEVENT\r\n"
      << "BEGIN:VEVENT\r\nUID:lunch@e2e\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" << icalAt(now_ + kDay, 12)
      << "Z\r\nDTEND:" << icalAt(now_ + kDay, 13) << "Z\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\n";
    if (with_extra) {
      f << "BEGIN:VEVENT\r\nUID:late@e2e\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" << icalAt(now_ + 2 * kDay, 15)
        << "Z\r\nDTEND:" << icalAt(now_ + 2 * kDay, 16) << "Z\r\nSUMMARY:Added while signed out\r\nEND:VEVENT\r\n";
    }
    f << "END:VCALENDAR\r\n";
  }

  std::string googleDestination() const {
    return "[destination]\ntype = google\ncalendar = " + kGoogleCalendar + "\nclient_id = e2e-client\n"
           "client_secret = e2e-secret\napi_url = " + google_.apiUrl() + "\ntoken_url = " + google_.tokenUrl() +
           "\nauth_url = " + google_.authUrl() + "\nca_file = " + calsync::testing::testCaFile() +
           "\ntimeout = 10s\nretry_wait_max = 0\n";
  }

  std::string graphDestination() const {
    return "[destination]\ntype = graph\ncalendar = " + graph_calendar_ + "\nclient_id = e2e-graph\ntenant = contoso\n"
           "login_url = " + graph_.loginUrl() + "\napi_url = " + graph_.apiUrl() + "\nca_file = " +
           calsync::testing::testCaFile() + "\ntimeout = 10s\nretry_wait_max = 0\n";
  }

  void writeConfig(const std::string& destination, int interval_seconds = 3600) {
    std::ofstream f(dir_ / "calsyncd.ini");
    f << "[daemon]\nmode = standalone\ndata_dir = " << (dir_ / "data").string() << "\nlog_level = info\n\n"
      << "[agent]\nid = e2e-agent\nsync_interval = " << interval_seconds << "s\nwindow_past = 30d\nwindow_future = 400d\n\n"
      << "[master]\nlisten = 127.0.0.1:" << api_port_ << "\nallow_plain_http = true\n\n"
      << destination << "\n"
      << "[source.team]\ntype = ics\npath = " << (dir_ / "ics" / "team.ics").string() << "\n";
  }

  // The destination's spec as the daemon builds it: data_dir/destination holds its tokens.
  ConnectorSpec destinationSpec(const std::string& type, const Settings& settings) const {
    ConnectorSpec spec;
    spec.name = "destination";
    spec.type = type;
    spec.data_dir = (dir_ / "data" / "destination").string();
    spec.settings = settings;
    return spec;
  }

  ConnectorSpec googleSpec() const {
    return destinationSpec("google", {{"client_id", "e2e-client"}, {"client_secret", "e2e-secret"},
                                      {"api_url", google_.apiUrl()}, {"token_url", google_.tokenUrl()},
                                      {"auth_url", google_.authUrl()}, {"ca_file", calsync::testing::testCaFile()}});
  }
  ConnectorSpec graphSpec() const {
    return destinationSpec("graph", {{"client_id", "e2e-graph"}, {"tenant", "contoso"}, {"login_url", graph_.loginUrl()},
                                     {"api_url", graph_.apiUrl()}, {"ca_file", calsync::testing::testCaFile()}});
  }

  // What `calsyncctl auth google --destination` will do: auth URL, consent, code back.
  void signInGoogle() {
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    auto start = google::authorizationUrl(googleSpec(), "", now);
    ASSERT_EQ(google::exchangeCode(googleSpec(), google_.oauth().consent(start.url), "", now).health,
              oauth::TokenHealth::Ok);
  }
  void signInGraph() {
    auto authorization = graph::startDeviceSignIn(graphSpec());
    ASSERT_TRUE(graph_.oauth().approveDevice(authorization.user_code, kMailbox));
    ASSERT_TRUE(graph::pollDeviceSignIn(graphSpec(), authorization, static_cast<std::int64_t>(std::time(nullptr))));
  }

  int runOnce() {
    return testing::runProcess({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string(), "--once"},
                               (dir_ / "calsyncd.log").string());
  }
  std::string log() { return testing::readFile((dir_ / "calsyncd.log").string()); }

  // Google's stored events by summary (top-level and modified instances).
  std::map<std::string, json::Object::Ptr> googleEvents() {
    std::map<std::string, json::Object::Ptr> out;
    for (const auto& id : google_.liveEventIds(kGoogleCalendar)) {
      auto event = json::parseObject(*google_.eventJson(kGoogleCalendar, id), "event");
      out[json::text(event, "summary")] = event;
    }
    return out;
  }

  // The destination entry of GET /health.
  std::optional<json::Object::Ptr> destinationHealth(const std::string& base) {
    try {
      net::HttpClient http{net::HttpOptions{}};
      auto body = json::parseObject(http.send({"GET", base + "/health", {}, ""}).body, "health");
      for (const auto& c : json::objects(body, "connectors")) {
        if (json::text(c, "role") == "destination") return c;
      }
    } catch (const ConnectorError&) {
    }
    return std::nullopt;
  }

  bool waitFor(const std::function<bool()>& condition, int seconds = 60) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  void checkGoogleCopies(const std::map<std::string, json::Object::Ptr>& events) {
    ASSERT_TRUE(events.count("Stand-up")) << log();
    for (const auto& [summary, event] : events) {
      auto props = json::object(json::object(event, "extendedProperties"), "private");
      EXPECT_EQ(json::text(props, "calsyncOrigin").rfind("calsync:e2e-agent/team/", 0), 0u) << summary;
      EXPECT_TRUE(json::objects(event, "attendees").empty()) << summary;
    }
    const auto& standup = events.at("Stand-up");
    const auto lines = json::strings(standup, "recurrence");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "RRULE:FREQ=WEEKLY;COUNT=8");
    EXPECT_EQ(lines[1], "EXDATE:" + icalAt(series_start_ + 14 * kDay, 9) + "Z");
    ASSERT_TRUE(events.count("Stand-up (moved)"));
    const auto& moved = events.at("Stand-up (moved)");
    EXPECT_EQ(json::text(moved, "recurringEventId"), json::text(standup, "id"));
    auto moved_start = web::parseRfc3339(json::text(json::object(moved, "start"), "dateTime"));
    ASSERT_TRUE(moved_start.has_value());
    EXPECT_EQ(moved_start->instant(), civilToEpoch(epochToUtc(series_start_ + 8 * kDay).year,
                                                   epochToUtc(series_start_ + 8 * kDay).month,
                                                   epochToUtc(series_start_ + 8 * kDay).day, 11, 0, 0));
    ASSERT_TRUE(events.count("Betriebsausflug – Grüße aus Köln 🎉"));
    EXPECT_EQ(json::text(json::object(events.at("Betriebsausflug – Grüße aus Köln 🎉"), "start"), "date"),
              web::formatDate(epochToUtc(now_ + 3 * kDay)));
    ASSERT_TRUE(events.count("New York sync"));
    auto ny = json::object(events.at("New York sync"), "start");
    EXPECT_EQ(json::text(ny, "timeZone"), "America/New_York");
    EXPECT_EQ(json::text(ny, "dateTime").substr(11), "09:00:00");
    EXPECT_TRUE(events.count("Lunch"));
  }

  fs::path dir_;
  std::int64_t now_ = 0;
  std::int64_t series_start_ = 0;
  int api_port_ = 18010;
  testing::GoogleTestServer google_;
  testing::GraphTestServer graph_{"contoso"};
  std::string graph_calendar_;
};

TEST_F(CloudEndToEnd, IcsIntoGoogleEventByEventThenRevocationShowsInHealthAndRecovers) {
  google_.oauth().addClient("e2e-client", "e2e-secret");
  google_.addCalendar(kGoogleCalendar, "Consolidated", "Europe/Berlin");
  signInGoogle();
  api_port_ = testing::pickFreePort();
  writeConfig(googleDestination(), 10);
  testing::Process daemon({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string()}, (dir_ / "calsyncd.log").string());
  const std::string base = "http://127.0.0.1:" + std::to_string(api_port_);

  // Five copies: two series masters, the moved occurrence (a modified instance), two singles.
  ASSERT_TRUE(waitFor([&] {
    auto h = destinationHealth(base);
    return h && json::text(*h, "state") == "ok" && google_.liveEventIds(kGoogleCalendar).size() == 5;
  })) << log();
  auto before = googleEvents();
  checkGoogleCopies(before);
  EXPECT_EQ(google_.notifyingWrites(), 0);

  // The user revokes calsync's access; meanwhile the source gains an event.
  google_.oauth().revokeRefreshTokens();
  writeTeamCalendar(/*with_extra=*/true);
  std::string last_error;
  ASSERT_TRUE(waitFor([&] {
    auto h = destinationHealth(base);
    if (!h || json::text(*h, "state") == "ok") return false;
    last_error = json::text(*h, "last_error");
    return true;
  })) << log();
  EXPECT_EQ(last_error.rfind("auth:", 0), 0u) << last_error;
  EXPECT_NE(last_error.find("calsyncctl auth google --destination"), std::string::npos) << last_error;
  const auto during = googleEvents();
  EXPECT_EQ(during.size(), before.size()) << "a refused sign-in deletes nothing";
  EXPECT_FALSE(during.count("Added while signed out"));

  // The admin signs in again; a reload picks it up at once.
  signInGoogle();
  daemon.signal(SIGHUP);
  ASSERT_TRUE(waitFor([&] {
    auto h = destinationHealth(base);
    return h && json::text(*h, "state") == "ok" && googleEvents().count("Added while signed out");
  })) << log();
  auto after = googleEvents();
  EXPECT_EQ(after.size(), before.size() + 1);
  for (const auto& [summary, event] : before) {
    ASSERT_TRUE(after.count(summary)) << summary << " was lost";
    EXPECT_EQ(json::text(after.at(summary), "id"), json::text(event, "id")) << summary << " was recreated";
  }
  checkGoogleCopies(after);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
}

TEST_F(CloudEndToEnd, IcsIntoGraphEventByEventAndARevokedSignInLosesNothing) {
  graph_.oauth().addClient("e2e-graph", "");
  graph_.addMailbox(kMailbox);
  graph_calendar_ = graph_.addCalendar(kMailbox, "Calendar");
  signInGraph();
  writeConfig(graphDestination());
  ASSERT_EQ(runOnce(), 0) << log();

  std::map<std::string, json::Object::Ptr> events;
  for (const auto& id : graph_.eventIds(kMailbox, graph_calendar_)) {
    auto event = json::parseObject(*graph_.eventJson(kMailbox, id), "event");
    events[json::text(event, "subject")] = event;
  }
  ASSERT_EQ(events.size(), 4u) << log();
  for (const auto& [subject, event] : events) {
    bool marked = false;
    for (const auto& p : json::objects(event, "singleValueExtendedProperties")) {
      marked = marked || json::text(p, "value").rfind("calsync:e2e-agent/team/", 0) == 0;
    }
    EXPECT_TRUE(marked) << subject;
    EXPECT_TRUE(json::objects(event, "attendees").empty()) << subject;
  }
  const auto& standup = events.at("Stand-up");
  EXPECT_EQ(json::text(standup, "type"), "seriesMaster");
  auto range = json::object(json::object(standup, "recurrence"), "range");
  EXPECT_EQ(json::integer(range, "numberOfOccurrences"), 8);
  // The moved occurrence is an exception, the cancelled one is gone.
  const std::string standup_id = json::text(standup, "id");
  auto moved = graph_.eventJson(kMailbox, graph_.occurrenceId(standup_id, web::formatUtc(civilToEpoch(
                                                                              epochToUtc(series_start_ + 7 * kDay).year,
                                                                              epochToUtc(series_start_ + 7 * kDay).month,
                                                                              epochToUtc(series_start_ + 7 * kDay).day, 9, 0, 0))));
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(json::text(json::parseObject(*moved, "m"), "subject"), "Stand-up (moved)");
  EXPECT_EQ(json::text(json::parseObject(*moved, "m"), "type"), "exception");
  EXPECT_FALSE(graph_.eventJson(kMailbox, graph_.occurrenceId(standup_id, web::formatUtc(civilToEpoch(
                                                                              epochToUtc(series_start_ + 14 * kDay).year,
                                                                              epochToUtc(series_start_ + 14 * kDay).month,
                                                                              epochToUtc(series_start_ + 14 * kDay).day, 9, 0, 0))))
                   .has_value());
  auto holiday = events.at("Betriebsausflug – Grüße aus Köln 🎉");
  EXPECT_TRUE(json::boolean(holiday, "isAllDay"));
  EXPECT_EQ(json::text(json::object(holiday, "start"), "dateTime").substr(0, 10), web::formatDate(epochToUtc(now_ + 3 * kDay)));
  EXPECT_EQ(json::text(events.at("New York sync"), "originalStartTimeZone"), "Eastern Standard Time");
  EXPECT_EQ(graph_.notifyingWrites(), 0);

  // Revoked: the run fails, says what to do, and deletes nothing.
  graph_.oauth().revokeRefreshTokens();
  writeTeamCalendar(/*with_extra=*/true);
  EXPECT_NE(runOnce(), 0);
  EXPECT_NE(log().find("calsyncctl auth graph --destination"), std::string::npos) << log();
  EXPECT_EQ(graph_.eventIds(kMailbox, graph_calendar_).size(), 4u);
  signInGraph();
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(graph_.eventIds(kMailbox, graph_calendar_).size(), 5u);
  EXPECT_EQ(graph_.notifyingWrites(), 0);
}

// Edits made at a cloud destination flow back to a CalDAV source (Radicale).
class CloudRoundTrip : public CloudEndToEnd {
 protected:
  void SetUp() override {
    CloudEndToEnd::SetUp();
    radicale_ = std::make_unique<testing::RadicaleServer>();
    source_ = std::make_unique<testing::DavCalendar>(radicale_->makeCalendar("ana", "work"), "ana");
    const std::int64_t start = now_ + 2 * kDay;
    ASSERT_LT(source_->create("retro@cloud", "DTSTART:" + epochToUtc(start).toIcalValue() + "\r\nDTEND:" +
                                                 epochToUtc(start + 3600).toIcalValue() +
                                                 "\r\nSUMMARY:Retro\r\nLOCATION:Room 1\r\n"),
              300);
  }
  void writeRoundTripConfig(const std::string& destination) {
    std::ofstream f(dir_ / "calsyncd.ini");
    f << "[daemon]\nmode = standalone\ndata_dir = " << (dir_ / "data").string() << "\nlog_level = info\n\n"
      << "[agent]\nid = e2e-agent\nsync_interval = 1h\nwindow_past = 30d\nwindow_future = 90d\n\n"
      << "[master]\nlisten = 127.0.0.1:" << testing::pickFreePort() << "\nallow_plain_http = true\n\n"
      << destination << "\n"
      << "[source.shared]\ntype = caldav\nurl = " << radicale_->baseUrl() << "/ana/work/\nusername = ana\n"
      << "password = x\nallow_event_updates = true\n";
  }
  std::string sourceProperty(const std::string& name) {
    auto e = source_->byUid("retro@cloud");
    return e ? testing::propertyValue(e->data, name) : "<gone>";
  }

  std::unique_ptr<testing::RadicaleServer> radicale_;
  std::unique_ptr<testing::DavCalendar> source_;
};

TEST_F(CloudRoundTrip, AnEditAtTheGoogleDestinationReachesTheCaldavSource) {
  google_.oauth().addClient("e2e-client", "e2e-secret");
  google_.addCalendar(kGoogleCalendar, "Consolidated", "Europe/Berlin");
  signInGoogle();
  writeRoundTripConfig(googleDestination());
  ASSERT_EQ(runOnce(), 0) << log();
  auto events = googleEvents();
  ASSERT_TRUE(events.count("Retro")) << log();
  const std::string id = json::text(events.at("Retro"), "id");

  // The user renames it and changes the room in Google Calendar.
  google_.patchEvent(kGoogleCalendar, id, R"json({"summary":"Retro (Friday)","location":"Room 2"})json");
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(sourceProperty("SUMMARY"), "Retro (Friday)") << log();
  EXPECT_EQ(sourceProperty("LOCATION"), "Room 2");
  EXPECT_EQ(source_->byUid("retro@cloud")->data.find("ORGANIZER"), std::string::npos)
      << "what Google fills in on its own (the calendar as organizer) stays there";

  // The source's next read brings it back: no more writes on either side.
  ASSERT_EQ(runOnce(), 0) << log();
  const std::string etag = json::text(json::parseObject(*google_.eventJson(kGoogleCalendar, id), "e"), "etag");
  const std::string source_etag = source_->byUid("retro@cloud")->etag;
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(json::text(json::parseObject(*google_.eventJson(kGoogleCalendar, id), "e"), "etag"), etag)
      << "no ping-pong at Google\n" << log();
  EXPECT_EQ(source_->byUid("retro@cloud")->etag, source_etag);
  EXPECT_EQ(google_.liveEventIds(kGoogleCalendar).size(), 1u);
  EXPECT_EQ(google_.notifyingWrites(), 0);
}

TEST_F(CloudRoundTrip, AnEditAtTheGraphDestinationReachesTheCaldavSource) {
  graph_.oauth().addClient("e2e-graph", "");
  graph_.addMailbox(kMailbox);
  graph_calendar_ = graph_.addCalendar(kMailbox, "Calendar");
  signInGraph();
  writeRoundTripConfig(graphDestination());
  ASSERT_EQ(runOnce(), 0) << log();
  const auto ids = graph_.eventIds(kMailbox, graph_calendar_);
  ASSERT_EQ(ids.size(), 1u) << log();

  // The user renames it in Outlook on the web.
  graph_.updateEvent(kMailbox, ids[0], R"json({"subject":"Retro (moved online)"})json");
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(sourceProperty("SUMMARY"), "Retro (moved online)") << log();
  EXPECT_EQ(sourceProperty("LOCATION"), "Room 1") << "what nobody edited stays";

  ASSERT_EQ(runOnce(), 0) << log();
  const std::string key = json::text(json::parseObject(*graph_.eventJson(kMailbox, ids[0]), "e"), "changeKey");
  const std::string source_etag = source_->byUid("retro@cloud")->etag;
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(json::text(json::parseObject(*graph_.eventJson(kMailbox, ids[0]), "e"), "changeKey"), key)
      << "no ping-pong at Graph\n" << log();
  EXPECT_EQ(source_->byUid("retro@cloud")->etag, source_etag);

  // A deletion in Outlook deletes the source event.
  graph_.deleteEvent(kMailbox, ids[0]);
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_FALSE(source_->byUid("retro@cloud")) << log();
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_TRUE(graph_.eventIds(kMailbox, graph_calendar_).empty()) << "not written again";
  EXPECT_EQ(graph_.notifyingWrites(), 0);
}

}  // namespace
}  // namespace calsync
