// AgentStateStore on SQLite. Every method runs under the Database mutex; commit() is one
// transaction so the known state, the cursor and the outbox batch move together.
#include <Poco/Data/Statement.h>

#include "store/agent_state.h"
#include "store/sqlite_database.h"
#include "store/sqlite_schemas.h"

namespace calsync::store {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

class SqliteAgentState final : public AgentStateStore {
 public:
  explicit SqliteAgentState(const std::string& path)
      : db_("agent state", path, sqlite::agentStateMigrations()) {}

  std::string epoch() override {
    return db_.run("read epoch", [](Session& session) {
      std::string epoch;
      session << "SELECT value FROM meta WHERE name = 'epoch'", into(epoch), now;
      if (epoch.empty()) throw StoreError("the database has no epoch");
      return epoch;
    });
  }

  std::string cursor(const std::string& source, const std::string& calendar_id) override {
    return db_.run("read cursor", [&](Session& session) {
      std::string cursor;
      session << "SELECT cursor FROM cursors WHERE source = ? AND calendar_id = ?",
          useRef(source), useRef(calendar_id), into(cursor), now;
      return cursor;
    });
  }

  std::map<std::string, KnownObject> known(const std::string& source, const std::string& calendar_id) override {
    return db_.run("read known objects", [&](Session& session) {
      std::vector<std::string> native_ids, uids, hashes;
      std::vector<int> in_window;
      session << "SELECT native_id, uid, hash, in_window FROM known WHERE source = ? AND calendar_id = ?",
          useRef(source), useRef(calendar_id), into(native_ids), into(uids), into(hashes), into(in_window), now;
      std::map<std::string, KnownObject> result;
      for (std::size_t i = 0; i < native_ids.size(); ++i) {
        result.emplace(native_ids[i], KnownObject{native_ids[i], uids[i], hashes[i], in_window[i] != 0});
      }
      return result;
    });
  }

  std::int64_t commit(const StateCommit& commit) override {
    return db_.run("commit", [&](Session& session) {
      sqlite::Transaction transaction(session);
      upsertKnown(session, commit);
      forget(session, commit);
      session << "INSERT INTO cursors (source, calendar_id, cursor) VALUES (?, ?, ?) "
                 "ON CONFLICT (source, calendar_id) DO UPDATE SET cursor = excluded.cursor",
          useRef(commit.source), useRef(commit.calendar_id), useRef(commit.cursor), now;
      std::int64_t sequence = 0;
      if (!commit.payload.empty()) {
        session << "INSERT INTO outbox (payload, created_at) VALUES (?, ?)",
            useRef(commit.payload), bind(sqlite::nowEpochSeconds()), now;
        sequence = sqlite::lastInsertRowId(session);
      }
      transaction.commit();
      return sequence;
    });
  }

  void resetCalendar(const std::string& source, const std::string& calendar_id) override {
    db_.run("reset calendar", [&](Session& session) {
      sqlite::Transaction transaction(session);
      session << "DELETE FROM known WHERE source = ? AND calendar_id = ?", useRef(source), useRef(calendar_id), now;
      session << "DELETE FROM cursors WHERE source = ? AND calendar_id = ?", useRef(source), useRef(calendar_id),
          now;
      transaction.commit();
    });
  }

  void resetCursors() override {
    db_.run("reset cursors", [](Session& session) { session << "DELETE FROM cursors", now; });
  }

  void resetAll() override {
    db_.run("reset all calendars", [&](Session& session) {
      sqlite::Transaction transaction(session);
      session << "DELETE FROM known", now;
      session << "DELETE FROM cursors", now;
      session << "INSERT INTO named_values (name, value) VALUES (?, '1') "
                 "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
          bind(std::string(kResyncPendingValue)), now;
      transaction.commit();
    });
  }

  std::vector<KnownEntry> allKnown() override {
    return db_.run("read known objects", [&](Session& session) {
      std::vector<std::string> sources, calendars, ids, uids, hashes;
      std::vector<int> in_window;
      session << "SELECT source, calendar_id, native_id, uid, hash, in_window FROM known", into(sources),
          into(calendars), into(ids), into(uids), into(hashes), into(in_window), now;
      std::vector<KnownEntry> entries;
      entries.reserve(ids.size());
      for (std::size_t i = 0; i < ids.size(); ++i) {
        entries.push_back({sources[i], calendars[i], KnownObject{ids[i], uids[i], hashes[i], in_window[i] != 0}});
      }
      return entries;
    });
  }

  std::vector<OutboxBatch> outbox(std::size_t limit) override {
    return db_.run("read outbox", [&](Session& session) {
      std::vector<std::int64_t> sequences, created;
      std::vector<std::string> payloads;
      session << "SELECT sequence, payload, created_at FROM outbox ORDER BY sequence LIMIT ?",
          bind(static_cast<std::int64_t>(limit)), into(sequences), into(payloads), into(created), now;
      std::vector<OutboxBatch> batches;
      batches.reserve(sequences.size());
      for (std::size_t i = 0; i < sequences.size(); ++i) {
        batches.push_back({sequences[i], std::move(payloads[i]), created[i]});
      }
      return batches;
    });
  }

  std::size_t outboxSize() override {
    return db_.run("count outbox", [](Session& session) {
      std::int64_t count = 0;
      session << "SELECT COUNT(*) FROM outbox", into(count), now;
      return static_cast<std::size_t>(count);
    });
  }

  void acknowledge(std::int64_t up_to_sequence) override {
    db_.run("acknowledge", [&](Session& session) {
      session << "DELETE FROM outbox WHERE sequence <= ?", bind(up_to_sequence), now;
    });
  }

  std::string value(const std::string& name) override {
    return db_.run("read value", [&](Session& session) {
      std::string value;
      session << "SELECT value FROM named_values WHERE name = ?", useRef(name), into(value), now;
      return value;
    });
  }

  void setValue(const std::string& name, const std::string& value) override {
    db_.run("write value", [&](Session& session) {
      session << "INSERT INTO named_values (name, value) VALUES (?, ?) "
                 "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
          useRef(name), useRef(value), now;
    });
  }

 private:
  // One prepared statement per commit, re-executed for every row.
  static void upsertKnown(Session& session, const StateCommit& commit) {
    if (commit.upserted.empty()) return;
    std::string native_id, uid, hash;
    int in_window = 1;
    Statement upsert(session);
    upsert << "INSERT INTO known (source, calendar_id, native_id, uid, hash, in_window) VALUES (?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (source, calendar_id, native_id) DO UPDATE SET "
              "uid = excluded.uid, hash = excluded.hash, in_window = excluded.in_window",
        useRef(commit.source), useRef(commit.calendar_id), use(native_id), use(uid), use(hash), use(in_window);
    for (const KnownObject& object : commit.upserted) {
      native_id = object.native_id;
      uid = object.uid;
      hash = object.hash;
      in_window = object.in_window ? 1 : 0;
      upsert.execute();
    }
  }

  static void forget(Session& session, const StateCommit& commit) {
    if (commit.forgotten.empty()) return;
    std::string native_id;
    Statement remove(session);
    remove << "DELETE FROM known WHERE source = ? AND calendar_id = ? AND native_id = ?",
        useRef(commit.source), useRef(commit.calendar_id), use(native_id);
    for (const std::string& forgotten : commit.forgotten) {
      native_id = forgotten;
      remove.execute();
    }
  }

  sqlite::Database db_;
};

}  // namespace

std::unique_ptr<AgentStateStore> openSqliteAgentState(const std::string& path) {
  return std::make_unique<SqliteAgentState>(path);
}

}  // namespace calsync::store
