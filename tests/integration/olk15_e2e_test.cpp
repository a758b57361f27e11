// The olk15 connector end to end: a synthetic Outlook for Mac profile (tests/fixtures/olk15)
// read by a real calsyncd in standalone mode and consolidated into a real Radicale
// calendar, which is read back over plain CalDAV and checked event by event.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "core/date_time.h"
#include "ical/ical_codec.h"
#include "net/http_client.h"
#include "child_process.h"
#include "olk15_fixture.h"
#include "process.h"
#include "radicale_server.h"

namespace calsync {
namespace {

namespace fs = std::filesystem;
namespace fx = olk15::fixture;
using testing::RadicaleServer;

const std::string kCalsyncd = std::string(CALSYNC_BINARY_DIR) + "/daemon/calsyncd";
constexpr std::int64_t kDay = 86400;

std::int64_t epochOf(std::int64_t minutes_since_1601) { return minutes_since_1601 * 60 - 11644473600; }

class Olk15EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("calsync-olk15-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    now_ = static_cast<std::int64_t>(std::time(nullptr));
    server_ = std::make_unique<RadicaleServer>();
    destination_ = server_->makeCalendar("office", "consolidated");
    profile_ = std::make_unique<fx::ProfileBuilder>(dir_ / "Outlook 15 Profiles");
    events_ = fx::writeSampleProfile(*profile_, now_);
    writeConfig();
  }
  void TearDown() override {
    profile_.reset();
    fs::remove_all(dir_);
  }

  void writeConfig() {
    std::ofstream f(dir_ / "calsyncd.ini");
    f << "[daemon]\nmode = standalone\ndata_dir = " << (dir_ / "data").string() << "\nlog_level = info\n\n"
      << "[agent]\nid = mac-agent\nsync_interval = 1h\nwindow_past = 30d\nwindow_future = 90d\n\n"
      << "[master]\nlisten = 127.0.0.1:" << api_port_ << "\nallow_plain_http = true\n\n"
      << "[destination]\ntype = caldav\nurl = " << destination_ << "\nusername = office\npassword = x\n\n"
      << "[source.outlook]\ntype = olk15\nprofile_root = " << profile_->profileDir().string() << "\n";
  }

  int runOnce() {
    return testing::runProcess({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string(), "--once"},
                               (dir_ / "calsyncd.log").string());
  }
  std::string log() { return testing::readFile((dir_ / "calsyncd.log").string()); }

  struct Resource {
    std::string etag;
    CalendarObject object;
  };
  // Every resource of the destination, by href, read with a plain calendar-query REPORT.
  std::map<std::string, Resource> readDestination() {
    net::HttpOptions options;
    options.username = "office";
    options.password = "x";
    net::HttpClient client(options);
    net::HttpRequest request;
    request.method = "REPORT";
    request.url = destination_;
    request.headers = {{"Depth", "1"}, {"Content-Type", "application/xml; charset=utf-8"}};
    request.body =
        "<?xml version=\"1.0\"?><C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
        "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
        "<C:filter><C:comp-filter name=\"VCALENDAR\"/></C:filter></C:calendar-query>";
    const auto response = client.send(request);
    EXPECT_EQ(response.status, 207) << response.body;
    std::map<std::string, Resource> out;
    const std::string& body = response.body;
    auto between = [](const std::string& text, const std::string& open, std::size_t from) {
      const std::size_t a = text.find(open, from);
      if (a == std::string::npos) return std::string();
      const std::size_t b = text.find("</", a);
      return text.substr(a + open.size(), b - a - open.size());
    };
    for (std::size_t pos = body.find("response>"); pos != std::string::npos;) {
      const std::size_t next = body.find("response>", pos + 9);
      const std::string block = body.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
      pos = next == std::string::npos ? next : body.find("response>", next + 9);
      std::string data = between(block, "calendar-data>", 0);
      if (data.empty()) continue;
      for (auto [from, to] : {std::pair<std::string, std::string>{"&#13;", "\r"}, {"&lt;", "<"}, {"&gt;", ">"},
                              {"&quot;", "\""}, {"&amp;", "&"}}) {
        for (std::size_t p = data.find(from); p != std::string::npos; p = data.find(from, p + to.size())) {
          data.replace(p, from.size(), to);
        }
      }
      const auto parsed = ical::parse(data);
      EXPECT_EQ(parsed.objects.size(), 1u) << data;
      if (parsed.objects.size() != 1) continue;
      out[between(block, "href>", 0)] = {between(block, "getetag>", 0), parsed.objects.front()};
    }
    return out;
  }

