// The Graph connector against the stateful Graph test server: device-code sign-in, delta
// rounds, @removed that only left the window, expired delta state, paging, writes that notify
// nobody, conflicts, throttling, adoption, client credentials and revocation.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "core/registry.h"
#include "graph/graph_auth.h"
#include "graph/graph_connector.h"
#include "ical/ical_codec.h"
#include "ical/zone_lookup.h"
#include "oauth/rfc3339.h"
#include "tests/servers/graph/graph_test_server.h"
#include "tests/servers/oauth/test_keys.h"
#include "tests/support/error_kind.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace calsync::graph {
namespace {

using calsync::testing::errorKindOf;
constexpr std::int64_t kDay = 86400;
const std::string kUser = "ana@contoso.com";

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
std::string day(int offset) { return web::formatDate(epochToUtc(now() + offset * kDay)); }

std::string single(const std::string& subject, int offset, int hour) {
  auto at = [&](int h) { return day(offset) + "T" + (h < 10 ? "0" : "") + std::to_string(h) + ":00:00"; };
  return R"({"subject":")" + subject + R"(","start":{"dateTime":")" + at(hour) +
         R"(","timeZone":"UTC"},"end":{"dateTime":")" + at(hour + 1) + R"(","timeZone":"UTC"}})";
}

// 09:00 Berlin on day `offset`.
std::int64_t berlinNine(int offset) {
  DateTime d = *web::parseDate(day(offset));
  d.is_date = false;
  d.hour = 9;
  d.tzid = "Europe/Berlin";
  return *ical::instantOf(d);
}

const CalendarObject* byNative(const ChangeSet& changes, const std::string& id) {
  for (const auto& o : changes.upserts) {
    if (o.native_id == id) return &o;
  }
  return nullptr;
}

class GraphConnectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.oauth().addClient("graph-app", "");
    server_.addMailbox(kUser);
    calendar_ = server_.addCalendar(kUser, "Calendar");
    shared_ = server_.addCalendar(kUser, "Team (shared)", false);
  }

  ConnectorSpec spec() const {
    ConnectorSpec s;
    s.name = "mail";
    s.type = "graph";
    s.data_dir = (dir_.path() / "sources" / data_name_).string();
    s.settings = {{"client_id", "graph-app"},   {"tenant", "contoso"},
                  {"login_url", server_.loginUrl()}, {"api_url", server_.apiUrl()},
                  {"ca_file", calsync::testing::testCaFile()}, {"timeout", "10"}, {"retry_wait_max", "0"}};
    for (const auto& [k, v] : extra_) s.settings[k] = v;
    return s;
  }

  // Headless sign-in: the code is typed on another device, calsync polls.
  void signIn() {
    auto authorization = startDeviceSignIn(spec());
    ASSERT_FALSE(pollDeviceSignIn(spec(), authorization, now())) << "nobody signed in yet";
    ASSERT_TRUE(server_.oauth().approveDevice(authorization.user_code, kUser));
    ASSERT_TRUE(pollDeviceSignIn(spec(), authorization, now()));
  }

  std::unique_ptr<GraphConnector> connector() { return std::make_unique<GraphConnector>(GraphConfig::fromSpec(spec())); }
  Window window() const { return Window{now() - 30 * kDay, now() + 90 * kDay}; }

  calsync::testing::TempDir dir_;
  calsync::testing::GraphTestServer server_;
  std::string calendar_;
  std::string shared_;
  Settings extra_;
  std::string data_name_ = "mail";
};

TEST_F(GraphConnectorTest, DeviceCodeSignInThenCalendars) {
  signIn();
  EXPECT_EQ(signInStatus(spec(), now()).health, oauth::TokenHealth::Ok);
  auto calendars = connector()->listCalendars();
  ASSERT_EQ(calendars.size(), 2u);
  EXPECT_EQ(calendars[0].id, calendar_);
  EXPECT_TRUE(calendars[0].writable);
  EXPECT_FALSE(calendars[1].writable);
  EXPECT_EQ(server_.requestsWithoutImmutableIds(), 0);
}

