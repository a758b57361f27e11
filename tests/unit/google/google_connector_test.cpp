// The Google connector against the stateful Google test server: full and incremental pulls,
// 410 resyncs, paging, writes with etags, throttling, adoption of copies, token revocation.
#include <algorithm>
#include <set>

#include "core/hash.h"
#include "ical/zone_lookup.h"
#include "oauth/json_access.h"
#include "oauth/rfc3339.h"
#include "tests/support/error_kind.h"
#include "tests/unit/google/google_fixture.h"

namespace calsync::google::testing {
namespace {

using calsync::testing::errorKindOf;

constexpr std::int64_t kDay = 86400;

// The UTC date `days` from today, as YYYY-MM-DD.
std::string dayFromToday(int days) { return web::formatDate(epochToUtc(now() + days * kDay)); }

// 09:00 in Berlin on that day, as an instant.
std::int64_t berlinNine(int days) {
  DateTime wall = *web::parseDate(dayFromToday(days));
  wall.is_date = false;
  wall.hour = 9;
  wall.tzid = "Europe/Berlin";
  return *ical::instantOf(wall);
}

std::string weeklySeries(const std::string& summary, int first_day, int count) {
  return R"({"summary":")" + summary + R"(","start":{"dateTime":")" + dayFromToday(first_day) +
         R"(T09:00:00","timeZone":"Europe/Berlin"},"end":{"dateTime":")" + dayFromToday(first_day) +
         R"(T10:00:00","timeZone":"Europe/Berlin"},"recurrence":["RRULE:FREQ=WEEKLY;COUNT=)" + std::to_string(count) +
         R"("]})";
}

std::string timedEvent(const std::string& summary, int day, int hour) {
  auto at = [&](int h) { return dayFromToday(day) + "T" + (h < 10 ? "0" : "") + std::to_string(h) + ":00:00Z"; };
  return R"({"summary":")" + summary + R"(","start":{"dateTime":")" + at(hour) + R"("},"end":{"dateTime":")" +
         at(hour + 1) + R"("}})";
}

const CalendarObject* byNative(const ChangeSet& changes, const std::string& id) {
  for (const auto& o : changes.upserts) {
    if (o.native_id == id) return &o;
  }
  return nullptr;
}

const CalendarObject* bySummary(const ChangeSet& changes, const std::string& summary) {
  for (const auto& o : changes.upserts) {
    if (!o.components.empty() && o.components.front().summary == summary) return &o;
  }
  return nullptr;
}

std::size_t countRequests(const std::vector<calsync::testing::FakeRequest>& requests, const std::string& method,
                          const std::string& needle) {
  return static_cast<std::size_t>(std::count_if(requests.begin(), requests.end(), [&](const auto& r) {
    return r.method == method && r.target.find(needle) != std::string::npos;
  }));
}

class GoogleConnectorTest : public GoogleFixture {};