  static const CalendarObject* withSummary(const std::map<std::string, Resource>& resources, const std::string& summary) {
    for (const auto& [href, r] : resources) {
      const Event* master = r.object.master();
      const Event& head = master ? *master : r.object.components.front();
      if (head.summary == summary) return &r.object;
    }
    return nullptr;
  }

  fs::path dir_;
  std::int64_t now_ = 0;
  int api_port_ = 18018;
  std::unique_ptr<RadicaleServer> server_;
  std::string destination_;
  std::unique_ptr<fx::ProfileBuilder> profile_;
  std::map<std::string, fx::EventSpec> events_;
};

TEST_F(Olk15EndToEnd, EveryEventOfTheProfileArrivesFaithfully) {
  ASSERT_EQ(runOnce(), 0) << log();
  const auto resources = readDestination();
  // In the window: 6 objects in the work calendar, one in each other calendar. Not: the 1904
  // event (outside the window) and the Deleted Items folder.
  ASSERT_EQ(resources.size(), 9u) << log();
  EXPECT_EQ(withSummary(resources, "Founding meeting"), nullptr);
  EXPECT_EQ(withSummary(resources, "Cancelled and deleted"), nullptr);

  // Single events land on the instants Outlook stored, in their own zones.
  for (const char* name : {"meeting", "tokyo", "custom", "personal", "local"}) {
    const fx::EventSpec& spec = events_.at(name);
    const CalendarObject* o = withSummary(resources, spec.subject);
    ASSERT_NE(o, nullptr) << name;
    const auto occurrences = ical::expand(*o, {now_ - 40 * kDay, now_ + 100 * kDay});
    ASSERT_EQ(occurrences.size(), 1u) << name;
    EXPECT_EQ(occurrences[0].start_utc, epochOf(spec.start_utc)) << name;
    EXPECT_EQ(occurrences[0].end_utc, epochOf(spec.end_utc)) << name;
    EXPECT_EQ(o->origin.rfind("calsync:mac-agent/outlook/folder-", 0), 0u) << name;
  }
  const Event& meeting = withSummary(resources, events_.at("meeting").subject)->components[0];
  EXPECT_EQ(meeting.start.tzid, "America/New_York");
  EXPECT_EQ(meeting.location, "Room 4.01; Building \"North\"");
  EXPECT_EQ(meeting.description, "Agenda:\n\n- Budget & plans\n- Hiring\n\nDial-in:\n+1 555 0100");
  bool html = false;
  for (const auto& x : meeting.extra_properties) html = html || (x.name == "X-ALT-DESC" && x.value.find("<ul>") != std::string::npos);
  EXPECT_TRUE(html) << "the HTML body travels as X-ALT-DESC";
  EXPECT_EQ(meeting.privacy, PrivacyClass::Private);
  ASSERT_EQ(meeting.reminders.size(), 1u);
  EXPECT_EQ(meeting.reminders[0].offset_seconds, -900);
  EXPECT_EQ(withSummary(resources, events_.at("tokyo").subject)->components[0].start.tzid, "Asia/Tokyo");
  const CalendarObject* custom = withSummary(resources, events_.at("custom").subject);
  EXPECT_EQ(custom->components[0].start.tzid, "Fixture Standard Time");
  EXPECT_EQ(custom->vtimezones.size(), 1u);

  // All-day events stay dates.
  for (const char* name : {"allday", "birthday"}) {
    const Event& e = withSummary(resources, events_.at(name).subject)->components[0];
    EXPECT_TRUE(e.start.is_date) << name;
    EXPECT_EQ(civilToEpoch(e.start.year, e.start.month, e.start.day, 0, 0, 0), epochOf(events_.at(name).start_utc)) << name;
    EXPECT_EQ(civilToEpoch(e.end.year, e.end.month, e.end.day, 0, 0, 0), epochOf(events_.at(name).end_utc)) << name;
  }

  // The weekly series: one resource, 10 occurrences less the excluded one, two of them modified.
  const CalendarObject* series = withSummary(resources, "Team sync");
  ASSERT_NE(series, nullptr);
  ASSERT_EQ(series->components.size(), 3u);
  const auto occurrences = ical::expand(*series, {now_ - 40 * kDay, now_ + 100 * kDay});
  ASSERT_EQ(occurrences.size(), 9u);
  EXPECT_EQ(occurrences[0].start_utc, epochOf(events_.at("series").start_utc));
  EXPECT_EQ(occurrences[1].event->summary, "Team sync (moved)");
  EXPECT_EQ(occurrences[1].start_utc, epochOf(events_.at("moved").start_utc));
  // The rule-less series keeps both known occurrences.
  const CalendarObject* norule = withSummary(resources, "1:1");
  ASSERT_NE(norule, nullptr);
  EXPECT_EQ(ical::expand(*norule, {now_ - 40 * kDay, now_ + 100 * kDay}).size(), 2u);

  // A second run changes nothing at the destination.
  ASSERT_EQ(runOnce(), 0) << log();
  const auto again = readDestination();
  ASSERT_EQ(again.size(), resources.size());
  for (const auto& [href, r] : resources) {
    ASSERT_TRUE(again.count(href)) << href;
    EXPECT_EQ(again.at(href).etag, r.etag) << href << " was rewritten";
  }
}

TEST_F(Olk15EndToEnd, EditsDeletionsAndBrokenFilesInOutlook) {
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(readDestination().size(), 9u);

  fx::EventSpec allday = events_.at("allday");
  allday.subject = "Company offsite (new venue)";
  allday.mod_date += 60;
  profile_->putEvent(allday);
  profile_->removeEvent(events_.at("local").record_id);
  // The meeting's file is caught mid-write: it must stay as it was, not disappear.
  profile_->writeFile(profile_->relativePathOf(events_.at("meeting")), "truncated");

  ASSERT_EQ(runOnce(), 0) << log();
  const auto resources = readDestination();
  EXPECT_EQ(resources.size(), 8u);
  EXPECT_NE(withSummary(resources, "Company offsite (new venue)"), nullptr);
  EXPECT_EQ(withSummary(resources, "Company offsite"), nullptr);
  EXPECT_EQ(withSummary(resources, "Gym"), nullptr);
  EXPECT_NE(withSummary(resources, events_.at("meeting").subject), nullptr);
  EXPECT_NE(log().find(profile_->relativePathOf(events_.at("meeting"))), std::string::npos) << "the skipped file is named";
}

TEST_F(Olk15EndToEnd, NewOutlookShowsInHealthAndDeletesNothing) {
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(readDestination().size(), 9u);
  // New Outlook takes over: HxStore.hxd is live, the legacy store has not moved for weeks.
  profile_->setIndexMtime(now_ - 60 * kDay);
  profile_->writeHxStore(now_);

  api_port_ = testing::pickFreePort();
  writeConfig();
  testing::Process daemon({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string()}, (dir_ / "calsyncd.log").string());
  net::HttpClient http{net::HttpOptions{}};
  const std::string url = "http://127.0.0.1:" + std::to_string(api_port_) + "/health";
  std::string health;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (health.find("New Outlook is in use") == std::string::npos) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << health << log();
    try {
      health = http.send({"GET", url, {}, ""}).body;
    } catch (const ConnectorError&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(health.find("\"last_error\":\"not-found: New Outlook"), std::string::npos) << health;
  EXPECT_NE(health.find("Legacy Outlook"), std::string::npos) << health;
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
  EXPECT_EQ(readDestination().size(), 9u) << "a store New Outlook took over must not look like deletions";
}

}  // namespace
}  // namespace calsync