TEST_F(GraphConnectorTest, FullPullFoldsOccurrencesIntoSeriesWithExceptionsAndCancellations) {
  signIn();
  const std::string series = server_.createEvent(
      kUser, calendar_,
      R"({"subject":"Stand-up","start":{"dateTime":")" + day(-14) + R"(T09:00:00","timeZone":"W. Europe Standard Time"},)"
      R"("end":{"dateTime":")" + day(-14) + R"(T09:30:00","timeZone":"W. Europe Standard Time"},)"
      R"("recurrence":{"pattern":{"type":"daily","interval":7},"range":{"type":"numbered","numberOfOccurrences":6,)"
      R"("startDate":")" + day(-14) + R"(","recurrenceTimeZone":"W. Europe Standard Time"}}})");
  server_.updateEvent(kUser, server_.occurrenceId(series, web::formatUtc(berlinNine(-7))),
                      R"J({"subject":"Stand-up (later)","start":{"dateTime":")J" + day(-7) +
                          R"(T15:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":")" + day(-7) +
                          R"(T15:30:00","timeZone":"W. Europe Standard Time"}})");
  server_.deleteEvent(kUser, server_.occurrenceId(series, web::formatUtc(berlinNine(0))));
  const std::string holiday = server_.createEvent(
      kUser, calendar_, R"({"subject":"Sommerfest – Grüße 🎉","isAllDay":true,"start":{"dateTime":")" + day(3) +
                            R"(T00:00:00","timeZone":"UTC"},"end":{"dateTime":")" + day(4) + R"(T00:00:00","timeZone":"UTC"}})");

  ChangeSet changes = connector()->pull(calendar_, window(), "");
  EXPECT_FALSE(changes.complete) << "a calendarView only shows the window";
  ASSERT_EQ(changes.upserts.size(), 2u);
  const CalendarObject* standup = byNative(changes, series);
  ASSERT_NE(standup, nullptr);
  ASSERT_EQ(standup->components.size(), 2u);
  const Event& master = standup->components[0];
  EXPECT_EQ(master.start.tzid, "Europe/Berlin");
  EXPECT_EQ(master.start.hour, 9);
  EXPECT_NE(master.recurrence.rrule.find("COUNT=6"), std::string::npos);
  ASSERT_EQ(master.recurrence.exdates.size(), 1u);
  EXPECT_EQ(ical::instantOf(master.recurrence.exdates[0]), berlinNine(0));
  EXPECT_EQ(ical::instantOf(*standup->components[1].recurrence_id), berlinNine(-7));
  EXPECT_EQ(standup->components[1].start.hour, 15);
  EXPECT_EQ(ical::expand(*standup, window()).size(), 5u);
  const CalendarObject* fest = byNative(changes, holiday);
  ASSERT_NE(fest, nullptr);
  EXPECT_TRUE(fest->components[0].start.is_date);
  EXPECT_EQ(fest->components[0].summary, "Sommerfest – Grüße 🎉");
  EXPECT_EQ(server_.requestsWithoutImmutableIds(), 0);
}

TEST_F(GraphConnectorTest, DeltaLinkCarriesChangesAndVerifiedDeletions) {
  signIn();
  const std::string lunch = server_.createEvent(kUser, calendar_, single("Lunch", 1, 12));
  const std::string dentist = server_.createEvent(kUser, calendar_, single("Dentist", 2, 8));
  const std::string quiet = server_.createEvent(kUser, calendar_, single("Quiet", 3, 8));
  auto graph = connector();
  ChangeSet first = graph->pull(calendar_, window(), "");
  ASSERT_EQ(first.upserts.size(), 3u);

  server_.updateEvent(kUser, lunch, R"({"subject":"Lunch with Bo"})");
  server_.deleteEvent(kUser, dentist);
  const std::string added = server_.createEvent(kUser, calendar_, single("New", 4, 10));
  ChangeSet next = graph->pull(calendar_, window(), first.cursor);
  EXPECT_EQ(next.removed, std::vector<std::string>{dentist});
  EXPECT_EQ(next.upserts.size(), 2u);
  EXPECT_EQ(byNative(next, quiet), nullptr);
  ASSERT_NE(byNative(next, lunch), nullptr);
  EXPECT_EQ(byNative(next, lunch)->components[0].summary, "Lunch with Bo");
  EXPECT_NE(byNative(next, added), nullptr);
  // The delta link is followed as given: no new window, no $filter.
  const auto requests = server_.requests();
  EXPECT_TRUE(std::any_of(requests.begin(), requests.end(),
                          [](const auto& r) { return r.target.find("$deltatoken=") != std::string::npos; }));

  ChangeSet idle = graph->pull(calendar_, window(), next.cursor);
  EXPECT_TRUE(idle.upserts.empty());
  EXPECT_TRUE(idle.removed.empty());
}