TEST_F(GoogleConnectorTest, FullPullReadsSeriesWithMovedAndCancelledInstancesAsOneObject) {
  signIn();
  const std::string series = server_.insertEvent(kCalendar, weeklySeries("Stand-up", -14, 6));
  server_.modifyInstance(kCalendar, series, web::formatUtc(berlinNine(-7)),
                         R"J({"summary":"Stand-up (moved)","start":{"dateTime":")J" + dayFromToday(-6) +
                             R"(T11:00:00+01:00"},"end":{"dateTime":")" + dayFromToday(-6) + R"(T12:00:00+01:00"}})");
  server_.cancelInstance(kCalendar, series, web::formatUtc(berlinNine(0)));
  const std::string holiday = server_.insertEvent(
      kCalendar, R"({"summary":"Betriebsausflug – Grüße aus Köln 🎉","start":{"date":")" + dayFromToday(3) +
                     R"("},"end":{"date":")" + dayFromToday(4) + R"("}})");

  auto google = connector();
  ChangeSet changes = google->pull(kCalendar, window(), "");
  EXPECT_TRUE(changes.complete);
  EXPECT_FALSE(changes.cursor.empty());
  ASSERT_EQ(changes.upserts.size(), 2u);
  EXPECT_TRUE(changes.removed.empty());

  const CalendarObject* standup = byNative(changes, series);
  ASSERT_NE(standup, nullptr);
  ASSERT_EQ(standup->components.size(), 2u) << "master plus the moved occurrence, not expanded instances";
  const Event& master = standup->components[0];
  EXPECT_EQ(master.recurrence.rrule, "FREQ=WEEKLY;COUNT=6");
  EXPECT_EQ(master.start.tzid, "Europe/Berlin");
  EXPECT_EQ(master.start.hour, 9);
  ASSERT_EQ(master.recurrence.exdates.size(), 1u) << "a cancelled instance is an EXDATE, not a deleted series";
  EXPECT_EQ(ical::instantOf(master.recurrence.exdates[0]), berlinNine(0));
  const Event& moved = standup->components[1];
  ASSERT_TRUE(moved.recurrence_id.has_value());
  EXPECT_EQ(ical::instantOf(*moved.recurrence_id), berlinNine(-7));
  EXPECT_EQ(moved.summary, "Stand-up (moved)");
  const DateTime moved_day = *web::parseDate(dayFromToday(-6));
  EXPECT_EQ(ical::instantOf(moved.start), civilToEpoch(moved_day.year, moved_day.month, moved_day.day, 10, 0, 0));
  EXPECT_EQ(standup->uid, standup->components[1].uid);

  const CalendarObject* trip = byNative(changes, holiday);
  ASSERT_NE(trip, nullptr);
  EXPECT_TRUE(trip->components[0].start.is_date);
  EXPECT_EQ(trip->components[0].summary, "Betriebsausflug – Grüße aus Köln 🎉");
  EXPECT_EQ(web::formatDate(trip->components[0].end), dayFromToday(4)) << "all-day end stays exclusive";

  // The occurrences land where Google shows them: six weekly, one cancelled, one moved.
  const auto occurrences = ical::expand(*standup, Window{now() - 60 * kDay, now() + 60 * kDay});
  EXPECT_EQ(occurrences.size(), 5u);
}

TEST_F(GoogleConnectorTest, IncrementalPullCarriesOnlyChangesAndPositiveDeletions) {
  signIn();
  const std::string series = server_.insertEvent(kCalendar, weeklySeries("Review", -7, 8));
  const std::string lunch = server_.insertEvent(kCalendar, timedEvent("Lunch", 1, 12));
  const std::string dentist = server_.insertEvent(kCalendar, timedEvent("Dentist", 2, 8));
  const std::string quiet = server_.insertEvent(kCalendar, timedEvent("Quiet", 3, 8));
  auto google = connector();
  ChangeSet first = google->pull(kCalendar, window(), "");
  ASSERT_EQ(first.upserts.size(), 4u);

  server_.patchEvent(kCalendar, lunch, R"({"summary":"Lunch with Ana"})");
  server_.deleteEvent(kCalendar, dentist);
  server_.cancelInstance(kCalendar, series, web::formatUtc(berlinNine(7)));
  const std::string added = server_.insertEvent(kCalendar, timedEvent("New", 4, 15));

  ChangeSet next = google->pull(kCalendar, window(), first.cursor);
  EXPECT_FALSE(next.complete) << "an incremental listing must not imply deletions by absence";
  EXPECT_EQ(next.removed, std::vector<std::string>{dentist});
  ASSERT_EQ(next.upserts.size(), 3u);
  EXPECT_EQ(byNative(next, quiet), nullptr) << "unchanged events are not sent again";
  ASSERT_NE(byNative(next, lunch), nullptr);
  EXPECT_EQ(byNative(next, lunch)->components[0].summary, "Lunch with Ana");
  ASSERT_NE(byNative(next, added), nullptr);
  // The cancelled instance comes back as the whole series with one more EXDATE.
  const CalendarObject* review = byNative(next, series);
  ASSERT_NE(review, nullptr);
  ASSERT_EQ(review->components.size(), 1u);
  ASSERT_EQ(review->components[0].recurrence.exdates.size(), 1u);
  EXPECT_EQ(ical::instantOf(review->components[0].recurrence.exdates[0]), berlinNine(7));
  EXPECT_NE(next.cursor, first.cursor);

  // Nothing changed: nothing comes back.
  ChangeSet idle = google->pull(kCalendar, window(), next.cursor);
  EXPECT_TRUE(idle.upserts.empty());
  EXPECT_TRUE(idle.removed.empty());
  // Incremental requests carry the token and no time filter.
  for (const auto& r : server_.requests()) {
    if (r.target.find("syncToken=") == std::string::npos) continue;
    EXPECT_EQ(r.target.find("timeMin"), std::string::npos) << r.target;
    EXPECT_EQ(r.target.find("timeMax"), std::string::npos) << r.target;
  }
}

