#include "ics/ics_connector.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/date_time.h"
#include "core/errors.h"
#include "core/registry.h"
#include "tests/support/error_kind.h"
#include "tests/unit/ics/ics_test_support.h"

namespace calsync::ics {
namespace {

using calsync::testing::errorKindOf;

using test::LogCapture;
using test::ScratchDir;
using test::kYear2026;

ConnectorSpec specFor(Settings settings) { return ConnectorSpec{"test", "ics", std::move(settings), "/tmp"}; }

std::unique_ptr<Connector> connectorFor(const std::filesystem::path& path, Settings extra = {}) {
  extra["path"] = path.string();
  return std::make_unique<IcsConnector>(specFor(std::move(extra)));
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(IcsConnector, FolderWithTwoFilesIsTwoCalendars) {
  ScratchDir dir;
  dir.copyFixture("recurring.ics", "team.ics");
  dir.copyFixture("allday.ics", "Private Stuff.ics");
  dir.write("notes.txt", "not a calendar");
  auto connector = connectorFor(dir.path());
  const auto calendars = connector->listCalendars();
  ASSERT_EQ(calendars.size(), 2u);
  EXPECT_EQ(calendars[0].id, "Private Stuff.ics");
  EXPECT_EQ(calendars[0].name, "Private Stuff");  // no X-WR-CALNAME: the file stem
  EXPECT_FALSE(calendars[0].writable);
  EXPECT_EQ(calendars[1].id, "team.ics");
  EXPECT_EQ(calendars[1].name, "Team");
  EXPECT_EQ(calendars[1].color, "#FF8800");

  const ChangeSet team = connector->pull("team.ics", kYear2026, "");
  EXPECT_TRUE(team.complete);
  ASSERT_EQ(team.upserts.size(), 1u);
  EXPECT_EQ(team.upserts[0].native_id, "team.ics#weekly-standup@example.com");
  const ChangeSet personal = connector->pull("Private Stuff.ics", kYear2026, "");
  EXPECT_EQ(personal.upserts.size(), 2u);
}

TEST(IcsConnector, SingleFileAndNameOverride) {
  ScratchDir dir;
  const auto file = dir.copyFixture("recurring.ics", "team.ics");
  auto connector = connectorFor(file, {{"calendar_name", "Work"}});
  const auto calendars = connector->listCalendars();
  ASSERT_EQ(calendars.size(), 1u);
  EXPECT_EQ(calendars[0].id, "team.ics");
  EXPECT_EQ(calendars[0].name, "Work");
  EXPECT_FALSE(connector->capabilities().write_events);
  EXPECT_TRUE(connector->capabilities().read);
}

TEST(IcsConnector, MalformedEventIsSkippedWithAWarningNamingFileAndLine) {
  ScratchDir dir;
  dir.copyFixture("malformed.ics", "broken.ics");
  LogCapture log;
  auto connector = connectorFor(dir.path());
  const ChangeSet changes = connector->pull("broken.ics", kYear2026, "");
  EXPECT_TRUE(changes.complete);
  ASSERT_EQ(changes.upserts.size(), 2u);
  EXPECT_EQ(changes.upserts[0].uid, "good-1@example.com");
  EXPECT_EQ(changes.upserts[1].uid, "good-2@example.com");
  ASSERT_EQ(changes.warnings.size(), 2u);
  EXPECT_EQ(changes.warnings[0].where, "broken.ics:10");
  EXPECT_EQ(changes.warnings[1].where, "broken.ics:15");
  const auto lines = log.lines();
  const bool logged = std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return line.rfind("warning ics broken.ics:10: ", 0) == 0;
  });
  EXPECT_TRUE(logged);
  // Event content stays out of warning-level logs.
  for (const auto& line : lines) EXPECT_EQ(line.find("Bad date"), std::string::npos) << line;
}

TEST(IcsConnector, MissingFilesAndFoldersThrowNotFound) {
  ScratchDir dir;
  EXPECT_EQ(errorKindOf([&] { connectorFor(dir.path() / "gone.ics")->pull("gone.ics", kYear2026, ""); }),
            ErrorKind::NotFound);
  EXPECT_EQ(errorKindOf([&] { connectorFor(dir.path() / "no-folder")->listCalendars(); }), ErrorKind::NotFound);
  dir.copyFixture("allday.ics", "a.ics");
  auto connector = connectorFor(dir.path());
  EXPECT_EQ(errorKindOf([&] { connector->pull("b.ics", kYear2026, ""); }), ErrorKind::NotFound);
  // Ids cannot reach outside the folder.
  EXPECT_EQ(errorKindOf([&] { connector->pull("../a.ics", kYear2026, ""); }), ErrorKind::NotFound);
  // A file that disappears between two pulls is an error, not an empty calendar.
  EXPECT_EQ(connector->pull("a.ics", kYear2026, "").upserts.size(), 2u);
  std::filesystem::remove(dir.path() / "a.ics");
  EXPECT_EQ(errorKindOf([&] { connector->pull("a.ics", kYear2026, ""); }), ErrorKind::NotFound);
}

TEST(IcsConnector, TextThatIsNotICalendarThrowsBadData) {
  ScratchDir dir;
  dir.write("empty.ics", "");
  dir.write("page.ics", "<html><body>Sign in</body></html>");
  dir.write("binary.ics", std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));
  auto connector = connectorFor(dir.path());
  for (const char* id : {"empty.ics", "page.ics", "binary.ics"}) {
    EXPECT_EQ(errorKindOf([&] { connector->pull(id, kYear2026, ""); }), ErrorKind::BadData) << id;
  }
  EXPECT_EQ(errorKindOf([&] { connector->listCalendars(); }), ErrorKind::BadData);
}

