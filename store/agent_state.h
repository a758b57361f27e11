// What an agent remembers between cycles: per source calendar its cursor and what it last
// sent for each object (hash, window state), and a durable outbox of batches the master
// has not acknowledged yet. A commit records all three at once, so a crash can neither
// lose a change nor send it twice under different sequence numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/store_error.h"

namespace calsync::store {

struct KnownObject {
  std::string native_id;
  std::string uid;
  std::string hash;
  bool in_window = true;
};

struct KnownEntry {
  std::string source;
  std::string calendar_id;
  KnownObject object;
};

// Named value set by resetAll() and cleared by the agent once every source has re-sent.
inline constexpr const char* kResyncPendingValue = "resync_pending";

struct OutboxBatch {
  std::int64_t sequence = 0;
  std::string payload;
  std::int64_t created_at = 0;
};

struct StateCommit {
  std::string source;
  std::string calendar_id;
  std::string cursor;                   // the cursor to resume from next time
  std::vector<KnownObject> upserted;    // new or changed known state
  std::vector<std::string> forgotten;   // native ids no longer known (deleted at the source)
  std::string payload;                  // batch for the master; empty = nothing to send
};

class AgentStateStore {
 public:
  virtual ~AgentStateStore() = default;
  // Random id made when the database was created; see IngestBatch::epoch.
  virtual std::string epoch() = 0;
  virtual std::string cursor(const std::string& source, const std::string& calendar_id) = 0;
  virtual std::map<std::string, KnownObject> known(const std::string& source, const std::string& calendar_id) = 0;
  // Atomically applies the commit; returns the outbox sequence of its batch (0 if none).
  virtual std::int64_t commit(const StateCommit& commit) = 0;
  // Drops everything known about one source calendar (cursor and objects), e.g. when its
  // cursor was refused and a full listing follows. Outbox batches are kept.
  virtual void resetCalendar(const std::string& source, const std::string& calendar_id) = 0;
  // Forgets every cursor but keeps what is known: the next cycle reads each calendar in full
  // and ships only what differs (e.g. after the sync window changed).
  virtual void resetCursors() = 0;
  // Forgets every cursor and everything known, and marks a resync as pending, in one
  // transaction: the next cycles re-send full listings as snapshots.
  virtual void resetAll() = 0;
  // Every known object of every source calendar, for the state digest.
  virtual std::vector<KnownEntry> allKnown() = 0;
  virtual std::vector<OutboxBatch> outbox(std::size_t limit) = 0;   // oldest first
  virtual std::size_t outboxSize() = 0;
  virtual void acknowledge(std::int64_t up_to_sequence) = 0;        // removes batches <= it
  // Small named values (enrolment state, last digest, ...).
  virtual std::string value(const std::string& name) = 0;
  virtual void setValue(const std::string& name, const std::string& value) = 0;
};

// Opens (creating directories, file and schema if needed) the SQLite state at `path`.
// Throws StoreError. The store may be shared between threads: calls are serialized.
std::unique_ptr<AgentStateStore> openSqliteAgentState(const std::string& path);

}  // namespace calsync::store
