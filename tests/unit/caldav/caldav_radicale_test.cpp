// The CalDAV connector against a real server (Radicale).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "caldav/caldav_connector.h"
#include "caldav/sync_cursor.h"
#include "core/hash.h"
#include "core/registry.h"
#include "net/http_client.h"
#include "tests/support/error_kind.h"
#include "tests/support/radicale_server.h"
#include "tests/unit/caldav/test_events.h"

namespace calsync::caldav {
namespace {

using calsync::testing::errorKindOf;

using namespace calsync::caldav::testing;

class CaldavRadicale : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<calsync::testing::RadicaleServer>();
    calendar_url_ = server_->makeCalendar("alice", "work");
    connector_ = makeConnector(calendar_url_);
    calendar_ = "/alice/work/";
  }

  std::unique_ptr<CaldavConnector> makeConnector(const std::string& url, bool use_sync = true) {
    CaldavConfig config;
    config.url = url;
    config.username = "alice";
    config.password = "anything";
    config.timeout_seconds = 10;
    config.use_sync_collection = use_sync;
    config.multiget_batch = 2;  // several batches even for small test calendars
    return std::make_unique<CaldavConnector>(config);
  }

  WriteResult create(const CalendarObject& object) {
    EventChange change;
    change.kind = EventChange::Kind::Create;
    change.calendar = calendar_;
    change.object = object;
    return connector_->apply(change);
  }

  WriteResult update(CalendarObject object, const WriteResult& where, const std::string& if_match) {
    EventChange change;
    change.kind = EventChange::Kind::Update;
    change.calendar = calendar_;
    object.native_id = where.native_id;
    change.object = object;
    change.if_match = if_match;
    return connector_->apply(change);
  }

  void remove(const WriteResult& where, const std::string& if_match) {
    EventChange change;
    change.kind = EventChange::Kind::Delete;
    change.calendar = calendar_;
    change.object.native_id = where.native_id;
    change.if_match = if_match;
    connector_->apply(change);
  }

  static const CalendarObject* byUid(const ChangeSet& changes, const std::string& uid) {
    for (const auto& object : changes.upserts) {
      if (object.uid == uid) return &object;
    }
    return nullptr;
  }

  std::unique_ptr<calsync::testing::RadicaleServer> server_;
  std::string calendar_url_;
  std::string calendar_;
  std::unique_ptr<CaldavConnector> connector_;
};

TEST_F(CaldavRadicale, ListsCalendarsUnderAHomeUrl) {
  server_->makeCalendar("alice", "home");
  auto calendars = makeConnector(server_->baseUrl() + "/alice/")->listCalendars();
  std::vector<std::string> ids;
  for (const auto& calendar : calendars) ids.push_back(calendar.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"/alice/home/", "/alice/work/"}));
  for (const auto& calendar : calendars) {
    EXPECT_EQ(calendar.name, calendar.id == "/alice/home/" ? "home" : "work");
    EXPECT_TRUE(calendar.writable);
  }
}

TEST_F(CaldavRadicale, ListsTheOneCalendarOfACollectionUrl) {
  server_->makeCalendar("alice", "home");
  auto calendars = connector_->listCalendars();
  ASSERT_EQ(calendars.size(), 1u);
  EXPECT_EQ(calendars[0].id, "/alice/work/");
  EXPECT_EQ(calendars[0].name, "work");
}

