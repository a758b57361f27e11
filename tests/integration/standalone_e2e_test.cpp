// calsyncd in standalone mode, as a real process, consolidating two ICS sources and a CalDAV
// source into a CalDAV destination, all on a real Radicale server. The destination is read
// back over plain CalDAV and checked event by event.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "core/date_time.h"
#include "ical/ical_codec.h"
#include "net/http_client.h"
#include "child_process.h"
#include "process.h"
#include "radicale_server.h"

namespace calsync {
namespace {

namespace fs = std::filesystem;
using testing::RadicaleServer;

const std::string kCalsyncd = std::string(CALSYNC_BINARY_DIR) + "/daemon/calsyncd";
constexpr std::int64_t kDay = 86400;
constexpr const char* kAdminToken = "e2e-admin-token-0123456789";

std::string icalDate(std::int64_t t) { return epochToUtc(t).toIcalValue().substr(0, 8); }
std::string icalLocal(std::int64_t t, int hour) { return icalDate(t) + "T" + (hour < 10 ? "0" : "") + std::to_string(hour) + "0000"; }

// The second Sunday of March (US daylight saving start) of the first year whose one is
// at least a week from now, so the test crosses a real DST change inside its window.
std::int64_t nextUsDstStart(std::int64_t now) {
  for (int year = epochToUtc(now).year;; ++year) {
    std::int64_t march1 = civilToEpoch(year, 3, 1, 0, 0, 0);
    const int weekday = static_cast<int>(((march1 / kDay) % 7 + 11) % 7);  // 0 = Sunday (1970-01-01 was Thursday)
    const std::int64_t first_sunday = march1 + ((7 - weekday) % 7) * kDay;
    const std::int64_t second_sunday = first_sunday + 7 * kDay;
    if (second_sunday > now + 7 * kDay) return second_sunday;
  }
}

struct DestinationEvent {
  std::string href;
  std::string etag;
  CalendarObject object;
};

class StandaloneEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("calsync-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "ics");
    now_ = static_cast<std::int64_t>(std::time(nullptr));
    server_ = std::make_unique<RadicaleServer>();
    destination_ = server_->makeCalendar("office", "consolidated");
    caldav_source_ = server_->makeCalendar("office", "shared");
    writeTeamCalendar();
    writePersonalCalendar();
    writeConfig();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A weekly series (one occurrence moved a day later, one cancelled), an all-day event,
  // a series in New York across a DST change, and non-ASCII text.
  void writeTeamCalendar(const std::string& standup_summary = "Stand-up") {
    series_start_ = now_ - 14 * kDay;
    const std::int64_t moved = series_start_ + 7 * kDay;
    const std::int64_t cancelled = series_start_ + 14 * kDay;
    dst_ = nextUsDstStart(now_);
    std::ofstream f(dir_ / "ics" / "team.ics");
    f << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//e2e//EN\r\nX-WR-CALNAME:Team\r\n"
      << "BEGIN:VEVENT\r\nUID:standup@e2e\r\nDTSTAMP:20260101T000000Z\r\n"
      << "DTSTART:" << icalLocal(series_start_, 9) << "Z\r\nDTEND:" << icalLocal(series_start_, 10) << "Z\r\n"
      << "RRULE:FREQ=WEEKLY;COUNT=8\r\nEXDATE:" << icalLocal(cancelled, 9) << "Z\r\n"
      << "SUMMARY:" << standup_summary << "\r\nEND:VEVENT\r\n"
      << "BEGIN:VEVENT\r\nUID:standup@e2e\r\nDTSTAMP:20260101T000000Z\r\n"
      << "RECURRENCE-ID:" << icalLocal(moved, 9) << "Z\r\n"
      << "DTSTART:" << icalLocal(moved + kDay, 11) << "Z\r\nDTEND:" << icalLocal(moved + kDay, 12) << "Z\r\n"
      << "SUMMARY:Stand-up (moved)\r\nEND:VEVENT\r\n"
      << "BEGIN:VEVENT\r\nUID:holiday@e2e\r\nDTSTAMP:20260101T000000Z\r\n"
      << "DTSTART;VALUE=DATE:" << icalDate(now_ + 3 * kDay) << "\r\nDTEND;VALUE=DATE:" << icalDate(now_ + 4 * kDay)
      << "\r\nSUMMARY:Betriebsausflug – Grüße aus Köln 🎉\r\nEND:VEVENT\r\n"
      << "BEGIN:VEVENT\r\nUID:ny@e2e\r\nDTSTAMP:20260101T000000Z\r\n"
      << "DTSTART;TZID=America/New_York:" << icalLocal(dst_ - 7 * kDay, 9) << "\r\n"
      << "DTEND;TZID=America/New_York:" << icalLocal(dst_ - 7 * kDay, 10) << "\r\n"
      << "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:New York sync\r\nEND:VEVENT\r\n"
      << "END:VCALENDAR\r\n";
  }

  void writePersonalCalendar(bool with_dentist = true) {
    std::ofstream f(dir_ / "ics" / "personal.ics");
    f << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//e2e//EN\r\n";
    if (with_dentist) {
      f << "BEGIN:VEVENT\r\nUID:dentist@e2e\r\nDTSTAMP:20260101T000000Z\r\n"
        << "DTSTART:" << icalLocal(now_ + 2 * kDay, 8) << "Z\r\nDTEND:" << icalLocal(now_ + 2 * kDay, 9) << "Z\r\n"
        << "SUMMARY:Dentist\r\nEND:VEVENT\r\n";
    }
    f << "BEGIN:VEVENT\r\nUID:lunch@e2e\r\nDTSTAMP:20260101T000000Z\r\n"
      << "DTSTART:" << icalLocal(now_ + 1 * kDay, 12) << "Z\r\nDTEND:" << icalLocal(now_ + 1 * kDay, 13) << "Z\r\n"
      << "SUMMARY:Lunch\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  }

  void writeConfig(const std::string& caldav_url = "") {
    std::ofstream f(dir_ / "calsyncd.ini");
    f << "[daemon]\nmode = standalone\ndata_dir = " << (dir_ / "data").string() << "\nlog_level = info\n\n"
      << "[agent]\nid = e2e-agent\nsync_interval = 1h\nwindow_past = 30d\nwindow_future = 400d\n\n"
      << "[master]\nlisten = 127.0.0.1:" << api_port_ << "\nallow_plain_http = true\nadmin_token = " << kAdminToken << "\n\n"
      << "[destination]\ntype = caldav\nurl = " << destination_ << "\nusername = office\npassword = x\n\n"
      << "[source.team]\ntype = ics\npath = " << (dir_ / "ics" / "team.ics").string() << "\n\n"
      << "[source.personal]\ntype = ics\npath = " << (dir_ / "ics" / "personal.ics").string() << "\n\n"
      << "[source.shared]\ntype = caldav\nurl = " << (caldav_url.empty() ? caldav_source_ : caldav_url)
      << "\nusername = office\npassword = x\ntimeout = 5s\n";
  }

  int runOnce() {
    return testing::runProcess({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string(), "--once"},
                               (dir_ / "calsyncd.log").string());
  }

  net::HttpClient client() {
    net::HttpOptions options;
    options.username = "office";
    options.password = "x";
    return net::HttpClient(options);
  }

  // Every resource in a collection, read with a plain calendar-query REPORT.
  std::map<std::string, DestinationEvent> readCalendar(const std::string& url) {
    net::HttpRequest request;
    request.method = "REPORT";
    request.url = url;
    request.headers = {{"Depth", "1"}, {"Content-Type", "application/xml; charset=utf-8"}};
    request.body =
        "<?xml version=\"1.0\"?><C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
        "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
        "<C:filter><C:comp-filter name=\"VCALENDAR\"/></C:filter></C:calendar-query>";
    auto response = client().send(request);
    EXPECT_EQ(response.status, 207) << response.body;
    std::map<std::string, DestinationEvent> out;
    // Small multistatus reader: hrefs, etags and calendar-data in document order.
    std::size_t pos = 0;
    auto between = [&](const std::string& text, const std::string& open_tag, const std::string& close_tag,
                       std::size_t from, std::size_t& end) -> std::string {
      const std::size_t a = text.find(open_tag, from);
      if (a == std::string::npos) return end = std::string::npos, "";
      const std::size_t b = text.find(close_tag, a);
      end = b;
      return text.substr(a + open_tag.size(), b - a - open_tag.size());
    };
    const std::string& body = response.body;
    for (;;) {
      std::size_t end = 0;
      const std::size_t start = body.find("response>", pos);
      if (start == std::string::npos) break;
      const std::size_t stop = body.find("response>", start + 9);
      const std::string block = body.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
      pos = stop == std::string::npos ? body.size() : stop + 9;
      DestinationEvent e;
      e.href = between(block, "href>", "</", 0, end);
      e.etag = between(block, "getetag>", "</", 0, end);
      std::string data = between(block, "calendar-data>", "</", 0, end);
      if (data.empty()) continue;
      for (auto [from, to] : {std::pair<std::string, std::string>{"&#13;", "\r"}, {"&lt;", "<"}, {"&gt;", ">"},
                              {"&quot;", "\""}, {"&amp;", "&"}}) {
        for (std::size_t p = data.find(from); p != std::string::npos; p = data.find(from, p + to.size())) {
          data.replace(p, from.size(), to);
        }
      }
      auto parsed = ical::parse(data);
      EXPECT_EQ(parsed.objects.size(), 1u) << data;
      if (parsed.objects.size() != 1) continue;
      e.object = parsed.objects.front();
      out[e.href] = e;
    }
    return out;
  }

  const DestinationEvent* findBySummary(const std::map<std::string, DestinationEvent>& events,
                                        const std::string& summary) {
    for (const auto& [href, e] : events) {
      for (const auto& c : e.object.components) {
        if (c.summary == summary && !c.recurrence_id) return &e;
      }
    }
    return nullptr;
  }

  void putCaldavSourceEvent(const std::string& uid, const std::string& summary) {
    net::HttpRequest request;
    request.method = "PUT";
    request.url = caldav_source_ + uid + ".ics";
    request.headers = {{"Content-Type", "text/calendar; charset=utf-8"}};
    request.body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//e2e//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
                   "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + icalLocal(now_ + 5 * kDay, 15) +
                   "Z\r\nDTEND:" + icalLocal(now_ + 5 * kDay, 16) + "Z\r\nSUMMARY:" + summary +
                   "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    auto response = client().send(request);
    ASSERT_TRUE(response.status == 201 || response.status == 204) << response.status << response.body;
  }

  std::string log() { return testing::readFile((dir_ / "calsyncd.log").string()); }

  fs::path dir_;
  std::int64_t now_ = 0;
  std::int64_t series_start_ = 0;
  std::int64_t dst_ = 0;
  int api_port_ = 18008;
  std::unique_ptr<RadicaleServer> server_;
  std::string destination_;
  std::string caldav_source_;
};

TEST_F(StandaloneEndToEnd, ConsolidatesEveryEventFaithfully) {
  putCaldavSourceEvent("shared-1", "Shared planning");
  ASSERT_EQ(runOnce(), 0) << log();
  const auto events = readCalendar(destination_);
  ASSERT_EQ(events.size(), 6u) << log();

  for (const auto& [href, e] : events) {
    EXPECT_EQ(e.object.origin.rfind("calsync:e2e-agent/", 0), 0u) << href << " has no origin marker";
    EXPECT_EQ(e.object.uid.rfind("calsync-", 0), 0u) << href;
  }

  // The recurring series: one resource with the master (RRULE, EXDATE) and the moved override.
  const DestinationEvent* standup = findBySummary(events, "Stand-up");
  ASSERT_NE(standup, nullptr);
  ASSERT_EQ(standup->object.components.size(), 2u);
  const Event& master = *standup->object.master();
  EXPECT_EQ(master.recurrence.rrule, "FREQ=WEEKLY;COUNT=8");
  ASSERT_EQ(master.recurrence.exdates.size(), 1u);
  EXPECT_EQ(master.recurrence.exdates[0].utc.value_or(0), civilToEpoch(epochToUtc(series_start_ + 14 * kDay).year,
                                                                       epochToUtc(series_start_ + 14 * kDay).month,
                                                                       epochToUtc(series_start_ + 14 * kDay).day, 9, 0, 0));
  const Event* moved = nullptr;
  for (const auto& c : standup->object.components) {
    if (c.recurrence_id) moved = &c;
  }
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->summary, "Stand-up (moved)");
  EXPECT_EQ(moved->start.hour, 11);

  // The all-day event keeps its date form and its non-ASCII text.
  const DestinationEvent* holiday = findBySummary(events, "Betriebsausflug – Grüße aus Köln 🎉");
  ASSERT_NE(holiday, nullptr);
  EXPECT_TRUE(holiday->object.components[0].start.is_date);
  EXPECT_EQ(holiday->object.components[0].start.toIcalValue(), icalDate(now_ + 3 * kDay));

  // The New York series keeps its zone and lands on the right instants across the DST change.
  const DestinationEvent* ny = findBySummary(events, "New York sync");
  ASSERT_NE(ny, nullptr);
  EXPECT_EQ(ny->object.components[0].start.tzid, "America/New_York");
  const auto occurrences = ical::expand(ny->object, Window{now_, now_ + 400 * kDay});
  ASSERT_EQ(occurrences.size(), 3u);
  EXPECT_EQ(occurrences[0].start_utc % kDay, 14 * 3600);  // 09:00 EST = 14:00 UTC
  EXPECT_EQ(occurrences[2].start_utc % kDay, 13 * 3600);  // 09:00 EDT = 13:00 UTC

  EXPECT_NE(findBySummary(events, "Dentist"), nullptr);
  EXPECT_NE(findBySummary(events, "Lunch"), nullptr);
  EXPECT_NE(findBySummary(events, "Shared planning"), nullptr);

  // A second run changes nothing at the destination: same resources, same etags.
  ASSERT_EQ(runOnce(), 0) << log();
  const auto again = readCalendar(destination_);
  ASSERT_EQ(again.size(), events.size());
  for (const auto& [href, e] : events) {
    ASSERT_TRUE(again.count(href)) << href;
    EXPECT_EQ(again.at(href).etag, e.etag) << href << " was rewritten";
  }
}

TEST_F(StandaloneEndToEnd, EditsAndDeletesAtSourcesReachTheDestination) {
  putCaldavSourceEvent("shared-1", "Shared planning");
  putCaldavSourceEvent("shared-2", "Shared retro");
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(readCalendar(destination_).size(), 7u);

  writeTeamCalendar("Stand-up (new room)");
  writePersonalCalendar(/*with_dentist=*/false);
  putCaldavSourceEvent("shared-1", "Shared planning v2");
  net::HttpRequest del;
  del.method = "DELETE";
  del.url = caldav_source_ + "shared-2.ics";
  ASSERT_EQ(client().send(del).status / 100, 2);

  ASSERT_EQ(runOnce(), 0) << log();
  const auto events = readCalendar(destination_);
  EXPECT_EQ(events.size(), 5u);
  EXPECT_NE(findBySummary(events, "Stand-up (new room)"), nullptr);
  EXPECT_EQ(findBySummary(events, "Stand-up"), nullptr);
  EXPECT_EQ(findBySummary(events, "Dentist"), nullptr);
  EXPECT_NE(findBySummary(events, "Shared planning v2"), nullptr);
  EXPECT_EQ(findBySummary(events, "Shared retro"), nullptr);
}

TEST_F(StandaloneEndToEnd, AnEventLeavingTheWindowKeepsItsCopy) {
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_NE(findBySummary(readCalendar(destination_), "Lunch"), nullptr);

  // Move "Lunch" to 200 days ago: outside the 30-day past window, but not deleted.
  std::ofstream f(dir_ / "ics" / "personal.ics");
  f << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//e2e//EN\r\n"
    << "BEGIN:VEVENT\r\nUID:dentist@e2e\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" << icalLocal(now_ + 2 * kDay, 8)
    << "Z\r\nDTEND:" << icalLocal(now_ + 2 * kDay, 9) << "Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n"
    << "BEGIN:VEVENT\r\nUID:lunch@e2e\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" << icalLocal(now_ - 200 * kDay, 12)
    << "Z\r\nDTEND:" << icalLocal(now_ - 200 * kDay, 13) << "Z\r\nSUMMARY:Lunch (old)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  f.close();
  ASSERT_EQ(runOnce(), 0) << log();
  const auto events = readCalendar(destination_);
  EXPECT_NE(findBySummary(events, "Lunch"), nullptr) << "an out-of-window event must keep its copy as it was";
  EXPECT_EQ(findBySummary(events, "Lunch (old)"), nullptr);
  EXPECT_NE(findBySummary(events, "Dentist"), nullptr);
}

TEST_F(StandaloneEndToEnd, AFailingSourceDeletesNothing) {
  putCaldavSourceEvent("shared-1", "Shared planning");
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(readCalendar(destination_).size(), 6u);

  // The CalDAV source goes away (nothing listens there) and an ICS file vanishes.
  writeConfig("http://127.0.0.1:" + std::to_string(testing::pickFreePort()) + "/office/shared/");
  fs::remove(dir_ / "ics" / "personal.ics");
  EXPECT_NE(runOnce(), 0) << "a failed read must be reported";
  const auto events = readCalendar(destination_);
  EXPECT_EQ(events.size(), 6u) << "a failed read must never look like deletions";
  EXPECT_NE(findBySummary(events, "Shared planning"), nullptr);
  EXPECT_NE(findBySummary(events, "Dentist"), nullptr);
}

TEST_F(StandaloneEndToEnd, ServesHealthAndExpandedEventsThenStopsOnSigterm) {
  api_port_ = testing::pickFreePort();
  writeConfig();
  testing::Process daemon({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string()}, (dir_ / "calsyncd.log").string());

  net::HttpClient http{net::HttpOptions{}};
  const std::string base = "http://127.0.0.1:" + std::to_string(api_port_);
  // Poll until the first cycle has reached the destination (bounded; no fixed sleeps).
  std::string health;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    try {
      auto r = http.send({"GET", base + "/health", {}, ""});
      health = r.body;
      if (r.status == 200 && health.find("\"role\":\"destination\"") != std::string::npos &&
          health.find("\"state\":\"pending\"") == std::string::npos && health.find("\"copies\":5") != std::string::npos)
        break;
    } catch (const ConnectorError&) {
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << health << log();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(health.find("\"status\":\"ok\""), std::string::npos) << health;
  EXPECT_NE(health.find("\"name\":\"team\""), std::string::npos) << health;

  // The weekly series has 8 occurrences; one was cancelled and one moved (still counted).
  auto iso = [](std::int64_t t) {
    DateTime d = epochToUtc(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, d.hour, d.minute, d.second);
    return std::string(buf);
  };
  const net::Headers admin{{"Authorization", std::string("Bearer ") + kAdminToken}};
  const std::string events_url = base + "/api/calendar/events?time_min=" + iso(series_start_ - kDay) +
                                 "&time_max=" + iso(series_start_ + 60 * kDay);
  // The events API is for admins: no token, no events.
  EXPECT_EQ(http.send({"GET", events_url, {}, ""}).status, 401);
  auto r = http.send({"GET", events_url, admin, ""});
  ASSERT_EQ(r.status, 200) << r.body;
  std::size_t standups = 0, moved = 0;
  for (std::size_t p = r.body.find("\"summary\":\"Stand-up"); p != std::string::npos;
       p = r.body.find("\"summary\":\"Stand-up", p + 1)) {
    ++standups;
    if (r.body.compare(p, 28, "\"summary\":\"Stand-up (moved)\"") == 0) ++moved;
  }
  EXPECT_EQ(standups, 7u) << r.body;
  EXPECT_EQ(moved, 1u);

  auto bad = http.send({"GET", base + "/api/calendar/events?time_min=yesterday&time_max=now", admin, ""});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"error\""), std::string::npos);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
}

// Polls GET /health until `predicate` holds (bounded; the daemon works on its own schedule).
bool waitForHealth(const std::string& base, const std::function<bool(const std::string&)>& predicate,
                   std::string& last) {
  net::HttpClient http{net::HttpOptions{}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      last = http.send({"GET", base + "/health", {}, ""}).body;
      if (predicate(last)) return true;
    } catch (const ConnectorError&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_F(StandaloneEndToEnd, ReloadsOnSighupAndKeepsRunningOnABadConfig) {
  api_port_ = testing::pickFreePort();
  writeConfig();
  const std::string ini = (dir_ / "calsyncd.ini").string();
  // Start with only the ICS team source.
  std::string text = testing::readFile(ini);
  const std::string without_others = text.substr(0, text.find("[source.personal]"));
  std::ofstream(ini) << without_others;
  testing::Process daemon({kCalsyncd, "--config", ini}, (dir_ / "calsyncd.log").string());
  const std::string base = "http://127.0.0.1:" + std::to_string(api_port_);
  std::string health;
  ASSERT_TRUE(waitForHealth(base, [](const std::string& h) { return h.find("\"copies\":3") != std::string::npos; },
                            health)) << health << log();
  EXPECT_EQ(health.find("\"name\":\"personal\""), std::string::npos);

  std::ofstream(ini) << text;  // all three sources
  daemon.signal(SIGHUP);
  ASSERT_TRUE(waitForHealth(base, [](const std::string& h) { return h.find("\"copies\":5") != std::string::npos; },
                            health)) << health << log();
  EXPECT_NE(health.find("\"name\":\"personal\""), std::string::npos);

  std::ofstream(ini, std::ios::app) << "\n[source.broken]\ntype = nosuchconnector\n";
  daemon.signal(SIGHUP);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (log().find("reload refused") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(log().find("reload refused"), std::string::npos) << log();
  EXPECT_NE(log().find("nosuchconnector"), std::string::npos) << log();
  ASSERT_TRUE(waitForHealth(base, [](const std::string& h) { return h.find("\"copies\":5") != std::string::npos; },
                            health)) << "the running configuration must survive a bad reload";

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30000), 0) << log();
}

TEST_F(StandaloneEndToEnd, DetachesWithDaemonAndWritesItsPidFile) {
  api_port_ = testing::pickFreePort();
  writeConfig();
  const std::string pid_path = (dir_ / "calsyncd.pid").string();
  // A pid file and a log file, since a detached daemon has no terminal to write to.
  std::string text = testing::readFile((dir_ / "calsyncd.ini").string());
  text.replace(text.find("[daemon]\n"), 9, "[daemon]\npid_file = " + pid_path + "\nlog_file = " +
                                                 (dir_ / "daemon.log").string() + "\n");
  std::ofstream(dir_ / "calsyncd.ini") << text;

  // The launcher returns once the daemon has detached; a relative --config must still work.
  const fs::path previous = fs::current_path();
  fs::current_path(dir_);
  const int launched = testing::runProcess({kCalsyncd, "--config", "calsyncd.ini", "--daemon"},
                                           (dir_ / "calsyncd.log").string(), 30000);
  fs::current_path(previous);
  ASSERT_EQ(launched, 0) << log();

  std::string health;
  ASSERT_TRUE(waitForHealth("http://127.0.0.1:" + std::to_string(api_port_),
                            [](const std::string& h) { return h.find("\"copies\":5") != std::string::npos; }, health))
      << health << testing::readFile((dir_ / "daemon.log").string());
  const pid_t pid = std::stoi(testing::readFile(pid_path));
  ASSERT_GT(pid, 1);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (::kill(pid, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(::kill(pid, 0), 0) << "the daemon did not stop on SIGTERM";
  EXPECT_FALSE(fs::exists(pid_path)) << "the pid file must go with the process";
  EXPECT_NE(testing::readFile((dir_ / "daemon.log").string()).find("stopped"), std::string::npos);
}

TEST_F(StandaloneEndToEnd, BrokenConfigStopsStartupWithFileLineAndKey) {
  std::ofstream f(dir_ / "calsyncd.ini", std::ios::app);
  f << "colour = blue\n";
  f.close();
  const int status = testing::runProcess({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string(), "--test-config"},
                                         (dir_ / "calsyncd.log").string());
  EXPECT_EQ(status, 78);
  const std::string out = log();
  EXPECT_NE(out.find("calsyncd.ini:"), std::string::npos) << out;
  EXPECT_NE(out.find("colour"), std::string::npos) << out;
}

}  // namespace
}  // namespace calsync
