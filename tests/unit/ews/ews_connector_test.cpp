// Reading through the EWS connector against the stateful test server: full and incremental
// reads, refused sync states, paging, long windows, sliding windows, calendars.
#include <algorithm>
#include <set>

#include "ews_fixture.h"
#include "ical/ical_codec.h"

namespace calsync::ews {
namespace {

using testing::ews::OccurrenceEdit;
using testing::ews::Pattern;

std::set<std::string> ids(const ChangeSet& changes) {
  std::set<std::string> out;
  for (const auto& o : changes.upserts) out.insert(o.native_id);
  return out;
}

class EwsReadTest : public EwsServerTest {};

TEST_F(EwsReadTest, FullReadMapsSeriesExceptionsAndListsWhatIsOutsideTheWindow) {
  const std::int64_t t = today();
  const std::string lunch = server_->createItem(calendar_, single("Lunch", t + 2 * kDay + 12 * kHour));
  ItemSpec series = single("Stand-up", t - 7 * kDay + 9 * kHour);
  series.time_zone = "Tokyo Standard Time";  // no DST: instants stay on whole days
  series.recurrence = Pattern{};
  series.recurrence->kind = Pattern::Kind::Daily;
  series.recurrence->range = Pattern::Range::Numbered;
  series.recurrence->count = 20;
  const std::string standup = server_->createItem(calendar_, series);
  server_->modifyOccurrence(standup, 9, OccurrenceEdit{"Stand-up (moved)", std::nullopt, "Room 2",
                                                       t + 1 * kDay + 14 * kHour, t + 1 * kDay + 15 * kHour});
  server_->deleteOccurrence(standup, 10);
  ItemSpec holiday = single("Betriebsausflug – Grüße 🎉", t + 3 * kDay, 24);
  holiday.all_day = true;
  server_->createItem(calendar_, holiday);
  const std::string old = server_->createItem(calendar_, single("Long ago", t - 400 * kDay));

  auto ews = connector();
  ChangeSet changes = ews->pull("calendar", window(-30, 90), "");
  EXPECT_TRUE(changes.complete);
  EXPECT_TRUE(changes.warnings.empty());
  ASSERT_EQ(changes.upserts.size(), 3u);
  ASSERT_EQ(changes.out_of_window, std::vector<std::string>{old});
  EXPECT_FALSE(changes.cursor.empty());

  const CalendarObject* s = bySummary(changes.upserts, "Stand-up");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->native_id, standup);
  EXPECT_EQ(s->etag, server_->item(standup)->change_key);
  ASSERT_EQ(s->components.size(), 2u);
  EXPECT_EQ(s->components[0].recurrence.rrule, "FREQ=DAILY;COUNT=20");
  EXPECT_EQ(s->components[0].start.tzid, "Asia/Tokyo");
  ASSERT_EQ(s->components[0].recurrence.exdates.size(), 1u);
  EXPECT_EQ(*s->components[0].recurrence.exdates[0].utc, t + 2 * kDay + 9 * kHour);
  EXPECT_EQ(s->components[1].summary, "Stand-up (moved)");
  EXPECT_EQ(s->components[1].location, "Room 2");
  EXPECT_EQ(*s->components[1].recurrence_id->utc, t + 1 * kDay + 9 * kHour);
  // The test server expands the pattern itself; the RRULE mapping must agree with it.
  auto occurrences = ical::expand(*s, Window{t - 30 * kDay, t + 90 * kDay});
  EXPECT_EQ(occurrences.size(), 19u);

