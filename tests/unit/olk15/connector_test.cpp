// The olk15 connector over a synthetic profile: calendars, full and incremental pulls,
// broken files, deletions, and the state kept between pulls.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <utime.h>

#include <fstream>

#include "core/errors.h"
#include "olk15/olk15_connector.h"
#include "olk15_test_support.h"
#include "tests/support/error_kind.h"

namespace calsync::olk15 {
namespace {

using namespace test;
using calsync::testing::errorKindOf;

const std::string kWork = "folder-101";

std::vector<std::string> uidsOf(const ChangeSet& c) {
  std::vector<std::string> out;
  for (const auto& o : c.upserts) out.push_back(o.native_id);
  std::sort(out.begin(), out.end());
  return out;
}

// Rewrites a file keeping its size and mtime: a pull that reads it again would notice.
void scrambleKeepingStamp(const std::filesystem::path& file) {
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  std::string garbage(static_cast<std::size_t>(st.st_size), 'x');
  std::ofstream(file, std::ios::binary | std::ios::trunc) << garbage;
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
}

TEST(Olk15Connector, CalendarsAreFoldersHoldingEventsNamedByAccount) {
  SampleStore store;
  Olk15Connector connector(store.options());
  const auto calendars = connector.listCalendars();
  std::map<std::string, std::string> names;
  for (const auto& c : calendars) {
    names[c.id] = c.name;
    EXPECT_FALSE(c.writable);
  }
  const std::map<std::string, std::string> expected{{"folder-101", "jdoe@example.com"},
                                                    {"folder-201", "jane.private@mail.example.net"},
                                                    {"folder-202", "jane.private@mail.example.net / Birthdays"},
                                                    {"folder-301", "On My Computer"}};
  EXPECT_EQ(names, expected);  // Deleted Items (folder 109) is not a calendar
  EXPECT_EQ(connector.lastListingSource(), ListingSource::Index);
  EXPECT_EQ(errorKindOf([&] { connector.pull("folder-109", store.window(), ""); }), ErrorKind::NotFound);
}

TEST(Olk15Connector, FirstPullIsACompleteListing) {
  SampleStore store;
  Olk15Connector connector(store.options());
  const ChangeSet c = connector.pull(kWork, store.window(), "");
  EXPECT_TRUE(c.complete);
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_TRUE(c.removed.empty());
  std::vector<std::string> expected;
  for (const char* n : {"meeting", "allday", "series", "custom", "tokyo", "norule"}) expected.push_back(store.events.at(n).uid);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(uidsOf(c), expected);
  EXPECT_EQ(c.out_of_window, std::vector<std::string>{store.events.at("old").uid});
  const CalendarObject* series = objectWithUid(c, store.events.at("series").uid);
  ASSERT_NE(series, nullptr);
  EXPECT_EQ(series->components.size(), 3u);
  EXPECT_EQ(objectWithUid(c, store.events.at("norule").uid)->components.size(), 2u);
  EXPECT_FALSE(c.cursor.empty());
}

TEST(Olk15Connector, AnUnchangedStoreReadsNoFileAndKeepsItsCursor) {
  SampleStore store;
  Olk15Connector connector(store.options());
  const ChangeSet first = connector.pull(kWork, store.window(), "");
  // Same size, same mtime, different bytes: only a pull that reads the file would notice.
  scrambleKeepingStamp(store.profile.dataDir() / store.path("meeting"));
  const ChangeSet second = connector.pull(kWork, store.window(), first.cursor);
  EXPECT_TRUE(second.upserts.empty());
  EXPECT_TRUE(second.removed.empty());
  EXPECT_TRUE(second.out_of_window.empty());
  EXPECT_TRUE(second.warnings.empty());
  EXPECT_FALSE(second.complete);
  EXPECT_EQ(second.cursor, first.cursor);
}

TEST(Olk15Connector, AChangedEventIsTheOnlyUpsert) {
  SampleStore store;
  Olk15Connector connector(store.options());
  const ChangeSet first = connector.pull(kWork, store.window(), "");
  fx::EventSpec allday = store.events.at("allday");
  allday.subject = "Company offsite (moved room)";
  allday.mod_date += 100;
  store.profile.putEvent(allday);
  const ChangeSet second = connector.pull(kWork, store.window(), first.cursor);
  ASSERT_EQ(second.upserts.size(), 1u);
  EXPECT_EQ(second.upserts[0].components[0].summary, "Company offsite (moved room)");
  EXPECT_TRUE(second.removed.empty());
  EXPECT_NE(second.cursor, first.cursor);
  // Changing one occurrence re-sends its whole series.
  fx::EventSpec moved = store.events.at("moved");
  moved.subject = "Team sync (moved again)";
  moved.mod_date += 100;
  store.profile.putEvent(moved);
  const ChangeSet third = connector.pull(kWork, store.window(), second.cursor);
  ASSERT_EQ(third.upserts.size(), 1u);
  EXPECT_EQ(third.upserts[0].components.size(), 3u);
}

TEST(Olk15Connector, DeletedEventsAreReportedAsRemoved) {
  SampleStore store;
  Olk15Connector connector(store.options());
  const ChangeSet first = connector.pull(kWork, store.window(), "");
  store.profile.removeEvent(1002);  // allday
  store.profile.removeEvent(1005);  // one modified occurrence: the series changes, it is not gone
  const ChangeSet second = connector.pull(kWork, store.window(), first.cursor);
  EXPECT_EQ(second.removed, std::vector<std::string>{store.events.at("allday").uid});
  ASSERT_EQ(second.upserts.size(), 1u);
  EXPECT_EQ(second.upserts[0].uid, store.events.at("series").uid);
  EXPECT_EQ(second.upserts[0].components.size(), 2u);
}

TEST(Olk15Connector, BrokenFilesAreSkippedWithAWarningAndNothingElseIsAffected) {
  SampleStore store;
  const std::string good = fx::encodeEventFile(store.events.at("meeting"));
  std::string wrong_class = good;
  wrong_class[0x10] = 3;
  std::string wrong_magic = good;
  wrong_magic[0] = 0;
  const std::map<std::string, std::pair<std::string, std::string>> damage{
      {"meeting", {good.substr(0, good.size() / 2), "size mismatch"}},
      {"allday", {wrong_magic, "wrong magic"}},
      {"tokyo", {good + "trailing", "size mismatch"}},
      {"custom", {wrong_class, "record class 3"}}};
  for (const auto& [name, d] : damage) store.profile.writeFile(store.path(name), d.first);
  // A row whose file is gone, and rows whose PathToDataFile points outside Data/.
  fx::EventSpec missing = store.events.at("personal");
  missing.folder_id = 101;
  missing.record_id = 1100;
  missing.uid = "missing@x";
  store.profile.putEvent(missing);
  store.profile.removeFile(store.profile.relativePathOf(missing));
  int id = 1200;
  for (const std::string traversal : {"Events/../../../../etc/passwd.olk15Event", "%2E%2E/%2E%2E/x.olk15Event",
                                      "/etc/hosts.olk15Event", "Events/1/x.txt"}) {
    fx::EventSpec evil = store.events.at("old");
    evil.record_id = id++;
    evil.uid = "evil-" + std::to_string(evil.record_id);
    evil.path_to_data_file = traversal;
    store.profile.putEvent(evil);
  }

  LogCapture log;
  Olk15Connector connector(store.options());
  const ChangeSet c = connector.pull(kWork, store.window(), "");
  EXPECT_FALSE(c.complete);  // a listing with holes may not imply deletions
  std::map<std::string, std::string> warnings;
  for (const auto& w : c.warnings) warnings[w.where] = w.message;
  for (const auto& [name, d] : damage) {
    ASSERT_TRUE(warnings.count(store.path(name))) << name;
    EXPECT_NE(warnings[store.path(name)].find(d.second), std::string::npos) << warnings[store.path(name)];
  }
  EXPECT_NE(warnings[store.profile.relativePathOf(missing)].find("missing"), std::string::npos);
  int refused = 0;
  for (const auto& w : c.warnings) {
    if (w.message.find("PathToDataFile") != std::string::npos) ++refused;
  }
  EXPECT_EQ(refused, 4);
  // Everything else is there.
  std::vector<std::string> expected{store.events.at("series").uid, store.events.at("norule").uid};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(uidsOf(c), expected);
  // Warnings name files, never event content.
  for (const auto& line : log.atOrAbove(log::Level::Warning)) {
    EXPECT_EQ(line.find("Quarterly"), std::string::npos) << line;
  }
}

TEST(Olk15Connector, ACalendarWhoseLastEventIsDeletedStaysToReportIt) {
  SampleStore store;
  Olk15Connector connector(store.options());
  connector.listCalendars();
  const ChangeSet first = connector.pull("folder-202", store.window(), "");
  ASSERT_EQ(first.upserts.size(), 1u);
  store.profile.removeEvent(2002);  // the only event of "Birthdays" (not an account Calendar folder)
  const auto calendars = connector.listCalendars();
  EXPECT_TRUE(std::any_of(calendars.begin(), calendars.end(), [](const Calendar& c) { return c.id == "folder-202"; }));
  const ChangeSet second = connector.pull("folder-202", store.window(), first.cursor);
  EXPECT_EQ(second.removed, std::vector<std::string>{store.events.at("birthday").uid});
  // A folder that never held events is no calendar, unless it is an account's Calendar folder.
  store.profile.addFolder(500, "Empty project", 0, 0);
  store.profile.addFolder(501, "Calendar", 4, 0);
  bool project = false, calendar = false;
  for (const auto& c : connector.listCalendars()) {
    project = project || c.id == "folder-500";
    calendar = calendar || c.id == "folder-501";
  }
  EXPECT_FALSE(project);
  EXPECT_TRUE(calendar);
}

TEST(Olk15Connector, AFileThatBreaksIsNeitherUpdatedNorRemovedUntilItIsReadable) {
  SampleStore store;
  Olk15Connector connector(store.options());
  const ChangeSet first = connector.pull(kWork, store.window(), "");
  const std::string good = fx::encodeEventFile(store.events.at("meeting"));
  store.profile.writeFile(store.path("meeting"), good.substr(0, 100));  // mid-write
  const ChangeSet second = connector.pull(kWork, store.window(), first.cursor);
  EXPECT_TRUE(second.upserts.empty());
  EXPECT_TRUE(second.removed.empty());
  ASSERT_EQ(second.warnings.size(), 1u);
  EXPECT_EQ(second.warnings[0].where, store.path("meeting"));
  // Still broken: reported again, still not removed.
  const ChangeSet third = connector.pull(kWork, store.window(), second.cursor);
  EXPECT_TRUE(third.removed.empty());
  EXPECT_EQ(third.warnings.size(), 1u);
  // Readable again: the event comes back as an upsert.
  fx::EventSpec meeting = store.events.at("meeting");
  meeting.subject = "Quarterly planning (final)";
  store.profile.putEvent(meeting);
  const ChangeSet fourth = connector.pull(kWork, store.window(), third.cursor);
  ASSERT_EQ(fourth.upserts.size(), 1u);
  EXPECT_EQ(fourth.upserts[0].components[0].summary, "Quarterly planning (final)");
  EXPECT_TRUE(fourth.warnings.empty());
}

TEST(Olk15Connector, ObjectsEnteringAndLeavingTheWindowAreReported) {
  SampleStore store;
  Olk15Connector connector(store.options());
  const Window early{kNow - 30 * kDay, kNow + 2 * kDay};  // ends before the offsite starts
  const ChangeSet first = connector.pull(kWork, early, "");
  const std::string allday = store.events.at("allday").uid;
  EXPECT_TRUE(contains(first.out_of_window, allday));
  EXPECT_EQ(objectWithUid(first, allday), nullptr);
  const ChangeSet second = connector.pull(kWork, store.window(), first.cursor);
  ASSERT_NE(objectWithUid(second, allday), nullptr);  // unchanged, but new to the window
  const ChangeSet third = connector.pull(kWork, early, second.cursor);
  EXPECT_TRUE(contains(third.out_of_window, allday));
  EXPECT_TRUE(third.upserts.empty());
}

TEST(Olk15Connector, StateSurvivesARestartAndAnUnknownCursorGivesAFullListing) {
  SampleStore store;
  std::string cursor;
  {
    Olk15Connector connector(store.options());
    cursor = connector.pull(kWork, store.window(), "").cursor;
  }
  Olk15Connector restarted(store.options());
  const ChangeSet again = restarted.pull(kWork, store.window(), cursor);
  EXPECT_TRUE(again.upserts.empty());
  EXPECT_EQ(again.cursor, cursor);
  const ChangeSet unknown = restarted.pull(kWork, store.window(), "olk15:1:not-a-generation");
  EXPECT_TRUE(unknown.complete);
  EXPECT_EQ(unknown.upserts.size(), 6u);
  // Without a state directory the state lives in memory only.
  Olk15Options memory_only = store.options();
  memory_only.state_dir.clear();
  Olk15Connector fresh(memory_only);
  const ChangeSet full = fresh.pull(kWork, store.window(), cursor);
  EXPECT_TRUE(full.complete);
  const ChangeSet incremental = fresh.pull(kWork, store.window(), full.cursor);
  EXPECT_TRUE(incremental.upserts.empty());
}

TEST(Olk15Connector, FindsByUidAndNeverWrites) {
  SampleStore store;
  Olk15Connector connector(store.options());
  connector.listCalendars();
  const auto series = connector.findByUid(kWork, store.events.at("series").uid);
  ASSERT_TRUE(series);
  EXPECT_EQ(series->components.size(), 3u);
  EXPECT_FALSE(connector.findByUid(kWork, "nope@x"));
  EXPECT_FALSE(connector.capabilities().write_events);
  EXPECT_EQ(errorKindOf([&] { connector.apply(EventChange{}); }), ErrorKind::Permission);
  EXPECT_EQ(errorKindOf([&] { connector.apply(CalendarChange{}); }), ErrorKind::Permission);
}

TEST(Olk15Connector, OtherCalendarsHoldTheirOwnEvents) {
  SampleStore store;
  Olk15Connector connector(store.options());
  const ChangeSet personal = connector.pull("folder-201", store.window(), "");
  ASSERT_EQ(personal.upserts.size(), 1u);
  EXPECT_EQ(personal.upserts[0].components[0].privacy, PrivacyClass::Private);
  EXPECT_EQ(personal.upserts[0].components[0].reminders.at(0).offset_seconds, -1080 * 60);
  const ChangeSet local = connector.pull("folder-301", store.window(), "");
  ASSERT_EQ(local.upserts.size(), 1u);
  EXPECT_EQ(extra(local.upserts[0].components[0], "X-MICROSOFT-CDO-BUSYSTATUS")->value, "OOF");
}

}  // namespace
}  // namespace calsync::olk15
