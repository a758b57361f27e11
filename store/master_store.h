// What the master keeps: every source object with its provenance, the copies it wrote to
// the destination, and a journal. One interface, one implementation per engine (SQLite
// now; PostgreSQL for scale-out). Every method is a transaction: once it returns, the
// write survives a kill -9.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "store/audit_log.h"
#include "store/auth_store.h"
#include "store/store_error.h"
#include "store/sync_control.h"
#include "store/update_queue.h"

namespace calsync::store {

// Identifies one source object across the whole deployment.
struct ObjectKey {
  std::string agent_id;
  std::string source;
  std::string calendar_id;
  std::string native_id;
  bool operator<(const ObjectKey& o) const;
  bool operator==(const ObjectKey& o) const = default;
};

enum class ObjectState {
  Active,       // in the sync window; mirrored to the destination
  OutOfWindow,  // still exists at the source but left the window: its copy is left alone
  Deleted,      // the source deleted it (tombstone); its copy is removed
};

struct StoredObject {
  ObjectKey key;
  std::string uid;
  std::string hash;          // core contentHash of the object
  std::string ical;          // the object as iCalendar text
  std::int64_t span_start_utc = 0;
  std::int64_t span_end_utc = 0;
  ObjectState state = ObjectState::Active;
  std::int64_t updated_at = 0;  // master clock, epoch seconds; set by the store
};

struct StoredCalendar {
  std::string agent_id;
  std::string source;
  Calendar calendar;
};

// The copy of one source object in the destination calendar.
struct DestinationCopy {
  ObjectKey key;
  std::string copy_uid;
  std::string dest_calendar;
  std::string dest_native_id;
  std::string dest_etag;
  std::string written_hash;  // source hash last merged into the copy; empty = rewrite from the source
  // The destination round trip (master/destination_reader.h): the version both sides last
  // agreed on (iCalendar, source form), the destination's rendering of it as read back
  // (empty = not read back yet), the destination's edited version while it is not merged
  // yet, and the source version an edit sent to the source was based on while that update
  // (routed_update_id) is in flight.
  std::string base_ical;
  std::string base_rendering;
  std::string dest_ical;
  std::string route_base;
  std::int64_t routed_update_id = 0;
  bool dest_deleted = false;  // deleted at the destination; the deletion went to the source
};

// Everything one source calendar holds, sent after a resync: whatever else the store has
// for that calendar no longer exists at the source.
struct CalendarSnapshot {
  std::string source;
  std::string calendar_id;
  std::vector<std::string> native_ids;
};

// What the store holds for one object, for comparing state digests.
struct ObjectVersion {
  ObjectKey key;
  std::string hash;
  ObjectState state = ObjectState::Active;
};

// One heartbeat's worth of changes from one agent.
struct IngestBatch {
  std::string agent_id;
  std::string agent_name;
  // An agent's state database names itself with an epoch; a new epoch (state lost and
  // rebuilt) restarts its sequence numbers instead of being ignored as a replay.
  std::string epoch;
  std::int64_t sequence = 0;  // strictly increasing within an epoch
  std::vector<StoredObject> upserts;  // state Active or OutOfWindow
  std::vector<ObjectKey> deletions;
  std::vector<StoredCalendar> calendars;
  std::vector<CalendarSnapshot> snapshots;  // applied after upserts and deletions
};

struct JournalEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string actor;         // "agent:ID", "destination", "admin:NAME"
  std::string action;        // "upsert", "delete", "out-of-window", "copy-write", "copy-delete", ...
  ObjectKey key;
  std::string before_hash;
  std::string after_hash;
  std::string detail;
};

struct AgentRecord {
  std::string id;
  std::string name;
  std::string epoch;
  std::int64_t last_sequence = 0;
  std::int64_t last_seen = 0;
};

class MasterStore {
 public:
  virtual ~MasterStore() = default;

  // Applies the batch atomically and journals each change. Returns false and changes
  // nothing when (epoch, sequence) was already applied, so retries are harmless.
  virtual bool ingest(const IngestBatch& batch) = 0;
  virtual std::optional<AgentRecord> agent(const std::string& agent_id) = 0;
  // Notes that the agent was heard from (heartbeat, long-poll, enrolment); an unknown agent
  // is added. An empty name keeps the one on record.
  virtual void recordCheckIn(const std::string& agent_id, const std::string& name, std::int64_t at) = 0;
  virtual std::vector<AgentRecord> agents() = 0;

  virtual std::optional<StoredObject> object(const ObjectKey& key) = 0;
  // Active objects whose span overlaps [from, to).
  virtual std::vector<StoredObject> activeObjectsInRange(std::int64_t from, std::int64_t to) = 0;
  virtual std::vector<StoredCalendar> calendars() = 0;
  // Changes a calendar's name, color or description as the master shows it; false when the
  // calendar is unknown.
  virtual bool updateCalendar(const StoredCalendar& calendar) = 0;
  // Objects of one agent that are not deleted.
  virtual std::vector<ObjectVersion> objectVersions(const std::string& agent_id) = 0;

  // Work for the destination writer: Active objects without a copy, whose copy was written
  // from another hash or was edited at the destination, and Deleted objects that still have
  // a copy. Copies held for a person (a conflict) or for a source (a deletion made at the
  // destination, on its way) are left out.
  virtual std::vector<StoredObject> pendingWrites(std::size_t limit) = 0;
  virtual std::optional<DestinationCopy> copy(const ObjectKey& key) = 0;
  virtual std::vector<DestinationCopy> copies() = 0;
  virtual void saveCopy(const DestinationCopy& copy, const std::string& actor) = 0;  // journals copy-write
  virtual void removeCopy(const ObjectKey& key, const std::string& actor) = 0;      // journals copy-delete

  virtual void appendJournal(const JournalEntry& entry) = 0;
  virtual std::vector<JournalEntry> recentJournal(std::size_t limit) = 0;
  virtual std::vector<JournalEntry> journalForAgent(const std::string& agent_id, std::size_t limit) = 0;
  // Row counts by name ("objects.active", "objects.deleted", "copies", ...), for /health.
  virtual std::map<std::string, std::int64_t> counts() = 0;
};

// Opens (creating if needed) and migrates the SQLite store at `path`. Throws StoreError.
// The store may be shared between threads: calls are serialized.
std::unique_ptr<MasterStore> openSqliteMasterStore(const std::string& path);

class RoundTripStore;

// The master's whole database: objects, trust, update queues and audit, over one
// connection.
struct MasterDatabase {
  std::unique_ptr<MasterStore> objects;
  std::unique_ptr<AuthStore> auth;
  std::unique_ptr<UpdateQueue> updates;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<SyncControl> control;
  // shared_ptr: RoundTripStore is declared in store/round_trip_store.h, which needs this
  // file's types; a shared_ptr can be destroyed where the type is incomplete.
  std::shared_ptr<RoundTripStore> roundtrip;
};
MasterDatabase openSqliteMasterDatabase(const std::string& path);

}  // namespace calsync::store