  const CalendarObject* day = bySummary(changes.upserts, "Betriebsausflug – Grüße 🎉");
  ASSERT_NE(day, nullptr);
  EXPECT_TRUE(day->components[0].start.is_date);
  EXPECT_EQ(day->components[0].start.utc, t + 3 * kDay);
  EXPECT_NE(bySummary(changes.upserts, "Lunch"), nullptr);
  EXPECT_EQ(bySummary(changes.upserts, "Lunch")->native_id, lunch);
}

TEST_F(EwsReadTest, IncrementalReadReportsOnlyWhatChangedSinceTheSyncState) {
  const std::int64_t t = today();
  const std::string a = server_->createItem(calendar_, single("A", t + kDay));
  const std::string b = server_->createItem(calendar_, single("B", t + 2 * kDay));
  const std::string c = server_->createItem(calendar_, single("C", t + 3 * kDay));
  auto ews = connector();
  ChangeSet first = ews->pull("calendar", window(-30, 90), "");
  ASSERT_EQ(first.upserts.size(), 3u);

  ChangeSet quiet = ews->pull("calendar", window(-30, 90), first.cursor);
  EXPECT_FALSE(quiet.complete);
  EXPECT_TRUE(quiet.upserts.empty());
  EXPECT_TRUE(quiet.removed.empty());

  server_->updateItem(a, [](ItemSpec& spec) { spec.subject = "A (new room)"; });
  server_->deleteItem(b);
  const std::string d = server_->createItem(calendar_, single("D", t + 4 * kDay));
  ChangeSet delta = ews->pull("calendar", window(-30, 90), quiet.cursor);
  EXPECT_FALSE(delta.complete);
  EXPECT_EQ(ids(delta), (std::set<std::string>{a, d}));
  EXPECT_NE(bySummary(delta.upserts, "A (new room)"), nullptr);
  EXPECT_EQ(delta.removed, std::vector<std::string>{b});
  (void)c;
  // A user editing one occurrence changes the series: the whole series comes again.
  ItemSpec weekly = single("Weekly", t + 9 * kHour);
  weekly.recurrence = Pattern{};
  weekly.recurrence->days = {"Monday", "Thursday"};
  const std::string series = server_->createItem(calendar_, weekly);
  ChangeSet created = ews->pull("calendar", window(-30, 90), delta.cursor);
  ASSERT_EQ(ids(created), std::set<std::string>{series});
  OccurrenceEdit special;
  special.subject = "Weekly (special)";
  server_->modifyOccurrence(series, 3, special);
  ChangeSet edited = ews->pull("calendar", window(-30, 90), created.cursor);
  ASSERT_EQ(edited.upserts.size(), 1u);
  ASSERT_EQ(edited.upserts[0].components.size(), 2u);
  EXPECT_EQ(edited.upserts[0].components[1].summary, "Weekly (special)");
}

TEST_F(EwsReadTest, RefusedSyncStateRereadsEverythingAndLosesNothing) {
  const std::int64_t t = today();
  std::set<std::string> all;
  for (int i = 0; i < 5; ++i) all.insert(server_->createItem(calendar_, single("E" + std::to_string(i), t + i * kDay)));
  all.insert(server_->createItem(calendar_, single("Far", t + 500 * kDay)));
  auto ews = connector();
  ChangeSet first = ews->pull("calendar", window(-30, 90), "");

  server_->expireSyncStates();
  server_->deleteItem(*all.begin());
  all.erase(all.begin());
  ChangeSet again = ews->pull("calendar", window(-30, 90), first.cursor);
  // A full listing again: complete, and every item that exists is in it.
  EXPECT_TRUE(again.complete);
  EXPECT_TRUE(again.removed.empty());
  std::set<std::string> listed = ids(again);
  listed.insert(again.out_of_window.begin(), again.out_of_window.end());
  EXPECT_EQ(listed, all);
  // The new state works incrementally.
  ChangeSet next = ews->pull("calendar", window(-30, 90), again.cursor);
  EXPECT_FALSE(next.complete);
  EXPECT_EQ(server_->requestCount("SyncFolderItems"), 4u);
}

TEST_F(EwsReadTest, PagesThroughCalendarViewsAndSyncChanges) {
  const std::int64_t t = today();
  std::set<std::string> made;
  for (int i = 0; i < 7; ++i) made.insert(server_->createItem(calendar_, single("Spread " + std::to_string(i), t + i * kDay)));
  // More items at one instant than a page holds: paging by start time alone cannot move on.
  for (int i = 0; i < 5; ++i) made.insert(server_->createItem(calendar_, single("Same " + std::to_string(i), t + 10 * kDay)));
  EwsConfig c = config();
  c.view_page_size = 3;
  c.sync_page_size = 2;
  c.get_item_batch = 4;
  auto ews = connector(c);
  ChangeSet changes = ews->pull("calendar", window(-1, 30), "");
  EXPECT_EQ(ids(changes), made);
  EXPECT_GE(server_->requestCount("FindItem"), 4u);
  EXPECT_GE(server_->requestCount("SyncFolderItems"), 6u);
  EXPECT_GE(server_->requestCount("GetItem"), 3u);
}

TEST_F(EwsReadTest, ServerCappedPagesAreFollowedToo) {
  const std::int64_t t = today();
  for (int i = 0; i < 9; ++i) server_->createItem(calendar_, single("Item " + std::to_string(i), t + i * kHour));
  server_->setFindCountLimit(2);  // the server returns fewer than asked for, and says so
  auto ews = connector();
  EXPECT_EQ(ews->pull("calendar", window(-1, 2), "").upserts.size(), 9u);
}

TEST_F(EwsReadTest, WindowsLongerThanTwoYearsAreSplitIntoViewsExchangeAccepts) {
  const std::int64_t t = today();
  server_->createItem(calendar_, single("Year 1", t + 100 * kDay));
  server_->createItem(calendar_, single("Year 4", t + 1200 * kDay));
  auto ews = connector();
  ChangeSet changes = ews->pull("calendar", window(0, 1500), "");
  EXPECT_EQ(changes.upserts.size(), 2u);
  EXPECT_GE(server_->requestCount("FindItem"), 3u);
}

TEST_F(EwsReadTest, ASlidingWindowPicksUpUnchangedItemsItNowCovers) {
  const std::int64_t t = today();
  const std::string later = server_->createItem(calendar_, single("Later", t + 40 * kDay));
  auto ews = connector();
  ChangeSet first = ews->pull("calendar", window(0, 30), "");
  EXPECT_TRUE(first.upserts.empty());
  EXPECT_EQ(first.out_of_window, std::vector<std::string>{later});
  ChangeSet moved = ews->pull("calendar", window(10, 60), first.cursor);
  EXPECT_EQ(ids(moved), std::set<std::string>{later});
}

TEST_F(EwsReadTest, ListsTheDefaultCalendarFirstThenItsSubfoldersAndRenamesThem) {
  const std::string team = server_->createCalendarFolder("jdoe@example.com", calendar_, "Team Calendar");
  server_->createItem(team, single("Team event", today() + kDay));
  auto ews = connector();
  auto calendars = ews->listCalendars();
  ASSERT_EQ(calendars.size(), 2u);
  EXPECT_EQ(calendars[0].id, "calendar");
  EXPECT_EQ(calendars[0].name, "Calendar");
  EXPECT_EQ(calendars[1].id, team);
  EXPECT_EQ(calendars[1].name, "Team Calendar");
  EXPECT_TRUE(calendars[1].writable);
  EXPECT_EQ(ews->pull(team, window(-1, 30), "").upserts.size(), 1u);

  CalendarChange rename;
  rename.calendar = team;
  rename.name = "Team (renamed)";
  ews->apply(rename);
  EXPECT_EQ(server_->folderName(team), "Team (renamed)");
}

TEST_F(EwsReadTest, ReadsAnotherMailboxByDelegateAccessOnlyWhenGranted) {
  server_->addUser("boss", "pw", "boss@example.com");
  server_->createItem(server_->calendarFolderId("boss@example.com"), single("Board meeting", today() + kDay));
  EwsConfig c = config();
  c.mailbox = "boss@example.com";
  c.include_subfolders = false;
  auto ews = connector(c);
  try {
    ews->pull("calendar", window(-1, 30), "");
    ADD_FAILURE() << "read without delegate access";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Permission) << e.what();
  }
  server_->grantDelegate("boss@example.com", "jdoe@example.com");
  ChangeSet changes = ews->pull("calendar", window(-1, 30), "");
  ASSERT_EQ(changes.upserts.size(), 1u);
  EXPECT_EQ(changes.upserts[0].components[0].summary, "Board meeting");
}