TEST(IcsConnector, EmptyValidCalendarIsAnEmptyCompleteListing) {
  ScratchDir dir;
  const auto file = dir.write("none.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n");
  const ChangeSet changes = connectorFor(file)->pull("none.ics", kYear2026, "");
  EXPECT_TRUE(changes.complete);
  EXPECT_TRUE(changes.upserts.empty());
  EXPECT_TRUE(changes.out_of_window.empty());
  EXPECT_FALSE(changes.cursor.empty());
}

TEST(IcsConnector, WindowSplitsUpsertsFromOutOfWindow) {
  ScratchDir dir;
  dir.copyFixture("duration_alarm.ics", "a.ics");  // April 2026 events
  dir.copyFixture("allday.ics", "b.ics");          // an Easter break and an endless yearly birthday
  auto connector = connectorFor(dir.path());
  const Window january{civilToEpoch(2026, 1, 1, 0, 0, 0), civilToEpoch(2026, 2, 1, 0, 0, 0)};
  const ChangeSet april_events = connector->pull("a.ics", january, "");
  EXPECT_TRUE(april_events.upserts.empty());
  EXPECT_EQ(april_events.out_of_window.size(), 3u);
  EXPECT_TRUE(contains(april_events.out_of_window, "a.ics#duration@example.com"));

  const Window april{civilToEpoch(2026, 4, 1, 0, 0, 0), civilToEpoch(2026, 5, 1, 0, 0, 0)};
  EXPECT_EQ(connector->pull("a.ics", april, "").upserts.size(), 3u);

  const Window year_2030{civilToEpoch(2030, 1, 1, 0, 0, 0), civilToEpoch(2031, 1, 1, 0, 0, 0)};
  const ChangeSet later = connector->pull("b.ics", year_2030, "");
  ASSERT_EQ(later.upserts.size(), 1u);
  EXPECT_EQ(later.upserts[0].uid, "birthday@example.com");
  EXPECT_EQ(later.out_of_window, std::vector<std::string>{"b.ics#holiday@example.com"});
}

TEST(IcsConnector, CursorIsAHashOfTheBytes) {
  ScratchDir dir;
  dir.copyFixture("allday.ics", "a.ics");
  auto connector = connectorFor(dir.path());
  const Cursor first = connector->pull("a.ics", kYear2026, "").cursor;
  EXPECT_EQ(connector->pull("a.ics", kYear2026, first).cursor, first);
  dir.copyFixture("recurring.ics", "b.ics");
  std::filesystem::rename(dir.path() / "b.ics", dir.path() / "a.ics");
  const ChangeSet changed = connector->pull("a.ics", kYear2026, first);
  EXPECT_NE(changed.cursor, first);
  EXPECT_TRUE(changed.complete);
}

TEST(IcsConnector, FindByUidAndReadOnlyWrites) {
  ScratchDir dir;
  dir.copyFixture("recurring.ics", "team.ics");
  auto connector = connectorFor(dir.path());
  const auto found = connector->findByUid("team.ics", "weekly-standup@example.com");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->components.size(), 4u);
  EXPECT_EQ(found->native_id, "team.ics#weekly-standup@example.com");
  EXPECT_FALSE(connector->findByUid("team.ics", "nope").has_value());

  EventChange change;
  change.calendar = "team.ics";
  change.object = *found;
  EXPECT_EQ(errorKindOf([&] { connector->apply(change); }), ErrorKind::Permission);
  EXPECT_EQ(errorKindOf([&] { connector->apply(CalendarChange{"team.ics", "New", {}, {}}); }), ErrorKind::Permission);
}

TEST(IcsConnector, ConfigNeedsExactlyOneOfPathAndUrl) {
  EXPECT_EQ(errorKindOf([] { IcsConnector connector(specFor({})); }), ErrorKind::Config);
  EXPECT_EQ(errorKindOf([] { IcsConnector connector(specFor({{"path", "/x.ics"}, {"url", "https://example.com/x.ics"}})); }),
            ErrorKind::Config);
  EXPECT_EQ(errorKindOf([] { IcsConnector connector(specFor({{"url", "ftp://example.com/x.ics"}})); }), ErrorKind::Config);
  EXPECT_EQ(errorKindOf([] { IcsConnector connector(specFor({{"path", "/x.ics"}, {"password", "p"}})); }),
            ErrorKind::Config);
  // Unset keys arrive as empty strings from the config layer; that is not "given".
  EXPECT_NO_THROW(IcsConnector connector(specFor({{"path", "/x.ics"}, {"url", ""}})));
}

TEST(IcsConnector, RegistryCreatesItByType) {
  const ConnectorInfo* info = ConnectorRegistry::instance().find("ics");
  ASSERT_NE(info, nullptr) << "the static registration did not run: link calsync_ics with WHOLE_ARCHIVE";
  EXPECT_FALSE(info->can_be_destination);
  std::vector<std::string> keys;
  for (const auto& key : info->keys) keys.push_back(key.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"path", "url", "username", "password", "calendar_name"}));
  ScratchDir dir;
  dir.copyFixture("allday.ics", "a.ics");
  auto connector = ConnectorRegistry::instance().create(specFor({{"path", dir.path().string()}}));
  ASSERT_NE(connector, nullptr);
  EXPECT_EQ(connector->listCalendars().size(), 1u);
}

}  // namespace
}  // namespace calsync::ics