TEST_F(GraphConnectorTest, AnEventThatOnlyLeftTheWindowIsNotADeletion) {
  signIn();
  const std::string trip = server_.createEvent(kUser, calendar_, single("Trip", 5, 9));
  auto graph = connector();
  ChangeSet first = graph->pull(calendar_, window(), "");
  ASSERT_EQ(first.upserts.size(), 1u);
  // Moved half a year out: delta says @removed, but the event still exists.
  server_.updateEvent(kUser, trip, R"({"start":{"dateTime":")" + day(200) + R"(T09:00:00","timeZone":"UTC"},)"
                                   R"("end":{"dateTime":")" + day(200) + R"(T10:00:00","timeZone":"UTC"}})");
  ChangeSet next = graph->pull(calendar_, window(), first.cursor);
  EXPECT_TRUE(next.removed.empty()) << "leaving the window is not a deletion";
  EXPECT_EQ(next.out_of_window, std::vector<std::string>{trip});
  EXPECT_TRUE(next.upserts.empty());
}

TEST_F(GraphConnectorTest, ExpiredDeltaStateStartsANewRoundThatDeletesOnlyWhatIsGone) {
  for (int status : {410, 400}) {
    SCOPED_TRACE(status);
    data_name_ = "mail-" + std::to_string(status);  // a fresh sign-in and token store
    signIn();
    const std::string cal = server_.addCalendar(kUser, "Round " + std::to_string(status));
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) ids.push_back(server_.createEvent(kUser, cal, single("E" + std::to_string(i), i, 9)));
    auto graph = connector();
    ChangeSet first = graph->pull(cal, window(), "");
    ASSERT_EQ(first.upserts.size(), 4u);

    server_.expireDeltaTokens(status);
    server_.deleteEvent(kUser, ids[0]);
    server_.updateEvent(kUser, ids[1], R"({"start":{"dateTime":")" + day(-300) + R"(T09:00:00","timeZone":"UTC"},)"
                                       R"("end":{"dateTime":")" + day(-300) + R"(T10:00:00","timeZone":"UTC"}})");
    ChangeSet again = graph->pull(cal, window(), first.cursor);
    EXPECT_EQ(again.removed, std::vector<std::string>{ids[0]});
    EXPECT_EQ(again.out_of_window, std::vector<std::string>{ids[1]}) << "asked about, found, out of the window";
    EXPECT_NE(byNative(again, ids[2]), nullptr);
    EXPECT_NE(byNative(again, ids[3]), nullptr);
    // And the new round's link works.
    EXPECT_TRUE(graph->pull(cal, window(), again.cursor).upserts.empty());
  }
}

TEST_F(GraphConnectorTest, CancellingOneOccurrenceUpdatesItsSeries) {
  signIn();
  const std::string series = server_.createEvent(
      kUser, calendar_,
      R"({"subject":"Daily","start":{"dateTime":")" + day(1) + R"(T09:00:00","timeZone":"UTC"},"end":{"dateTime":")" + day(1) +
          R"(T10:00:00","timeZone":"UTC"},"recurrence":{"pattern":{"type":"daily","interval":1},)"
          R"("range":{"type":"numbered","numberOfOccurrences":5,"startDate":")" + day(1) + R"(","recurrenceTimeZone":"UTC"}}})");
  auto graph = connector();
  ChangeSet first = graph->pull(calendar_, window(), "");
  ASSERT_EQ(first.upserts.size(), 1u);
  server_.deleteEvent(kUser, server_.occurrenceId(series, day(3) + "T09:00:00Z"));
  ChangeSet next = graph->pull(calendar_, window(), first.cursor);
  const CalendarObject* daily = byNative(next, series);
  ASSERT_NE(daily, nullptr) << "the series comes back whole";
  ASSERT_EQ(daily->components[0].recurrence.exdates.size(), 1u);
  EXPECT_EQ(ical::expand(*daily, window()).size(), 4u);
  EXPECT_TRUE(std::find(next.removed.begin(), next.removed.end(), series) == next.removed.end());
}