TEST_F(GoogleConnectorTest, ExpiredSyncTokenMeansAFullListingThatDeletesNothingStillThere) {
  signIn();
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.insert(server_.insertEvent(kCalendar, timedEvent("E" + std::to_string(i), i, 9)));
  const std::string old = server_.insertEvent(kCalendar, timedEvent("Long ago", -200, 9));
  auto google = connector();
  ChangeSet first = google->pull(kCalendar, window(), "");
  EXPECT_EQ(first.upserts.size(), 5u);
  EXPECT_EQ(first.out_of_window, std::vector<std::string>{old}) << "outside the window, but it exists";

  server_.expireSyncTokens();
  const std::string gone = *ids.begin();
  server_.deleteEvent(kCalendar, gone);
  ChangeSet again = google->pull(kCalendar, window(), first.cursor);
  EXPECT_TRUE(again.complete) << "after 410 the listing is complete again";
  std::set<std::string> present(again.out_of_window.begin(), again.out_of_window.end());
  for (const auto& o : again.upserts) present.insert(o.native_id);
  for (const auto& id : ids) {
    if (id != gone) {
      EXPECT_TRUE(present.count(id)) << id << " still exists and must be listed";
    }
  }
  EXPECT_TRUE(present.count(old));
  EXPECT_FALSE(present.count(gone));
  for (const auto& id : again.removed) EXPECT_EQ(id, gone) << "only the deleted event may be reported removed";
  EXPECT_FALSE(again.cursor.empty());
  EXPECT_EQ(countRequests(server_.requests(), "GET", "syncToken="), 1u);
}

TEST_F(GoogleConnectorTest, FollowsEveryPageAndTakesTheSyncTokenFromTheLast) {
  signIn();
  server_.setMaxPageSize(2);
  for (int i = 0; i < 7; ++i) server_.insertEvent(kCalendar, timedEvent("P" + std::to_string(i), i, 9));
  auto google = connector();
  ChangeSet changes = google->pull(kCalendar, window(), "");
  EXPECT_EQ(changes.upserts.size(), 7u);
  EXPECT_EQ(countRequests(server_.requests(), "GET", "/events?"), 4u);
  ASSERT_FALSE(changes.cursor.empty());

  for (int i = 0; i < 3; ++i) server_.insertEvent(kCalendar, timedEvent("Q" + std::to_string(i), i, 14));
  ChangeSet next = google->pull(kCalendar, window(), changes.cursor);
  EXPECT_EQ(next.upserts.size(), 3u) << "an incremental listing over two pages";
  ChangeSet idle = google->pull(kCalendar, window(), next.cursor);
  EXPECT_TRUE(idle.upserts.empty());
}