TEST_F(CaldavRadicale, CreateUpdateDeleteWithEtags) {
  auto created = create(singleEvent("ev-1", "Planning"));
  EXPECT_EQ(created.native_id, "/alice/work/ev-1.ics");
  ASSERT_FALSE(created.etag.empty());

  auto found = connector_->findByUid(calendar_, "ev-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->components.at(0).summary, "Planning");
  EXPECT_EQ(found->etag, created.etag);

  auto updated = update(singleEvent("ev-1", "Planning (moved)", 11), created, created.etag);
  EXPECT_EQ(updated.native_id, created.native_id);
  ASSERT_FALSE(updated.etag.empty());
  EXPECT_NE(updated.etag, created.etag);
  found = connector_->findByUid(calendar_, "ev-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->components.at(0).summary, "Planning (moved)");

  remove(updated, updated.etag);
  EXPECT_FALSE(connector_->findByUid(calendar_, "ev-1"));
}

TEST_F(CaldavRadicale, StaleEtagIsAConflict) {
  auto created = create(singleEvent("ev-1", "One"));
  auto updated = update(singleEvent("ev-1", "Two"), created, created.etag);
  EXPECT_EQ(errorKindOf([&] { update(singleEvent("ev-1", "Three"), created, created.etag); }), ErrorKind::Conflict);
  EXPECT_EQ(errorKindOf([&] { remove(created, created.etag); }), ErrorKind::Conflict);
  // The stale writes changed nothing.
  auto found = connector_->findByUid(calendar_, "ev-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->components.at(0).summary, "Two");
  EXPECT_EQ(found->etag, updated.etag);
}

TEST_F(CaldavRadicale, CreatingTwiceIsAConflict) {
  create(singleEvent("ev-1", "First"));
  EXPECT_EQ(errorKindOf([&] { create(singleEvent("ev-1", "Second")); }), ErrorKind::Conflict);
  auto found = connector_->findByUid(calendar_, "ev-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->components.at(0).summary, "First");
}

TEST_F(CaldavRadicale, WritesToAMissingResourceAreNotFound) {
  WriteResult ghost{"/alice/work/ghost.ics", ""};
  EXPECT_EQ(errorKindOf([&] { remove(ghost, ""); }), ErrorKind::NotFound);
}

TEST_F(CaldavRadicale, FindByUidSearchesWhenTheResourceHasAnotherName) {
  net::HttpOptions options;
  options.username = "alice";
  net::HttpClient http(options);
  net::HttpRequest put;
  put.method = "PUT";
  put.url = calendar_url_ + "written-by-someone-else.ics";
  put.headers = {{"Content-Type", "text/calendar; charset=utf-8"}};
  put.body = icalText("foreign-uid", "Foreign");
  ASSERT_EQ(http.send(put).status, 201);

  auto found = connector_->findByUid(calendar_, "foreign-uid");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->native_id, "/alice/work/written-by-someone-else.ics");
  EXPECT_FALSE(found->etag.empty());
  EXPECT_EQ(found->components.at(0).summary, "Foreign");
  EXPECT_FALSE(connector_->findByUid(calendar_, "foreign"));  // no substring matches
  EXPECT_FALSE(connector_->findByUid(calendar_, "nobody"));
}

TEST_F(CaldavRadicale, InitialSyncThenIncrementalChanges) {
  auto first = create(singleEvent("a", "A"));
  auto second = create(singleEvent("b", "B"));
  create(singleEvent("c", "C"));

  auto initial = connector_->pull(calendar_, year2026(), "");
  EXPECT_TRUE(initial.complete);
  EXPECT_EQ(initial.upserts.size(), 3u);
  EXPECT_TRUE(initial.removed.empty());
  EXPECT_TRUE(initial.warnings.empty());
  const CalendarObject* a = byUid(initial, "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->native_id, first.native_id);
  EXPECT_EQ(a->etag, first.etag);
  auto cursor = SyncCursor::decode(initial.cursor);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->mode, SyncCursor::Mode::SyncToken);

  auto unchanged = connector_->pull(calendar_, year2026(), initial.cursor);
  EXPECT_FALSE(unchanged.complete);
  EXPECT_TRUE(unchanged.upserts.empty());
  EXPECT_TRUE(unchanged.removed.empty());

  create(singleEvent("d", "D"));
  update(singleEvent("a", "A changed"), first, first.etag);
  remove(second, second.etag);
  auto changes = connector_->pull(calendar_, year2026(), unchanged.cursor);
  EXPECT_FALSE(changes.complete);
  std::vector<std::string> uids;
  for (const auto& object : changes.upserts) uids.push_back(object.uid);
  std::sort(uids.begin(), uids.end());
  EXPECT_EQ(uids, (std::vector<std::string>{"a", "d"}));
  ASSERT_NE(byUid(changes, "a"), nullptr);
  EXPECT_EQ(byUid(changes, "a")->components.at(0).summary, "A changed");
  EXPECT_EQ(changes.removed, (std::vector<std::string>{second.native_id}));
}

TEST_F(CaldavRadicale, InvalidSyncTokenGivesACompleteListing) {
  create(singleEvent("a", "A"));
  create(singleEvent("b", "B"));
  SyncCursor bogus;
  bogus.mode = SyncCursor::Mode::SyncToken;
  bogus.token = "http://radicale.org/ns/sync/0000000000000000000000000000000000000000";
  auto changes = connector_->pull(calendar_, year2026(), bogus.encode());
  EXPECT_TRUE(changes.complete);
  EXPECT_EQ(changes.upserts.size(), 2u);
  auto cursor = SyncCursor::decode(changes.cursor);
  ASSERT_TRUE(cursor);
  EXPECT_NE(cursor->token, bogus.token);
}

TEST_F(CaldavRadicale, EtagListingWhenSyncCollectionIsNotUsed) {
  auto etag_connector = makeConnector(calendar_url_, /*use_sync=*/false);
  auto first = create(singleEvent("a", "A"));
  auto second = create(singleEvent("b", "B"));
  create(singleEvent("c", "C"));

  auto initial = etag_connector->pull(calendar_, year2026(), "");
  EXPECT_TRUE(initial.complete);
  EXPECT_EQ(initial.upserts.size(), 3u);
  auto cursor = SyncCursor::decode(initial.cursor);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->mode, SyncCursor::Mode::Etags);
  EXPECT_EQ(cursor->etags.size(), 3u);

  update(singleEvent("a", "A changed"), first, first.etag);
  remove(second, second.etag);
  create(singleEvent("d", "D"));
  auto changes = etag_connector->pull(calendar_, year2026(), initial.cursor);
  EXPECT_FALSE(changes.complete);
  std::vector<std::string> uids;
  for (const auto& object : changes.upserts) uids.push_back(object.uid);
  std::sort(uids.begin(), uids.end());
  EXPECT_EQ(uids, (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(changes.removed, (std::vector<std::string>{second.native_id}));

  // A cursor in ETag mode keeps the mode even for a connector that would use sync-collection.
  auto again = connector_->pull(calendar_, year2026(), changes.cursor);
  EXPECT_TRUE(again.upserts.empty());
  EXPECT_TRUE(again.removed.empty());
}

TEST_F(CaldavRadicale, RecurringEventWithOverridesIsOneResource) {
  CalendarObject series = singleEvent("series-1", "Standup");
  series.components[0].recurrence.rrule = "FREQ=DAILY;COUNT=5";
  Event moved = series.components[0];
  moved.recurrence.rrule.clear();
  moved.recurrence_id = utc(2026, 3, 12, 9);
  moved.start = utc(2026, 3, 12, 14);
  moved.end = utc(2026, 3, 12, 15);
  moved.summary = "Standup (afternoon)";
  series.components.push_back(moved);
  auto created = create(series);

  auto changes = connector_->pull(calendar_, year2026(), "");
  ASSERT_EQ(changes.upserts.size(), 1u);
  const auto& read = changes.upserts[0];
  EXPECT_EQ(read.native_id, created.native_id);
  ASSERT_EQ(read.components.size(), 2u);
  EXPECT_EQ(read.components[0].recurrence.rrule, "FREQ=DAILY;COUNT=5");
  ASSERT_TRUE(read.components[1].recurrence_id);
  EXPECT_TRUE(read.components[1].recurrence_id->sameValue(utc(2026, 3, 12, 9)));
  EXPECT_EQ(read.components[1].summary, "Standup (afternoon)");
  EXPECT_EQ(contentHash(read), contentHash(series));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(server_->storageDir() + "/collection-root/alice/work")) {
    if (entry.path().extension() == ".ics") ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(CaldavRadicale, NonAsciiTextAndUidsRoundTrip) {
  const std::string uid = "r\xc3\xa9union/1 @ caf\xc3\xa9+x";
  const std::string summary = "R\xc3\xa9union \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x8e\x89";
  auto created = create(singleEvent(uid, summary));
  auto changes = connector_->pull(calendar_, year2026(), "");
  ASSERT_EQ(changes.upserts.size(), 1u);
  EXPECT_EQ(changes.upserts[0].uid, uid);
  EXPECT_EQ(changes.upserts[0].components.at(0).summary, summary);
  EXPECT_EQ(changes.upserts[0].native_id, created.native_id);
  auto found = connector_->findByUid(calendar_, uid);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->native_id, created.native_id);
  auto updated = update(singleEvent(uid, summary + "!"), created, created.etag);
  EXPECT_EQ(updated.native_id, created.native_id);
}

TEST_F(CaldavRadicale, ProppatchChangesAreVisibleInTheListing) {
  CalendarChange change;
  change.calendar = calendar_;
  change.name = "Work \xe2\x80\x94 shared & <synced>";
  change.color = "#336699FF";
  change.description = "All the meetings";
  connector_->apply(change);
  auto calendars = connector_->listCalendars();
  ASSERT_EQ(calendars.size(), 1u);
  EXPECT_EQ(calendars[0].name, *change.name);
  EXPECT_EQ(calendars[0].color, *change.color);
  EXPECT_EQ(calendars[0].description, *change.description);
}

TEST(CaldavRegistration, RegistersAsADestinationCapableType) {
  auto keys = caldavKeys();
  const ConnectorInfo* info = ConnectorRegistry::instance().find("caldav");
  ASSERT_NE(info, nullptr);
  EXPECT_TRUE(info->can_be_destination);
  EXPECT_EQ(info->keys.size(), keys.size());
  auto url = std::find_if(keys.begin(), keys.end(), [](const KeySpec& k) { return k.key == "url"; });
  ASSERT_NE(url, keys.end());
  EXPECT_TRUE(url->required);
  ConnectorSpec spec;
  spec.name = "destination";
  spec.type = "caldav";
  spec.settings = {{"url", "not a url"}};
  try {
    ConnectorRegistry::instance().create(spec);
    ADD_FAILURE() << "a bad URL was accepted";
  } catch (const ConnectorError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Config);
  }
  spec.settings = {{"url", "https://dav.example/cal/"}, {"timeout", "30"}, {"verify_tls", "false"}};
  auto connector = ConnectorRegistry::instance().create(spec);
  ASSERT_NE(connector, nullptr);
  EXPECT_TRUE(connector->capabilities().incremental);
  EXPECT_TRUE(connector->capabilities().write_events);
}

}  // namespace
}  // namespace calsync::caldav
