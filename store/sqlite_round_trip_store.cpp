// RoundTripStore on SQLite, sharing the master store's connection.
#include <Poco/Data/Statement.h>

#include <iomanip>
#include <random>
#include <sstream>

#include "store/sqlite_copies.h"
#include "store/sqlite_objects.h"
#include "store/sqlite_side_stores.h"

namespace calsync::store::sqlite {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

constexpr const char* kConflictColumns =
    "id, agent_id, source, calendar_id, native_id, uid, status, detected_at, resolved_at, resolved_by, fields, "
    "resolution, base_ical, base_rendering, source_ical, destination_ical, destination_etag, resolved_ical, applied";

std::string newConflictId() {
  std::random_device random;
  std::ostringstream hex;
  hex << "cfl_" << std::hex << std::setfill('0');
  for (int i = 0; i < 2; ++i) hex << std::setw(8) << static_cast<std::uint32_t>(random());
  return hex.str();
}

std::string joinFields(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

std::vector<std::string> splitFields(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::vector<ConflictRecord> fetchConflicts(Statement& statement) {
  std::vector<std::string> ids, agent_ids, sources, calendar_ids, native_ids, uids, statuses, resolved_bys, fields,
      resolutions, bases, renderings, source_icals, destination_icals, etags, resolved_icals;
  std::vector<std::int64_t> detected, resolved, applied;
  statement, into(ids), into(agent_ids), into(sources), into(calendar_ids), into(native_ids), into(uids),
      into(statuses), into(detected), into(resolved), into(resolved_bys), into(fields), into(resolutions),
      into(bases), into(renderings), into(source_icals), into(destination_icals), into(etags), into(resolved_icals), into(applied);
  statement.execute();
  std::vector<ConflictRecord> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ConflictRecord c;
    c.id = ids[i];
    c.key = {agent_ids[i], sources[i], calendar_ids[i], native_ids[i]};
    c.uid = uids[i];
    c.status = statuses[i];
    c.detected_at = detected[i];
    c.resolved_at = resolved[i];
    c.resolved_by = resolved_bys[i];
    c.fields = splitFields(fields[i]);
    c.resolution = resolutions[i];
    c.base_ical = std::move(bases[i]);
    c.base_rendering = std::move(renderings[i]);
    c.source_ical = std::move(source_icals[i]);
    c.destination_ical = std::move(destination_icals[i]);
    c.destination_etag = etags[i];
    c.resolved_ical = std::move(resolved_icals[i]);
    c.applied = applied[i] != 0;
    out.push_back(std::move(c));
  }
  return out;
}

void insertJournal(Session& session, const JournalEntry& e) {
  const std::int64_t at = e.at != 0 ? e.at : nowEpochSeconds();
  session << "INSERT INTO journal (at, actor, action, agent_id, source, calendar_id, native_id, before_hash, "
             "after_hash, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      bind(at), useRef(e.actor), useRef(e.action), useRef(e.key.agent_id), useRef(e.key.source),
      useRef(e.key.calendar_id), useRef(e.key.native_id), useRef(e.before_hash), useRef(e.after_hash),
      useRef(e.detail), now;
}

class SqliteRoundTripStore final : public RoundTripStore {
 public:
  explicit SqliteRoundTripStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  std::string destinationCursor(const std::string& dest_calendar) override {
    return db_->run("read destination cursor", [&](Session& session) {
      std::string cursor;
      Statement select(session);
      select << "SELECT cursor FROM destination_cursors WHERE calendar_id = ?", useRef(dest_calendar), into(cursor);
      select.execute();
      return cursor;
    });
  }

  void setDestinationCursor(const std::string& dest_calendar, const std::string& cursor) override {
    db_->run("save destination cursor", [&](Session& session) {
      session << "INSERT INTO destination_cursors (calendar_id, cursor, updated_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (calendar_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
          useRef(dest_calendar), useRef(cursor), bind(nowEpochSeconds()), now;
    });
  }

  std::optional<DestinationCopy> copyByUid(const std::string& dest_calendar, const std::string& copy_uid) override {
    return oneCopy("read copy by uid", " WHERE dest_calendar = ? AND copy_uid = ?", dest_calendar, copy_uid);
  }

  std::optional<DestinationCopy> copyAt(const std::string& dest_calendar, const std::string& dest_native_id) override {
    return oneCopy("read copy by location", " WHERE dest_calendar = ? AND dest_native_id = ?", dest_calendar,
                   dest_native_id);
  }

  std::optional<DestinationCopy> copyByRoutedUpdate(std::int64_t update_id) override {
    if (update_id == 0) return std::nullopt;
    return db_->run("read copy by update", [&](Session& session) -> std::optional<DestinationCopy> {
      Statement select(session);
      select << "SELECT " + std::string(kCopyColumns) + " FROM destination_copies WHERE routed_update_id = ?",
          bind(update_id);
      auto found = fetchCopies(select);
      if (found.empty()) return std::nullopt;
      return std::move(found.front());
    });
  }

  std::vector<CopyLocation> copyLocations(const std::string& dest_calendar) override {
    return db_->run("read copy locations", [&](Session& session) {
      std::vector<std::string> agent_ids, sources, calendar_ids, native_ids, locations;
      session << "SELECT agent_id, source, calendar_id, native_id, dest_native_id FROM destination_copies "
                 "WHERE dest_calendar = ?",
          useRef(dest_calendar), into(agent_ids), into(sources), into(calendar_ids), into(native_ids),
          into(locations), now;
      std::vector<CopyLocation> out;
      for (std::size_t i = 0; i < agent_ids.size(); ++i) {
        out.push_back({{agent_ids[i], sources[i], calendar_ids[i], native_ids[i]}, locations[i]});
      }
      return out;
    });
  }

  std::vector<DestinationCopy> unobservedCopies(const std::string& dest_calendar) override {
    return db_->run("read unobserved copies", [&](Session& session) {
      Statement select(session);
      select << "SELECT " + std::string(kCopyColumns) +
                    " FROM destination_copies WHERE dest_calendar = ? AND base_rendering = '' AND dest_ical = '' "
                    "AND dest_deleted = 0",
          useRef(dest_calendar);
      return fetchCopies(select);
    });
  }

  void updateCopyState(const DestinationCopy& copy, const JournalEntry* journal) override {
    db_->run("update copy state", [&](Session& session) {
      Transaction transaction(session);
      writeCopyRow(session, copy);
      if (journal) insertJournal(session, *journal);
      transaction.commit();
    });
  }

  std::string openConflict(const ConflictRecord& c) override {
    return db_->run("record conflict", [&](Session& session) {
      Transaction transaction(session);
      std::string id;
      Statement select(session);
      select << "SELECT id FROM conflicts WHERE agent_id = ? AND source = ? AND calendar_id = ? AND native_id = ? "
                "AND status = 'open'",
          useRef(c.key.agent_id), useRef(c.key.source), useRef(c.key.calendar_id), useRef(c.key.native_id), into(id);
      const std::string fields = joinFields(c.fields);
      if (select.execute() > 0) {
        session << "UPDATE conflicts SET fields = ?, base_ical = ?, base_rendering = ?, source_ical = ?, "
                   "destination_ical = ?, destination_etag = ? WHERE id = ?",
            useRef(fields), useRef(c.base_ical), useRef(c.base_rendering), useRef(c.source_ical),
            useRef(c.destination_ical), useRef(c.destination_etag), useRef(id), now;
      } else {
        id = newConflictId();
        const std::int64_t at = c.detected_at != 0 ? c.detected_at : nowEpochSeconds();
        session << "INSERT INTO conflicts (id, agent_id, source, calendar_id, native_id, uid, status, detected_at, "
                   "fields, base_ical, base_rendering, source_ical, destination_ical, destination_etag) "
                   "VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)",
            useRef(id), useRef(c.key.agent_id), useRef(c.key.source), useRef(c.key.calendar_id),
            useRef(c.key.native_id), useRef(c.uid), bind(at), useRef(fields), useRef(c.base_ical),
            useRef(c.base_rendering), useRef(c.source_ical), useRef(c.destination_ical), useRef(c.destination_etag), now;
      }
      transaction.commit();
      return id;
    });
  }

  std::optional<ConflictRecord> conflict(const std::string& id) override {
    auto found = selectConflicts(" WHERE id = ?", [&](Statement& s) { s, useRef(id); });
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::optional<ConflictRecord> openConflictFor(const ObjectKey& key) override {
    auto found = selectConflicts(
        " WHERE agent_id = ? AND source = ? AND calendar_id = ? AND native_id = ? AND status = 'open'",
        [&](Statement& s) {
          s, useRef(key.agent_id), useRef(key.source), useRef(key.calendar_id), useRef(key.native_id);
        });
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::vector<ConflictRecord> conflicts(const std::string& status, std::size_t limit) override {
    const auto n = static_cast<std::int64_t>(limit);
    if (status == "all") {
      return selectConflicts(" ORDER BY detected_at DESC, id LIMIT ?", [&](Statement& s) { s, bind(n); });
    }
    return selectConflicts(" WHERE status = ? ORDER BY detected_at DESC, id LIMIT ?",
                           [&](Statement& s) { s, useRef(status), bind(n); });
  }

  bool resolveConflict(const std::string& id, const std::string& resolution, const std::string& resolved_ical,
                       const std::string& actor, std::int64_t at) override {
    return db_->run("resolve conflict", [&](Session& session) {
      session << "UPDATE conflicts SET status = 'resolved', resolution = ?, resolved_ical = ?, resolved_by = ?, "
                 "resolved_at = ?, applied = 0 WHERE id = ? AND status = 'open'",
          useRef(resolution), useRef(resolved_ical), useRef(actor), useRef(at), useRef(id), now;
      int changed = 0;
      session << "SELECT changes()", into(changed), now;
      return changed > 0;
    });
  }

  std::vector<ConflictRecord> unappliedResolutions(std::size_t limit) override {
    const auto n = static_cast<std::int64_t>(limit);
    return selectConflicts(" WHERE status = 'resolved' AND applied = 0 ORDER BY resolved_at, id LIMIT ?",
                           [&](Statement& s) { s, bind(n); });
  }

  void markConflictApplied(const std::string& id) override {
    db_->run("mark conflict applied", [&](Session& session) {
      session << "UPDATE conflicts SET applied = 1 WHERE id = ?", useRef(id), now;
    });
  }

  void reopenConflict(const std::string& id, const std::string& destination_ical,
                      const std::string& destination_etag) override {
    db_->run("reopen conflict", [&](Session& session) {
      session << "UPDATE conflicts SET status = 'open', resolution = '', resolved_ical = '', resolved_at = 0, "
                 "resolved_by = '', applied = 0, destination_ical = ?, destination_etag = ? WHERE id = ?",
          useRef(destination_ical), useRef(destination_etag), useRef(id), now;
    });
  }

  std::vector<StoredObject> heldObjects(std::size_t limit) override {
    return db_->run("read held objects", [&](Session& session) {
      Statement select(session);
      select << "SELECT " + std::string(kObjectColumns) +
                    " FROM objects o JOIN destination_copies c ON c.agent_id = o.agent_id AND c.source = o.source "
                    "AND c.calendar_id = o.calendar_id AND c.native_id = o.native_id WHERE o.state = 'active' AND "
                    "(c.dest_deleted = 1 OR EXISTS (SELECT 1 FROM conflicts f WHERE f.agent_id = o.agent_id AND "
                    "f.source = o.source AND f.calendar_id = o.calendar_id AND f.native_id = o.native_id AND "
                    "f.status = 'open')) ORDER BY o.updated_at, o.agent_id, o.source, o.calendar_id, o.native_id "
                    "LIMIT ?",
          bind(static_cast<std::int64_t>(limit));
      return fetchObjects(select);
    });
  }

  void setSourcePolicy(const std::string& agent_id, const std::string& source,
                       const std::string& conflict_resolution) override {
    db_->run("save source policy", [&](Session& session) {
      session << "INSERT INTO source_policies (agent_id, source, conflict_resolution) VALUES (?, ?, ?) "
                 "ON CONFLICT (agent_id, source) DO UPDATE SET conflict_resolution = excluded.conflict_resolution",
          useRef(agent_id), useRef(source), useRef(conflict_resolution), now;
    });
  }

  std::string sourcePolicy(const std::string& agent_id, const std::string& source) override {
    return db_->run("read source policy", [&](Session& session) {
      std::string policy = "inherit";
      Statement select(session);
      select << "SELECT conflict_resolution FROM source_policies WHERE agent_id = ? AND source = ?",
          useRef(agent_id), useRef(source), into(policy);
      select.execute();
      return policy;
    });
  }

 private:
  std::optional<DestinationCopy> oneCopy(const char* what, const std::string& where, const std::string& a,
                                         const std::string& b) {
    return db_->run(what, [&](Session& session) -> std::optional<DestinationCopy> {
      Statement select(session);
      select << "SELECT " + std::string(kCopyColumns) + " FROM destination_copies" + where, useRef(a), useRef(b);
      auto found = fetchCopies(select);
      if (found.empty()) return std::nullopt;
      return std::move(found.front());
    });
  }

  template <class Bind>
  std::vector<ConflictRecord> selectConflicts(const std::string& where, Bind&& bind_parameters) {
    return db_->run("read conflicts", [&](Session& session) {
      Statement select(session);
      select << "SELECT " + std::string(kConflictColumns) + " FROM conflicts" + where;
      bind_parameters(select);
      return fetchConflicts(select);
    });
  }

  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<RoundTripStore> makeRoundTripStore(std::shared_ptr<Database> db) {
  return std::make_unique<SqliteRoundTripStore>(std::move(db));
}

}  // namespace calsync::store::sqlite