TEST_F(EwsReadTest, DiscoveryOffersReadyToPasteSections) {
  server_->createCalendarFolder("jdoe@example.com", calendar_, "Team Calendar");
  server_->createItem(calendar_, single("One", today()));
  ConnectorSpec spec;
  spec.type = "ews";
  spec.settings = {{"url", server_->url()}, {"username", "jdoe"}, {"password", "s3cret"}, {"auth", "basic"}};
  const ConnectorInfo* info = ConnectorRegistry::instance().find("ews");
  ASSERT_NE(info, nullptr);
  ASSERT_TRUE(info->discover);
  DiscoveryReport report = info->discover(spec);
  ASSERT_EQ(report.calendars.size(), 2u);
  EXPECT_TRUE(report.notes.empty());
  const auto& first = report.calendars[0];
  EXPECT_EQ(first.section_name, "calendar");
  EXPECT_TRUE(first.suggested);
  EXPECT_EQ(first.event_count, std::optional<std::size_t>(1));
  EXPECT_EQ(first.settings.at("url"), server_->url());
  EXPECT_EQ(first.settings.at("calendars"), "calendar");
  EXPECT_EQ(first.settings.at("password"), "env:CALSYNC_EWS_PASSWORD");  // never the secret itself
  EXPECT_EQ(report.calendars[1].section_name, "team-calendar");
  EXPECT_FALSE(report.calendars[1].suggested);
  EXPECT_EQ(report.calendars[1].settings.at("calendars"), report.calendars[1].calendar.id);
}

}  // namespace
}  // namespace calsync::ews