TEST_F(GoogleConnectorTest, WritesCopiesWithoutAttendeesAndWithTheOriginMarker) {
  signIn();
  auto google = connector();
  CalendarObject copy = objectFromIcs(
      "BEGIN:VEVENT\r\nUID:calsync-0123abcd\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=America/New_York:" +
      web::formatDate(epochToUtc(now() + 2 * kDay)).replace(4, 1, "").replace(6, 1, "") +
      "T090000\r\nDTEND;TZID=America/New_York:" +
      web::formatDate(epochToUtc(now() + 2 * kDay)).replace(4, 1, "").replace(6, 1, "") +
      "T100000\r\nSUMMARY:Planning 📅\r\nORGANIZER:mailto:boss@example.com\r\n"
      "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:guest@example.com\r\nEND:VEVENT\r\n");
  copy.origin = "calsync:agent/work/cal/original-uid";
  EventChange create{EventChange::Kind::Create, kCalendar, copy, ""};
  WriteResult written = google->apply(create);
  EXPECT_EQ(written.native_id, eventIdForUid("calsync-0123abcd"));
  EXPECT_FALSE(written.etag.empty());

  auto stored = json::parseObject(*server_.eventJson(kCalendar, written.native_id), "stored");
  EXPECT_TRUE(json::objects(stored, "attendees").empty()) << "a copy must not invite anyone";
  auto properties = json::object(json::object(stored, "extendedProperties"), "private");
  EXPECT_EQ(json::text(properties, kOriginProperty), copy.origin);
  EXPECT_EQ(json::text(properties, kUidProperty), "calsync-0123abcd");
  EXPECT_EQ(json::text(json::object(stored, "start"), "timeZone"), "America/New_York");
  EXPECT_EQ(json::text(stored, "summary"), "Planning 📅");
  for (const auto& r : server_.requests()) {
    if (r.method == "POST" || r.method == "PATCH" || r.method == "PUT" || r.method == "DELETE") {
      if (r.target.find("/token") == 0) continue;
      EXPECT_NE(r.target.find("sendUpdates=none"), std::string::npos) << r.method << " " << r.target;
    }
  }
  EXPECT_EQ(server_.notifyingWrites(), 0);

  // Update with the current etag works; with a stale one it is a Conflict.
  CalendarObject changed = copy;
  changed.native_id = written.native_id;
  changed.components[0].summary = "Planning (moved room)";
  WriteResult updated = google->apply(EventChange{EventChange::Kind::Update, kCalendar, changed, written.etag});
  EXPECT_NE(updated.etag, written.etag);
  EXPECT_EQ(errorKindOf([&] { google->apply(EventChange{EventChange::Kind::Update, kCalendar, changed, written.etag}); }),
            ErrorKind::Conflict);
  EXPECT_EQ(json::text(json::parseObject(*server_.eventJson(kCalendar, written.native_id), "e"), "summary"),
            "Planning (moved room)");
  // A second create of the same UID is a Conflict, not a duplicate.
  EXPECT_EQ(errorKindOf([&] { google->apply(create); }), ErrorKind::Conflict);

  // Delete: stale etag refused, current one accepted, then NotFound.
  CalendarObject target;
  target.native_id = written.native_id;
  target.uid = copy.uid;
  EXPECT_EQ(errorKindOf([&] { google->apply(EventChange{EventChange::Kind::Delete, kCalendar, target, written.etag}); }),
            ErrorKind::Conflict);
  google->apply(EventChange{EventChange::Kind::Delete, kCalendar, target, updated.etag});
  EXPECT_TRUE(server_.liveEventIds(kCalendar).empty());
  EXPECT_EQ(errorKindOf([&] { google->apply(EventChange{EventChange::Kind::Delete, kCalendar, target, ""}); }),
            ErrorKind::NotFound);
}