TEST_F(GraphConnectorTest, PagesThroughDeltaWithMaxPageSize) {
  signIn();
  server_.setMaxPageSize(2);
  for (int i = 0; i < 5; ++i) server_.createEvent(kUser, calendar_, single("P" + std::to_string(i), i, 9));
  extra_["page_size"] = "2";
  ChangeSet changes = connector()->pull(calendar_, window(), "");
  EXPECT_EQ(changes.upserts.size(), 5u);
  std::size_t delta_pages = 0;
  for (const auto& r : server_.requests()) {
    if (r.target.find("calendarView/delta") == std::string::npos) continue;
    ++delta_pages;
    bool asked = false;
    for (const auto& [k, v] : r.headers) asked = asked || (k == "Prefer" && v == "odata.maxpagesize=2");
    EXPECT_TRUE(asked) << r.target;
  }
  EXPECT_EQ(delta_pages, 3u);
}

TEST_F(GraphConnectorTest, WritesNotifyNobodyAndUseTheEtag) {
  signIn();
  auto graph = connector();
  auto parsed = ical::parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:calsync-abc\r\n"
                            "DTSTAMP:20260101T000000Z\r\nDTSTART:" + epochToUtc(now() + kDay).toIcalValue() + "\r\nDTEND:" +
                            epochToUtc(now() + kDay + 3600).toIcalValue() +
                            "\r\nSUMMARY:Copy\r\nORGANIZER:mailto:o@x.com\r\nATTENDEE:mailto:guest@x.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  CalendarObject copy = parsed.objects.at(0);
  copy.origin = "calsync:agent/src/cal/uid";
  WriteResult written = graph->apply(EventChange{EventChange::Kind::Create, calendar_, copy, ""});
  auto stored = json::parseObject(*server_.eventJson(kUser, written.native_id), "e");
  EXPECT_TRUE(json::objects(stored, "attendees").empty());
  EXPECT_FALSE(json::text(stored, "transactionId").empty());
  EXPECT_EQ(written.etag, json::text(stored, "@odata.etag"));
  EXPECT_EQ(errorKindOf([&] { graph->apply(EventChange{EventChange::Kind::Create, calendar_, copy, ""}); }),
            ErrorKind::Conflict) << "a second create of the same UID";

  CalendarObject changed = copy;
  changed.native_id = written.native_id;
  changed.components[0].summary = "Copy v2";
  WriteResult updated = graph->apply(EventChange{EventChange::Kind::Update, calendar_, changed, written.etag});
  EXPECT_NE(updated.etag, written.etag);
  // Someone edits it in Outlook: the stale etag loses.
  server_.updateEvent(kUser, written.native_id, R"({"subject":"edited in Outlook"})");
  EXPECT_EQ(errorKindOf([&] { graph->apply(EventChange{EventChange::Kind::Update, calendar_, changed, updated.etag}); }),
            ErrorKind::Conflict);
  EXPECT_EQ(json::text(json::parseObject(*server_.eventJson(kUser, written.native_id), "e"), "subject"), "edited in Outlook");
  EXPECT_EQ(errorKindOf([&] { graph->apply(EventChange{EventChange::Kind::Delete, calendar_, changed, updated.etag}); }),
            ErrorKind::Conflict);
  auto current = graph->findByUid(calendar_, "calsync-abc");
  ASSERT_TRUE(current.has_value());
  graph->apply(EventChange{EventChange::Kind::Delete, calendar_, changed, current->etag});
  EXPECT_FALSE(server_.eventJson(kUser, written.native_id).has_value());
  EXPECT_EQ(errorKindOf([&] { graph->apply(EventChange{EventChange::Kind::Delete, calendar_, changed, ""}); }),
            ErrorKind::NotFound);

  // A real meeting is never changed through Graph: it would mail its attendees.
  const std::string meeting = server_.createEvent(
      kUser, calendar_, R"({"subject":"Board","start":{"dateTime":")" + day(2) + R"(T09:00:00","timeZone":"UTC"},)"
                        R"("end":{"dateTime":")" + day(2) + R"(T10:00:00","timeZone":"UTC"},)"
                        R"("attendees":[{"type":"required","emailAddress":{"address":"cfo@contoso.com"}}]})");
  ChangeSet read = graph->pull(calendar_, window(), "");
  CalendarObject board = *byNative(read, meeting);
  board.components[0].summary = "Board (moved)";
  EXPECT_EQ(errorKindOf([&] { graph->apply(EventChange{EventChange::Kind::Update, calendar_, board, board.etag}); }),
            ErrorKind::Permission);
  EXPECT_EQ(errorKindOf([&] { graph->apply(EventChange{EventChange::Kind::Delete, calendar_, board, board.etag}); }),
            ErrorKind::Permission);
  EXPECT_EQ(server_.notifyingWrites(), 0);
}

