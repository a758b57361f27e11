// MasterStore on SQLite. Every method runs under the Database mutex and is one transaction
// (a single statement or an explicit BEGIN IMMEDIATE ... COMMIT).
#include <Poco/Data/Statement.h>

#include <set>

#include "store/master_store.h"
#include "store/round_trip_store.h"
#include "store/sqlite_copies.h"
#include "store/sqlite_database.h"
#include "store/sqlite_objects.h"
#include "store/sqlite_schemas.h"
#include "store/sqlite_side_stores.h"

namespace calsync::store {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;
using sqlite::fetchObjects;
using sqlite::kObjectColumns;

class SqliteMasterStore final : public MasterStore {
 public:
  explicit SqliteMasterStore(std::shared_ptr<sqlite::Database> db) : db_(std::move(db)) {}

  bool ingest(const IngestBatch& batch) override {
    return db_->run("ingest from agent " + batch.agent_id, [&](Session& session) {
      for (const StoredObject& object : batch.upserts) requireOwnedBy(batch.agent_id, object.key);
      for (const ObjectKey& key : batch.deletions) requireOwnedBy(batch.agent_id, key);
      for (const StoredCalendar& calendar : batch.calendars) {
        if (calendar.agent_id != batch.agent_id) throw StoreError("calendar of agent '" + calendar.agent_id + "'");
      }

      sqlite::Transaction transaction(session);
      if (isReplay(session, batch)) return false;
      const std::int64_t at = sqlite::nowEpochSeconds();
      session << "INSERT INTO agents (id, name, epoch, last_sequence, last_seen) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (id) DO UPDATE SET name = excluded.name, epoch = excluded.epoch, "
                 "last_sequence = excluded.last_sequence, last_seen = excluded.last_seen",
          useRef(batch.agent_id), useRef(batch.agent_name), useRef(batch.epoch), useRef(batch.sequence),
          bind(at), now;
      upsertCalendars(session, batch.calendars);
      sqlite::ObjectIngest statements(session, "agent:" + batch.agent_id, at);
      // What an agent still sends for a calendar the admin took out of the sync (it was
      // queued before the agent heard) is acknowledged but not stored.
      const auto excluded = sqlite::excludedCalendars(session, batch.agent_id);
      for (const StoredObject& object : batch.upserts) {
        if (!excluded.count({object.key.source, object.key.calendar_id})) statements.upsert(object);
      }
      for (const ObjectKey& key : batch.deletions) statements.remove(key);
      for (const CalendarSnapshot& snapshot : batch.snapshots) {
        if (excluded.count({snapshot.source, snapshot.calendar_id})) continue;
        const std::set<std::string> present(snapshot.native_ids.begin(), snapshot.native_ids.end());
        std::vector<std::string> stored;
        session << "SELECT native_id FROM objects WHERE agent_id = ? AND source = ? AND calendar_id = ? "
                   "AND state <> 'deleted'",
            useRef(batch.agent_id), useRef(snapshot.source), useRef(snapshot.calendar_id), into(stored), now;
        for (const auto& native_id : stored) {
          if (!present.count(native_id)) statements.remove({batch.agent_id, snapshot.source, snapshot.calendar_id, native_id});
        }
      }
      transaction.commit();
      return true;
    });
  }

  std::optional<AgentRecord> agent(const std::string& agent_id) override {
    return db_->run("read agent", [&](Session& session) -> std::optional<AgentRecord> {
      AgentRecord record;
      Statement select(session);
      select << "SELECT id, name, epoch, last_sequence, last_seen FROM agents WHERE id = ?", useRef(agent_id),
          into(record.id), into(record.name), into(record.epoch), into(record.last_sequence), into(record.last_seen);
      if (select.execute() == 0) return std::nullopt;
      return record;
    });
  }

  void recordCheckIn(const std::string& agent_id, const std::string& name, std::int64_t at) override {
    db_->run("record check-in of " + agent_id, [&](Session& session) {
      session << "INSERT INTO agents (id, name, last_seen) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                 "last_seen = excluded.last_seen, name = CASE WHEN excluded.name = '' THEN agents.name "
                 "ELSE excluded.name END",
          useRef(agent_id), useRef(name), useRef(at), now;
    });
  }

