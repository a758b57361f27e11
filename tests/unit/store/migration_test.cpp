#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "store/agent_state.h"
#include "store/master_store.h"
#include "store/sqlite_database.h"
#include "store/sqlite_schemas.h"
#include "tests/unit/store/store_test_support.h"

namespace calsync::store {
namespace {

using namespace Poco::Data::Keywords;
using testing::rawSession;
using testing::ScratchDir;

std::set<std::string> tableNames(const std::string& path) {
  auto session = rawSession(path);
  std::vector<std::string> names;
  session << "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')", into(names), now;
  return {names.begin(), names.end()};
}

int userVersion(const std::string& path) {
  auto session = rawSession(path);
  int version = -1;
  session << "PRAGMA user_version", into(version), now;
  return version;
}

std::string journalMode(const std::string& path) {
  auto session = rawSession(path);
  std::string mode;
  session << "PRAGMA journal_mode", into(mode), now;
  return mode;
}

void setUserVersion(const std::string& path, int version) {
  auto session = rawSession(path);
  session << "PRAGMA user_version = " + std::to_string(version), now;
}

TEST(StoreMigrations, MasterStoreCreatesSchemaInNewParentDirectories) {
  ScratchDir dir;
  const std::string path = dir.file("nested/deeper/master.db");
  openSqliteMasterStore(path).reset();
  const auto tables = tableNames(path);
  for (const char* table : {"agents", "calendars", "objects", "destination_copies", "journal",
                            "objects_by_state_and_span", "enrollment_tokens", "agent_credentials", "agent_updates",
                            "audit", "agent_sync_settings", "calendar_rules", "agent_reports", "event_requests",
                            "destination_cursors", "conflicts", "source_policies", "destination_copies_by_uid"}) {
    EXPECT_TRUE(tables.count(table)) << table;
  }
  EXPECT_EQ(userVersion(path), static_cast<int>(sqlite::masterStoreMigrations().size()));
  EXPECT_EQ(journalMode(path), "wal");
}

TEST(StoreMigrations, CopiesWrittenBeforeTheRoundTripGetTheirBase) {
  ScratchDir dir;
  const std::string path = dir.file("master.db");
  {
    // A master store as the previous release left it: the first two migrations only.
    const auto& all = sqlite::masterStoreMigrations();
    sqlite::Database old("master store", path, {all[0], all[1]});
    auto session = rawSession(path);
    session << "INSERT INTO agents (id) VALUES ('a1')", now;
    session << "INSERT INTO objects (agent_id, source, calendar_id, native_id, uid, hash, ical, state) VALUES "
               "('a1', 's', 'c', 'n1', 'u1', 'h1', 'BEGIN:VCALENDAR-1', 'active'), "
               "('a1', 's', 'c', 'n2', 'u2', 'h2-new', 'BEGIN:VCALENDAR-2', 'active')",
        now;
    session << "INSERT INTO destination_copies (agent_id, source, calendar_id, native_id, copy_uid, written_hash) "
               "VALUES ('a1', 's', 'c', 'n1', 'copy-1', 'h1'), ('a1', 's', 'c', 'n2', 'copy-2', 'h2-old')",
        now;
  }
  auto store = openSqliteMasterStore(path);
  EXPECT_EQ(userVersion(path), static_cast<int>(sqlite::masterStoreMigrations().size()));
  EXPECT_EQ(store->copy({"a1", "s", "c", "n1"})->base_ical, "BEGIN:VCALENDAR-1") << "written from the stored version";
  EXPECT_EQ(store->copy({"a1", "s", "c", "n2"})->base_ical, "") << "unknown: the source changed since";
}

TEST(StoreMigrations, AgentStateCreatesSchemaAndEpoch) {
  ScratchDir dir;
  const std::string path = dir.file("agent/state.db");
  auto state = openSqliteAgentState(path);
  const std::string epoch = state->epoch();
  EXPECT_EQ(epoch.size(), 32u);
  EXPECT_EQ(epoch.find_first_not_of("0123456789abcdef"), std::string::npos) << epoch;
  state.reset();
  const auto tables = tableNames(path);
  for (const char* table : {"meta", "cursors", "known", "outbox", "named_values"}) {
    EXPECT_TRUE(tables.count(table)) << table;
  }
  EXPECT_EQ(userVersion(path), 1);
  EXPECT_EQ(journalMode(path), "wal");
}

TEST(StoreMigrations, EpochsDifferBetweenDatabasesAndSurviveReopen) {
  ScratchDir dir;
  const std::string first = openSqliteAgentState(dir.file("a.db"))->epoch();
  const std::string second = openSqliteAgentState(dir.file("b.db"))->epoch();
  EXPECT_NE(first, second);
  EXPECT_EQ(openSqliteAgentState(dir.file("a.db"))->epoch(), first);
}

TEST(StoreMigrations, ReopenKeepsData) {
  ScratchDir dir;
  const std::string path = dir.file("state.db");
  {
    auto state = openSqliteAgentState(path);
    state->setValue("enrolment", "done");
    state->commit({"ics", "cal", "cursor-1", {{"n1", "u1", "h1", true}}, {}, "payload"});
  }
  auto state = openSqliteAgentState(path);
  EXPECT_EQ(state->value("enrolment"), "done");
  EXPECT_EQ(state->cursor("ics", "cal"), "cursor-1");
  EXPECT_EQ(state->known("ics", "cal").size(), 1u);
  EXPECT_EQ(state->outboxSize(), 1u);
  EXPECT_EQ(userVersion(path), 1);
}

TEST(StoreMigrations, RefusesNewerSchemaVersionNamingTheFile) {
  ScratchDir dir;
  const std::string master_path = dir.file("master.db");
  const std::string agent_path = dir.file("agent.db");
  openSqliteMasterStore(master_path).reset();
  openSqliteAgentState(agent_path).reset();
  setUserVersion(master_path, 99);
  setUserVersion(agent_path, 99);
  for (const auto& [path, open] : std::vector<std::pair<std::string, std::function<void()>>>{
           {master_path, [&] { openSqliteMasterStore(master_path); }},
           {agent_path, [&] { openSqliteAgentState(agent_path); }}}) {
    try {
      open();
      ADD_FAILURE() << "opened a database from the future: " << path;
    } catch (const StoreError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_NE(message.find("newer"), std::string::npos) << message;
    }
    EXPECT_EQ(userVersion(path), 99) << "the refused database must be left alone";
  }
}

TEST(StoreMigrations, GarbageFileIsAStoreErrorNamingTheFile) {
  ScratchDir dir;
  const std::string path = dir.file("not-a-database.db");
  std::ofstream(path) << std::string(4096, 'x');
  try {
    openSqliteMasterStore(path);
    FAIL() << "opened a file that is not a database";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(StoreMigrations, UncreatableDirectoryIsAStoreError) {
  ScratchDir dir;
  const std::string blocker = dir.file("plain-file");
  std::ofstream(blocker) << "x";
  EXPECT_THROW(openSqliteAgentState(blocker + "/sub/state.db"), StoreError);
}

}  // namespace
}  // namespace calsync::store