TEST_F(GraphConnectorTest, ARecurringCopyGetsItsExceptionsAndCancellations) {
  signIn();
  auto graph = connector();
  const DateTime d = epochToUtc(now() + kDay);
  auto local = [&](int plus, const std::string& time) {
    DateTime x = epochToUtc(civilToEpoch(d.year, d.month, d.day, 0, 0, 0) + plus * kDay);
    x.is_date = true;
    return x.toIcalValue() + time;
  };
  auto parsed = ical::parse(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
      "BEGIN:VEVENT\r\nUID:calsync-series\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:" + local(0, "T090000") +
      "\r\nDTEND;TZID=Europe/Berlin:" + local(0, "T100000") + "\r\nRRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=Europe/Berlin:" +
      local(4, "T090000") + "\r\nSUMMARY:Daily\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:calsync-series\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:" + local(1, "T090000") +
      "\r\nDTSTART;TZID=Europe/Berlin:" + local(1, "T160000") + "\r\nDTEND;TZID=Europe/Berlin:" + local(1, "T170000") +
      "\r\nSUMMARY:Daily (late)\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:calsync-series\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:" + local(2, "T090000") +
      "\r\nDTSTART;TZID=Europe/Berlin:" + local(2, "T090000") + "\r\nDTEND;TZID=Europe/Berlin:" + local(2, "T100000") +
      "\r\nSTATUS:CANCELLED\r\nSUMMARY:Daily\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  CalendarObject series = parsed.objects.at(0);
  series.origin = "calsync:a/b/c/series";
  WriteResult written = graph->apply(EventChange{EventChange::Kind::Create, calendar_, series, ""});
  ChangeSet read = graph->pull(calendar_, window(), "");
  const CalendarObject* back = byNative(read, written.native_id);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->origin, series.origin);
  EXPECT_EQ(back->uid, "calsync-series");
  const auto want = ical::expand(series, window());
  const auto got = ical::expand(*back, window());
  ASSERT_EQ(got.size(), want.size());
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].start_utc, want[i].start_utc);
    EXPECT_EQ(got[i].event->summary, want[i].event->summary);
  }
  EXPECT_EQ(server_.notifyingWrites(), 0);
}

TEST_F(GraphConnectorTest, ThrottlingIsRetriedWithinBoundsThenReported) {
  signIn();
  server_.createEvent(kUser, calendar_, single("One", 1, 9));
  extra_["retry_wait_max"] = "5";
  auto graph = connector();
  std::vector<std::int64_t> waits;
  graph->api().setSleeper([&](std::int64_t s) { waits.push_back(s); });
  server_.throttle(1, 429, 2);
  EXPECT_EQ(graph->pull(calendar_, window(), "").upserts.size(), 1u);
  EXPECT_EQ(waits, std::vector<std::int64_t>{2000});
  server_.throttle(10, 503, 120);
  try {
    graph->listCalendars();
    ADD_FAILURE();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Throttled);
    EXPECT_EQ(e.retryAfterSeconds(), 120);
  }
  server_.throttle(0);
}