  std::vector<AgentRecord> agents() override {
    return db_->run("read agents", [](Session& session) {
      std::vector<std::string> ids, names, epochs;
      std::vector<std::int64_t> sequences, seen;
      session << "SELECT id, name, epoch, last_sequence, last_seen FROM agents ORDER BY id", into(ids),
          into(names), into(epochs), into(sequences), into(seen), now;
      std::vector<AgentRecord> records;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        records.push_back({ids[i], names[i], epochs[i], sequences[i], seen[i]});
      }
      return records;
    });
  }

  std::optional<StoredObject> object(const ObjectKey& key) override {
    return db_->run("read object", [&](Session& session) -> std::optional<StoredObject> {
      Statement select(session);
      select << "SELECT " + std::string(kObjectColumns) +
                    " FROM objects o WHERE o.agent_id = ? AND o.source = ? AND o.calendar_id = ? AND o.native_id = ?",
          useRef(key.agent_id), useRef(key.source), useRef(key.calendar_id), useRef(key.native_id);
      std::vector<StoredObject> found = fetchObjects(select);
      if (found.empty()) return std::nullopt;
      return std::move(found.front());
    });
  }

  std::vector<StoredObject> activeObjectsInRange(std::int64_t from, std::int64_t to) override {
    return db_->run("read objects in range", [&](Session& session) {
      Statement select(session);
      select << "SELECT " + std::string(kObjectColumns) +
                    " FROM objects o WHERE o.state = 'active' AND o.span_start < ? AND o.span_end > ? "
                    "ORDER BY o.span_start, o.agent_id, o.source, o.calendar_id, o.native_id",
          bind(to), bind(from);
      return fetchObjects(select);
    });
  }