TEST_F(GoogleConnectorTest, ARecurringCopyWritesOverridesOntoInstancesAndCancellationsAsExdates) {
  signIn();
  auto google = connector();
  const DateTime day = epochToUtc(now() - 7 * kDay);
  auto basic = [](const DateTime& d, int plus_days, const std::string& time) {
    DateTime x = epochToUtc(civilToEpoch(d.year, d.month, d.day, 0, 0, 0) + plus_days * kDay);
    x.is_date = true;
    return x.toIcalValue() + time;
  };
  CalendarObject series = objectFromIcs(
      "BEGIN:VEVENT\r\nUID:calsync-series-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:" +
      basic(day, 0, "T090000") + "\r\nDTEND;TZID=Europe/Berlin:" + basic(day, 0, "T100000") +
      "\r\nRRULE:FREQ=DAILY;COUNT=5\r\nSUMMARY:Daily\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:calsync-series-1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:" +
      basic(day, 1, "T090000") + "\r\nDTSTART;TZID=Europe/Berlin:" + basic(day, 1, "T140000") +
      "\r\nDTEND;TZID=Europe/Berlin:" + basic(day, 1, "T150000") + "\r\nSUMMARY:Daily (afternoon)\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:calsync-series-1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:" +
      basic(day, 2, "T090000") + "\r\nDTSTART;TZID=Europe/Berlin:" + basic(day, 2, "T090000") +
      "\r\nDTEND;TZID=Europe/Berlin:" + basic(day, 2, "T100000") + "\r\nSTATUS:CANCELLED\r\nSUMMARY:Daily\r\nEND:VEVENT\r\n");
  series.origin = "calsync:a/s/c/series";
  WriteResult written = google->apply(EventChange{EventChange::Kind::Create, kCalendar, series, ""});

  ChangeSet read = google->pull(kCalendar, Window{now() - 30 * kDay, now() + 30 * kDay}, "");
  const CalendarObject* back = byNative(read, written.native_id);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->uid, "calsync-series-1");
  EXPECT_EQ(back->origin, "calsync:a/s/c/series");
  EXPECT_EQ(back->etag, written.etag);
  ASSERT_EQ(back->components.size(), 2u);
  EXPECT_EQ(back->components[1].summary, "Daily (afternoon)");
  EXPECT_EQ(back->components[1].start.hour, 14);
  ASSERT_EQ(back->components[0].recurrence.exdates.size(), 1u);
  const auto occurrences = ical::expand(*back, Window{now() - 30 * kDay, now() + 30 * kDay});
  EXPECT_EQ(occurrences.size(), 4u);

  // The override goes away in the next version: the instance looks like the series again.
  CalendarObject plain = series;
  plain.native_id = written.native_id;
  plain.components.erase(plain.components.begin() + 1);
  google->apply(EventChange{EventChange::Kind::Update, kCalendar, plain, back->etag});
  ChangeSet reread = google->pull(kCalendar, Window{now() - 30 * kDay, now() + 30 * kDay}, "");
  const CalendarObject* after = byNative(reread, written.native_id);
  ASSERT_NE(after, nullptr);
  for (const auto& o : ical::expand(*after, Window{now() - 30 * kDay, now() + 30 * kDay})) {
    EXPECT_EQ(o.event->summary, "Daily");
    EXPECT_EQ(o.start.hour, 9);
  }
}

TEST_F(GoogleConnectorTest, AdoptsACopyWhoseMappingWasLostInsteadOfDuplicating) {
  signIn();
  CalendarObject copy = objectFromIcs("BEGIN:VEVENT\r\nUID:calsync-adopt-me\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" +
                                      epochToUtc(now() + kDay).toIcalValue() + "\r\nDTEND:" +
                                      epochToUtc(now() + kDay + 3600).toIcalValue() + "\r\nSUMMARY:Copy\r\nEND:VEVENT\r\n");
  copy.origin = "calsync:agent/src/cal/orig";
  WriteResult first = connector()->apply(EventChange{EventChange::Kind::Create, kCalendar, copy, ""});

  // A fresh connector (the writer's mapping is gone) finds the copy by UID, with its marker.
  auto found = connector()->findByUid(kCalendar, "calsync-adopt-me");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->native_id, first.native_id);
  EXPECT_EQ(found->origin, copy.origin);
  EXPECT_EQ(found->etag, first.etag);

  // An event someone else made with that iCalUID, and one carrying only our private UID
  // property (its id and iCalUID differ), are both found.
  server_.insertEvent(kCalendar, R"({"iCalUID":"foreign@example.com","summary":"x","start":{"date":")" +
                                     dayFromToday(5) + R"("},"end":{"date":")" + dayFromToday(6) + R"("}})");
  EXPECT_TRUE(connector()->findByUid(kCalendar, "foreign@example.com").has_value());
  server_.insertEvent(kCalendar, R"({"summary":"moved copy","extendedProperties":{"private":{"calsyncUid":"calsync-moved",)"
                                 R"("calsyncOrigin":"calsync:a/b/c/d"}},"start":{"date":")" +
                                     dayFromToday(5) + R"("},"end":{"date":")" + dayFromToday(6) + R"("}})");
  auto moved = connector()->findByUid(kCalendar, "calsync-moved");
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->origin, "calsync:a/b/c/d");
  EXPECT_FALSE(connector()->findByUid(kCalendar, "nobody").has_value());

  // The user deleted the copy in Google: creating it again brings the same event back.
  server_.deleteEvent(kCalendar, first.native_id);
  EXPECT_FALSE(connector()->findByUid(kCalendar, "calsync-adopt-me").has_value());
  WriteResult again = connector()->apply(EventChange{EventChange::Kind::Create, kCalendar, copy, ""});
  EXPECT_EQ(again.native_id, first.native_id);
  EXPECT_TRUE(connector()->findByUid(kCalendar, "calsync-adopt-me").has_value());
}