TEST_F(GraphConnectorTest, RevokedSignInIsAnActionableAuthErrorAndRecovers) {
  signIn();
  server_.createEvent(kUser, calendar_, single("Keep", 1, 9));
  auto graph = connector();
  ChangeSet first = graph->pull(calendar_, window(), "");
  server_.oauth().revokeRefreshTokens();
  server_.createEvent(kUser, calendar_, single("Meanwhile", 2, 9));
  try {
    graph->pull(calendar_, window(), first.cursor);
    ADD_FAILURE();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Auth);
    EXPECT_NE(std::string(e.what()).find("calsyncctl auth graph --source mail"), std::string::npos) << e.what();
  }
  EXPECT_EQ(signInStatus(spec(), now()).health, oauth::TokenHealth::Revoked);
  signIn();
  ChangeSet after = graph->pull(calendar_, window(), first.cursor);
  EXPECT_TRUE(after.removed.empty());
  ASSERT_EQ(after.upserts.size(), 1u);
  EXPECT_EQ(after.upserts[0].components[0].summary, "Meanwhile");
}

TEST_F(GraphConnectorTest, ClientCredentialsWithASecretOrACertificate) {
  server_.oauth().addClient("daemon-app", "daemon-secret");
  extra_ = {{"auth", "client_credentials"}, {"client_id", "daemon-app"}, {"client_secret", "daemon-secret"}, {"user", kUser}};
  EXPECT_EQ(connector()->listCalendars().size(), 2u);
  extra_["client_secret"] = "nope";
  EXPECT_EQ(errorKindOf([&] { connector()->listCalendars(); }), ErrorKind::Auth);

  const auto key = calsync::testing::generateRsaKey();
  const std::string cert = calsync::testing::selfSignedCertificate(key);
  server_.oauth().addCertificateClient("cert-app", cert);
  extra_ = {{"auth", "client_credentials"}, {"client_id", "cert-app"}, {"user", kUser},
            {"certificate_file", dir_.write("app.pem", cert + key.private_pem)}};
  EXPECT_EQ(connector()->listCalendars().size(), 2u);
  EXPECT_EQ(errorKindOf([&] { startDeviceSignIn(spec()); }), ErrorKind::Config) << "an app-only section has no sign-in";
}

TEST_F(GraphConnectorTest, AdoptsCopiesRenamesAndRecolorsAndDiscovers) {
  signIn();
  auto parsed = ical::parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:calsync-lost\r\n"
                            "DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:" + epochToUtc(now() + kDay).toIcalValue().substr(0, 8) +
                            "\r\nSUMMARY:All day copy\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  CalendarObject copy = parsed.objects.at(0);
  copy.origin = "calsync:x/y/z/lost";
  WriteResult written = connector()->apply(EventChange{EventChange::Kind::Create, calendar_, copy, ""});
  auto found = connector()->findByUid(calendar_, "calsync-lost");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->native_id, written.native_id);
  EXPECT_EQ(found->origin, copy.origin);
  EXPECT_TRUE(found->components[0].start.is_date);
  EXPECT_FALSE(connector()->findByUid(calendar_, "calsync-other").has_value());

  connector()->apply(CalendarChange{calendar_, std::string("Kalender"), std::string("#ff0000"), std::nullopt});
  EXPECT_EQ(server_.calendar(kUser, calendar_)->name, "Kalender");
  EXPECT_EQ(server_.calendar(kUser, calendar_)->color, "lightRed");
  EXPECT_EQ(errorKindOf([&] { connector()->apply(CalendarChange{shared_, std::string("x"), std::nullopt, std::nullopt}); }),
            ErrorKind::Permission);

  const ConnectorInfo* info = ConnectorRegistry::instance().find("graph");
  ASSERT_NE(info, nullptr);
  DiscoveryReport report = info->discover(spec());
  ASSERT_EQ(report.calendars.size(), 2u);
  EXPECT_EQ(report.calendars[0].section_name, "graph-kalender");
  EXPECT_EQ(report.calendars[0].account, kUser);
  EXPECT_EQ(report.calendars[0].settings.at("calendars"), calendar_);
  EXPECT_EQ(report.calendars[1].section_name, "graph-team-shared");
  EXPECT_EQ(report.calendars[1].reason, "read-only (shared with you)");
}

}  // namespace
}  // namespace calsync::graph
