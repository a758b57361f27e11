// How the store is read: the index in place, a copy when Outlook holds it locked, the event
// files when the index is missing or unusable, and the New Outlook state.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/errors.h"
#include "olk15/olk15_connector.h"
#include "olk15/profiles.h"
#include "olk15/store_index.h"
#include "olk15_test_support.h"
#include "tests/support/error_kind.h"

namespace calsync::olk15 {
namespace {

using namespace test;
using calsync::testing::errorKindOf;

const std::string kWork = "folder-101";

std::vector<std::string> nativeIds(const ChangeSet& c) {
  std::vector<std::string> out;
  for (const auto& o : c.upserts) out.push_back(o.native_id);
  for (const auto& id : c.out_of_window) out.push_back(id + " (out)");
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Olk15Store, TheFixtureHasOutlooksFilesTableAndTheReaderNeverTouchesIt) {
  SampleStore store;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(store.profile.dbPath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  const int rc = sqlite3_exec(db, "SELECT * FROM Files", nullptr, nullptr, nullptr);
  EXPECT_NE(rc, SQLITE_OK);
  EXPECT_NE(std::string(sqlite3_errmsg(db)).find("FilesVTabModule"), std::string::npos);
  sqlite3_close(db);
  const StoreListing listing = readIndex(store.profile.dataDir(), {});
  EXPECT_EQ(listing.schema_version, kKnownSchemaVersion);
  EXPECT_EQ(listing.source, ListingSource::Index);
  EXPECT_EQ(listing.rows.size(), store.events.size());
}

TEST(Olk15Store, ALockedDatabaseIsReadFromAConsistentCopy) {
  SampleStore store;
  // A committed change that still sits in the -wal (the builder's connection stays open).
  fx::EventSpec added = store.events.at("personal");
  added.record_id = 1500;
  added.folder_id = 101;
  added.uid = "added-in-wal@x";
  store.profile.putEvent(added);
  store.profile.closeKeepingWal();
  ASSERT_GT(std::filesystem::file_size(store.profile.dbPath().string() + "-wal"), 0u);

  fx::DatabaseLock lock(store.profile.dbPath());
  Olk15Connector connector(store.options());
  const ChangeSet c = connector.pull(kWork, store.window(), "");
  EXPECT_EQ(connector.lastListingSource(), ListingSource::IndexCopy);
  EXPECT_TRUE(c.complete);
  EXPECT_NE(objectWithUid(c, "added-in-wal@x"), nullptr);
  EXPECT_NE(objectWithUid(c, store.events.at("meeting").uid), nullptr);
  // The copy is gone afterwards, and the live files were not modified.
  for (const auto& entry : std::filesystem::directory_iterator(store.options().state_dir)) {
    EXPECT_EQ(entry.path().filename().string().rfind("olk15-index-copy-", 0), std::string::npos);
  }
}

TEST(Olk15Store, ScanModeFindsTheSameObjectsUnderTheSameIds) {
  SampleStore store;
  Olk15Connector index_reader(store.options());
  index_reader.listCalendars();
  const ChangeSet from_index = index_reader.pull(kWork, store.window(), "");

  std::filesystem::remove(store.profile.dbPath());
  std::filesystem::remove(store.profile.dbPath().string() + "-wal");
  std::filesystem::remove(store.profile.dbPath().string() + "-shm");
  Olk15Connector scanner(store.options());  // same state dir: remembers the calendar names
  const auto calendars = scanner.listCalendars();
  EXPECT_EQ(scanner.lastListingSource(), ListingSource::Scan);
  std::map<std::string, std::string> names;
  for (const auto& c : calendars) names[c.id] = c.name;
  EXPECT_EQ(names["folder-101"], "jdoe@example.com");
  EXPECT_EQ(names["folder-202"], "jane.private@mail.example.net / Birthdays");
  // The index said folder 109 is Deleted Items: scan mode leaves it out too.
  EXPECT_FALSE(names.count("folder-109"));
  EXPECT_EQ(calendars.size(), 4u);
  const ChangeSet from_scan = scanner.pull(kWork, store.window(), "");
  EXPECT_EQ(nativeIds(from_scan), nativeIds(from_index));
  bool told = false;
  for (const auto& w : from_scan.warnings) told = told || (w.where == "Outlook.sqlite" && w.message.find("missing") != std::string::npos);
  EXPECT_TRUE(told);
  // Said once, not at every pull.
  scanner.listCalendars();
  EXPECT_TRUE(scanner.pull(kWork, store.window(), from_scan.cursor).warnings.empty());
}

TEST(Olk15Store, ScanModeKeepsAKnownFileThatBreaksAndSkipsUnknownBrokenOnes) {
  SampleStore store;
  Olk15Options options = store.options();
  options.mode = ReadMode::Scan;
  Olk15Connector connector(options);
  connector.listCalendars();
  const ChangeSet first = connector.pull(kWork, store.window(), "");
  EXPECT_TRUE(first.complete);
  store.profile.writeFile(store.path("meeting"), "garbage");
  store.profile.writeFile("Events/9/unknown.olk15Event", "more garbage");
  connector.listCalendars();
  const ChangeSet second = connector.pull(kWork, store.window(), first.cursor);
  EXPECT_TRUE(second.removed.empty());  // the meeting's file is broken, not gone
  std::set<std::string> where;
  for (const auto& w : second.warnings) where.insert(w.where);
  EXPECT_TRUE(where.count(store.path("meeting")));
  EXPECT_TRUE(where.count("Events/9/unknown.olk15Event"));
  // Removing the file for good is a deletion.
  store.profile.removeFile(store.path("meeting"));
  connector.listCalendars();
  const ChangeSet third = connector.pull(kWork, store.window(), second.cursor);
  EXPECT_EQ(third.removed, std::vector<std::string>{store.events.at("meeting").uid});
}

TEST(Olk15Store, AnIndexThatIsNotOutlooksFallsBackToTheFiles) {
  SampleStore store;
  store.profile.setUserVersion(0);
  Olk15Connector automatic(store.options());
  automatic.listCalendars();
  EXPECT_EQ(automatic.lastListingSource(), ListingSource::Scan);
  Olk15Options strict = store.options();
  strict.mode = ReadMode::Index;
  Olk15Connector index_only(strict);
  EXPECT_EQ(errorKindOf([&] { index_only.listCalendars(); }), ErrorKind::BadData);

  SampleStore other;
  other.profile.exec("DROP INDEX CalendarEventsIndex_UIDandRecurrence");
  other.profile.exec("ALTER TABLE CalendarEvents DROP COLUMN Calendar_UID");
  try {
    readIndex(other.profile.dataDir(), {});
    FAIL() << "a missing column was accepted";
  } catch (const IndexUnusable& e) {
    EXPECT_NE(std::string(e.what()).find("Calendar_UID"), std::string::npos);
  }
  SampleStore garbage;
  garbage.profile.setIndexMtime(kNow);  // closes the builder's connection
  std::ofstream(garbage.profile.dbPath(), std::ios::binary | std::ios::trunc) << std::string(4096, 'z');
  Olk15Connector reader(garbage.options());
  EXPECT_EQ(reader.listCalendars().size(), 5u);
  EXPECT_EQ(reader.lastListingSource(), ListingSource::Scan);
}

TEST(Olk15Store, NewOutlookIsReportedClearlyInsteadOfSyncingStaleData) {
  calsync::testing::TempDir dir;
  fx::ProfileBuilder empty(dir.path() / "Outlook 15 Profiles", "Main Identity");
  empty.addFolder(1, "Placeholder_Calendar_Placeholder", 4, 1);
  empty.writeHxStore();
  Olk15Options options;
  options.profile_root = empty.profileDir().string();
  Olk15Connector connector(options);
  try {
    connector.listCalendars();
    FAIL() << "an empty legacy store next to HxStore.hxd was read";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    const std::string message = e.what();
    EXPECT_NE(message.find("New Outlook is in use"), std::string::npos) << message;
    EXPECT_NE(message.find("holds no events"), std::string::npos) << message;
    EXPECT_NE(message.find("Legacy Outlook"), std::string::npos) << message;
  }

  SampleStore stale;
  stale.profile.setIndexMtime(kNow - 40 * kDay);
  stale.profile.writeHxStore(kNow);
  Olk15Connector stale_reader(stale.options());
  try {
    stale_reader.listCalendars();
    FAIL() << "a stale legacy store was read";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_NE(std::string(e.what()).find("has not changed since 2026-05-06"), std::string::npos) << e.what();
  }

  SampleStore switched_back;  // HxStore exists, but the legacy store is the live one
  switched_back.profile.setIndexMtime(kNow);
  switched_back.profile.writeHxStore(kNow - 100 * kDay);
  Olk15Connector live(switched_back.options());
  EXPECT_EQ(live.listCalendars().size(), 4u);
}

TEST(Olk15Store, ProfilesAreFoundByLooking) {
  calsync::testing::TempDir dir;
  const auto root = dir.path() / "Outlook 15 Profiles";
  EXPECT_EQ(errorKindOf([&] { resolveProfile(root.string(), ""); }), ErrorKind::NotFound);
  fx::ProfileBuilder main(root, "Main Identity");
  EXPECT_EQ(resolveProfile(root.string(), "").name, "Main Identity");
  EXPECT_EQ(resolveProfile(main.profileDir().string(), "").data, main.dataDir());
  EXPECT_EQ(resolveProfile(main.dataDir().string(), "").dir, main.profileDir());
  fx::ProfileBuilder second(root, "Work");
  EXPECT_EQ(errorKindOf([&] { resolveProfile(root.string(), ""); }), ErrorKind::Config);
  EXPECT_EQ(resolveProfile(root.string(), "Work").dir, second.profileDir());
  EXPECT_EQ(errorKindOf([&] { resolveProfile(root.string(), "Nope"); }), ErrorKind::Config);
  EXPECT_EQ(findProfiles(root).size(), 2u);
  // The default root is home-relative on this platform.
  EXPECT_NE(defaultProfilesRoot().string().find("UBF8T346G9.Office/Outlook/Outlook 15 Profiles"), std::string::npos);
}

}  // namespace
}  // namespace calsync::olk15