TEST_F(GoogleConnectorTest, UpdateOfAnEventDeletedMeanwhileIsNotFound) {
  signIn();
  const std::string id = server_.insertEvent(kCalendar, timedEvent("Soon gone", 1, 9));
  auto google = connector();
  ChangeSet read = google->pull(kCalendar, window(), "");
  ASSERT_EQ(read.upserts.size(), 1u);
  server_.deleteEvent(kCalendar, id);
  CalendarObject object = read.upserts[0];
  object.components[0].summary = "changed";
  EXPECT_EQ(errorKindOf([&] { google->apply(EventChange{EventChange::Kind::Update, kCalendar, object, object.etag}); }),
            ErrorKind::NotFound);
}

TEST_F(GoogleConnectorTest, ThrottledPagesAreRetriedWithinBoundsThenReportedWithRetryAfter) {
  signIn();
  server_.insertEvent(kCalendar, timedEvent("One", 1, 9));
  extra_settings_["retry_wait_max"] = "5";
  auto google = connector();
  std::vector<std::int64_t> waits;
  google->api().setSleeper([&](std::int64_t s) { waits.push_back(s); });
  server_.throttle(1, 429, "rateLimitExceeded", 2);
  ChangeSet changes = google->pull(kCalendar, window(), "");
  EXPECT_EQ(changes.upserts.size(), 1u);
  EXPECT_EQ(waits, std::vector<std::int64_t>{2000}) << "Retry-After is honoured";

  // Longer than retry_wait_max: the pull ends with Throttled and the server's wait.
  server_.throttle(10, 429, "rateLimitExceeded", 120);
  try {
    google->pull(kCalendar, window(), changes.cursor);
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Throttled);
    EXPECT_EQ(e.retryAfterSeconds(), 120);
  }
  // 403 userRateLimitExceeded is throttling too (not a permission problem).
  server_.throttle(10, 403, "userRateLimitExceeded", -1);
  waits.clear();
  try {
    google->pull(kCalendar, window(), changes.cursor);
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Throttled);
    EXPECT_GT(e.retryAfterSeconds(), 0);
  }
  // Bounded retries with growing, jittered waits: 1 s and 2 s, each spread over +-50 %.
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_GE(waits[0], 500);
  EXPECT_LT(waits[0], 1500);
  EXPECT_GE(waits[1], 1000);
  EXPECT_LT(waits[1], 3000);
  server_.throttle(0);
}