  std::vector<StoredCalendar> calendars() override {
    return db_->run("read calendars", [](Session& session) {
      std::vector<std::string> agent_ids, sources, ids, names, colors, descriptions;
      std::vector<int> writable;
      session << "SELECT agent_id, source, calendar_id, name, color, description, writable FROM calendars "
                 "ORDER BY agent_id, source, calendar_id",
          into(agent_ids), into(sources), into(ids), into(names), into(colors), into(descriptions), into(writable),
          now;
      std::vector<StoredCalendar> result;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        result.push_back(
            {agent_ids[i], sources[i], Calendar{ids[i], names[i], colors[i], descriptions[i], writable[i] != 0}});
      }
      return result;
    });
  }

  bool updateCalendar(const StoredCalendar& c) override {
    return db_->run("update calendar", [&](Session& session) {
      session << "UPDATE calendars SET name = ?, color = ?, description = ? "
                 "WHERE agent_id = ? AND source = ? AND calendar_id = ?",
          useRef(c.calendar.name), useRef(c.calendar.color), useRef(c.calendar.description), useRef(c.agent_id),
          useRef(c.source), useRef(c.calendar.id), now;
      int changed = 0;
      session << "SELECT changes()", into(changed), now;
      return changed > 0;
    });
  }

  std::vector<ObjectVersion> objectVersions(const std::string& agent_id) override {
    return db_->run("read object versions", [&](Session& session) {
      std::vector<std::string> sources, calendar_ids, native_ids, hashes, states;
      session << "SELECT source, calendar_id, native_id, hash, state FROM objects "
                 "WHERE agent_id = ? AND state <> 'deleted'",
          useRef(agent_id), into(sources), into(calendar_ids), into(native_ids), into(hashes), into(states), now;
      std::vector<ObjectVersion> versions;
      versions.reserve(sources.size());
      for (std::size_t i = 0; i < sources.size(); ++i) {
        versions.push_back({ObjectKey{agent_id, sources[i], calendar_ids[i], native_ids[i]}, hashes[i],
                            states[i] == "active" ? ObjectState::Active : ObjectState::OutOfWindow});
      }
      return versions;
    });
  }

  std::vector<StoredObject> pendingWrites(std::size_t limit) override {
    return db_->run("read pending writes", [&](Session& session) {
      Statement select(session);
      select << "SELECT " + std::string(kObjectColumns) +
                    " FROM objects o LEFT JOIN destination_copies c ON c.agent_id = o.agent_id AND "
                    "c.source = o.source AND c.calendar_id = o.calendar_id AND c.native_id = o.native_id "
                    "WHERE (o.state = 'active' AND (c.native_id IS NULL OR c.written_hash <> o.hash OR "
                    "c.dest_ical <> '') AND COALESCE(c.dest_deleted, 0) = 0 AND NOT EXISTS (SELECT 1 FROM conflicts f "
                    "WHERE f.agent_id = o.agent_id AND f.source = o.source AND f.calendar_id = o.calendar_id AND "
                    "f.native_id = o.native_id AND f.applied = 0)) "
                    "OR (o.state = 'deleted' AND c.native_id IS NOT NULL) "
                    "ORDER BY o.updated_at, o.agent_id, o.source, o.calendar_id, o.native_id LIMIT ?",
          bind(static_cast<std::int64_t>(limit));
      return fetchObjects(select);
    });
  }

  std::optional<DestinationCopy> copy(const ObjectKey& key) override {
    return db_->run("read copy", [&](Session& session) -> std::optional<DestinationCopy> {
      std::vector<DestinationCopy> found = selectCopies(
          session, " WHERE agent_id = ? AND source = ? AND calendar_id = ? AND native_id = ?", &key);
      if (found.empty()) return std::nullopt;
      return std::move(found.front());
    });
  }

  std::vector<DestinationCopy> copies() override {
    return db_->run("read copies", [](Session& session) {
      return selectCopies(session, " ORDER BY agent_id, source, calendar_id, native_id", nullptr);
    });
  }

  void saveCopy(const DestinationCopy& copy, const std::string& actor) override {
    db_->run("save copy", [&](Session& session) {
      sqlite::Transaction transaction(session);
      const ObjectKey& k = copy.key;
      std::string before_hash;
      session << "SELECT written_hash FROM destination_copies "
                 "WHERE agent_id = ? AND source = ? AND calendar_id = ? AND native_id = ?",
          useRef(k.agent_id), useRef(k.source), useRef(k.calendar_id), useRef(k.native_id), into(before_hash), now;
      sqlite::writeCopyRow(session, copy);
      insertJournal(session, {0, 0, actor, "copy-write", k, before_hash, copy.written_hash,
                              copy.dest_calendar + " " + copy.dest_native_id});
      transaction.commit();
    });
  }

  void removeCopy(const ObjectKey& key, const std::string& actor) override {
    db_->run("remove copy", [&](Session& session) {
      sqlite::Transaction transaction(session);
      std::vector<DestinationCopy> found = selectCopies(
          session, " WHERE agent_id = ? AND source = ? AND calendar_id = ? AND native_id = ?", &key);
      if (found.empty()) return;  // nothing to remove, nothing to journal
      session << "DELETE FROM destination_copies WHERE agent_id = ? AND source = ? AND calendar_id = ? "
                 "AND native_id = ?",
          useRef(key.agent_id), useRef(key.source), useRef(key.calendar_id), useRef(key.native_id), now;
      const DestinationCopy& removed = found.front();
      insertJournal(session, {0, 0, actor, "copy-delete", key, removed.written_hash, "",
                              removed.dest_calendar + " " + removed.dest_native_id});
      transaction.commit();
    });
  }

  void appendJournal(const JournalEntry& entry) override {
    db_->run("append journal", [&](Session& session) { insertJournal(session, entry); });
  }

  std::vector<JournalEntry> recentJournal(std::size_t limit) override { return readJournal("", limit); }

  std::vector<JournalEntry> journalForAgent(const std::string& agent_id, std::size_t limit) override {
    return readJournal(agent_id, limit);
  }

  std::map<std::string, std::int64_t> counts() override {
    return db_->run("count rows", [](Session& session) {
      std::map<std::string, std::int64_t> counts = {
          {"objects.active", 0}, {"objects.out_of_window", 0}, {"objects.deleted", 0}};
      std::vector<std::string> states;
      std::vector<std::int64_t> per_state;
      session << "SELECT state, COUNT(*) FROM objects GROUP BY state", into(states), into(per_state), now;
      for (std::size_t i = 0; i < states.size(); ++i) counts["objects." + states[i]] = per_state[i];
      for (const char* table : {"agents", "calendars", "journal"}) {
        session << "SELECT COUNT(*) FROM " + std::string(table), into(counts[table]), now;
      }
      session << "SELECT COUNT(*) FROM destination_copies", into(counts["copies"]), now;
      return counts;
    });
  }

 private:
  static void requireOwnedBy(const std::string& agent_id, const ObjectKey& key) {
    if (key.agent_id != agent_id) {
      throw StoreError("object key of agent '" + key.agent_id + "' in a batch from agent '" + agent_id + "'");
    }
  }

  // True when this (epoch, sequence) was already applied. A new epoch starts over.
  static bool isReplay(Session& session, const IngestBatch& batch) {
    std::string epoch;
    std::int64_t last_sequence = 0;
    Statement select(session);
    select << "SELECT epoch, last_sequence FROM agents WHERE id = ?", useRef(batch.agent_id), into(epoch),
        into(last_sequence);
    if (select.execute() == 0) return false;
    return epoch == batch.epoch && batch.sequence <= last_sequence;
  }

  static void upsertCalendars(Session& session, const std::vector<StoredCalendar>& calendars) {
    for (const StoredCalendar& c : calendars) {
      session << "INSERT INTO calendars (agent_id, source, calendar_id, name, color, description, writable) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id, source, calendar_id) DO UPDATE SET "
                 "name = excluded.name, color = excluded.color, description = excluded.description, "
                 "writable = excluded.writable",
          useRef(c.agent_id), useRef(c.source), useRef(c.calendar.id), useRef(c.calendar.name),
          useRef(c.calendar.color), useRef(c.calendar.description), bind(c.calendar.writable ? 1 : 0), now;
    }
  }

  static std::vector<DestinationCopy> selectCopies(Session& session, const std::string& where_or_order,
                                                   const ObjectKey* key) {
    Statement select(session);
    select << "SELECT " + std::string(sqlite::kCopyColumns) + " FROM destination_copies" + where_or_order;
    if (key) select, useRef(key->agent_id), useRef(key->source), useRef(key->calendar_id), useRef(key->native_id);
    return sqlite::fetchCopies(select);
  }

  // Newest first; every agent's entries when `agent_id` is empty.
  std::vector<JournalEntry> readJournal(const std::string& agent_id, std::size_t limit) {
    return db_->run("read journal", [&](Session& session) {
      std::vector<std::int64_t> ids, ats;
      std::vector<std::string> actors, actions, agent_ids, sources, calendar_ids, native_ids, befores, afters, details;
      Statement select(session);
      select << "SELECT id, at, actor, action, agent_id, source, calendar_id, native_id, before_hash, after_hash, "
                "detail FROM journal" + std::string(agent_id.empty() ? "" : " WHERE agent_id = ?") +
                    " ORDER BY id DESC LIMIT ?",
          into(ids), into(ats), into(actors), into(actions), into(agent_ids), into(sources), into(calendar_ids),
          into(native_ids), into(befores), into(afters), into(details);
      if (!agent_id.empty()) select, useRef(agent_id);
      select, bind(static_cast<std::int64_t>(limit));
      select.execute();
      std::vector<JournalEntry> entries;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        entries.push_back({ids[i], ats[i], actors[i], actions[i],
                           ObjectKey{agent_ids[i], sources[i], calendar_ids[i], native_ids[i]}, befores[i], afters[i],
                           details[i]});
      }
      return entries;
    });
  }

  static void insertJournal(Session& session, const JournalEntry& e) {
    const std::int64_t at = e.at != 0 ? e.at : sqlite::nowEpochSeconds();
    session << "INSERT INTO journal (at, actor, action, agent_id, source, calendar_id, native_id, before_hash, "
               "after_hash, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(at), useRef(e.actor), useRef(e.action), useRef(e.key.agent_id), useRef(e.key.source),
        useRef(e.key.calendar_id), useRef(e.key.native_id), useRef(e.before_hash), useRef(e.after_hash),
        useRef(e.detail), now;
  }

  std::shared_ptr<sqlite::Database> db_;
};

}  // namespace

std::unique_ptr<MasterStore> openSqliteMasterStore(const std::string& path) {
  return std::move(openSqliteMasterDatabase(path).objects);
}

MasterDatabase openSqliteMasterDatabase(const std::string& path) {
  auto db = std::make_shared<sqlite::Database>("master store", path, sqlite::masterStoreMigrations());
  MasterDatabase result;
  result.objects = std::make_unique<SqliteMasterStore>(db);
  result.auth = sqlite::makeAuthStore(db);
  result.updates = sqlite::makeUpdateQueue(db);
  result.audit = sqlite::makeAuditLog(db);
  result.control = sqlite::makeSyncControl(db);
  result.roundtrip = sqlite::makeRoundTripStore(db);
  return result;
}

}  // namespace calsync::store