TEST_F(GoogleConnectorTest, RevokedSignInIsAnActionableAuthErrorAndRecoversAfterANewSignIn) {
  signIn();
  const std::string keep = server_.insertEvent(kCalendar, timedEvent("Keep me", 1, 9));
  auto google = connector();
  ChangeSet first = google->pull(kCalendar, window(), "");
  ASSERT_EQ(first.upserts.size(), 1u);

  server_.oauth().revokeRefreshTokens();
  server_.insertEvent(kCalendar, timedEvent("Made meanwhile", 2, 9));
  try {
    google->pull(kCalendar, window(), first.cursor);
    ADD_FAILURE() << "a revoked sign-in must fail the pull";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Auth);
    const std::string message = e.what();
    EXPECT_NE(message.find("invalid_grant"), std::string::npos) << message;
    EXPECT_NE(message.find("calsyncctl auth google --source work"), std::string::npos) << message;
  }
  EXPECT_EQ(signInStatus(spec(), now()).health, oauth::TokenHealth::Revoked);
  EXPECT_EQ(google->tokenHealth(), oauth::TokenHealth::Revoked);
  const int refreshes = server_.oauth().refreshGrants();
  EXPECT_EQ(errorKindOf([&] { google->pull(kCalendar, window(), first.cursor); }), ErrorKind::Auth);
  EXPECT_EQ(server_.oauth().refreshGrants(), refreshes) << "a known-revoked token is not retried against Google";

  signIn();
  ChangeSet recovered = google->pull(kCalendar, window(), first.cursor);
  EXPECT_TRUE(recovered.removed.empty());
  EXPECT_EQ(recovered.upserts.size(), 1u) << "the change made while signed out arrives";
  EXPECT_EQ(bySummary(recovered, "Made meanwhile") != nullptr, true);
  EXPECT_EQ(std::find(recovered.removed.begin(), recovered.removed.end(), keep), recovered.removed.end());
  EXPECT_EQ(google->tokenHealth(), oauth::TokenHealth::Ok);
}

TEST_F(GoogleConnectorTest, ExpiredAccessTokenIsRefreshedTransparently) {
  signIn();
  server_.insertEvent(kCalendar, timedEvent("One", 1, 9));
  auto google = connector();
  ASSERT_EQ(google->pull(kCalendar, window(), "").upserts.size(), 1u);
  const int refreshes = server_.oauth().refreshGrants();
  server_.oauth().expireAccessTokens();
  EXPECT_EQ(google->pull(kCalendar, window(), "").upserts.size(), 1u);
  EXPECT_EQ(server_.oauth().refreshGrants(), refreshes + 1);
}

TEST_F(GoogleConnectorTest, ListsCalendarsAndRenamesAndRecolorsThem) {
  signIn();
  auto google = connector();
  auto calendars = google->listCalendars();
  ASSERT_EQ(calendars.size(), 2u);
  EXPECT_EQ(calendars[0].id, kCalendar);
  EXPECT_TRUE(calendars[0].writable);
  EXPECT_EQ(calendars[1].name, "Team Ünïcode");
  EXPECT_FALSE(calendars[1].writable);

  google->apply(CalendarChange{kCalendar, std::string("Arbeit"), std::string("#112233"), std::nullopt});
  auto state = server_.calendar(kCalendar);
  EXPECT_EQ(state->summary, "Arbeit");
  EXPECT_EQ(state->background, "#112233");
  EXPECT_EQ(state->foreground, "#ffffff");
  EXPECT_EQ(google->listCalendars()[0].name, "Arbeit");
  EXPECT_EQ(errorKindOf([&] {
              google->apply(CalendarChange{"team@group.calendar.google.com", std::string("x"), std::nullopt, std::nullopt});
            }),
            ErrorKind::Permission);
}

TEST_F(GoogleConnectorTest, DiscoveryProposesSectionsForEachCalendar) {
  signIn();
  const ConnectorInfo* info = ConnectorRegistry::instance().find("google");
  ASSERT_NE(info, nullptr);
  ASSERT_TRUE(info->discover);
  DiscoveryReport report = info->discover(spec());
  ASSERT_EQ(report.calendars.size(), 2u);
  EXPECT_EQ(report.calendars[0].section_name, "google-work");
  EXPECT_EQ(report.calendars[0].settings.at("calendars"), kCalendar);
  EXPECT_EQ(report.calendars[0].settings.at("client_id"), "client-1");
  EXPECT_EQ(report.calendars[0].settings.count("client_secret"), 0u) << "no secrets in suggested snippets";
  EXPECT_EQ(report.calendars[1].section_name, "google-team-n-code");
  EXPECT_TRUE(report.calendars[0].suggested);
}

}  // namespace
}  // namespace calsync::google::testing
