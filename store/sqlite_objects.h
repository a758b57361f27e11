// Internal to store/: how StoredObjects map to rows of the master store's `objects` table,
// both ways, and the per-object steps of an ingest (upsert, tombstone, journal).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "store/master_store.h"

namespace calsync::store::sqlite {

const char* stateName(ObjectState state);

// Selected columns, table alias `o`, in the order ObjectRows reads them.
inline constexpr const char* kObjectColumns =
    "o.agent_id, o.source, o.calendar_id, o.native_id, o.uid, o.hash, o.ical, o.span_start, o.span_end, o.state, "
    "o.updated_at";

// Executes a statement that selects kObjectColumns (its SQL and parameters already set)
// and returns its rows.
std::vector<StoredObject> fetchObjects(Poco::Data::Statement& statement);

// Applies one batch's objects inside the caller's transaction. The statements are prepared
// once and re-executed for every object, bound by reference to the members below.
class ObjectIngest {
 public:
  ObjectIngest(Poco::Data::Session& session, const std::string& actor, std::int64_t at);
  ObjectIngest(const ObjectIngest&) = delete;
  ObjectIngest& operator=(const ObjectIngest&) = delete;

  // Insert or update; journals "upsert" when hash or state changed, "out-of-window" when the
  // object leaves the window. Throws StoreError for an upsert in state Deleted.
  void upsert(const StoredObject& object);
  // Tombstones a known object and journals "delete"; unknown or already deleted: no-op.
  void remove(const ObjectKey& key);

 private:
  bool find(const ObjectKey& key);
  void journal(const char* action);

  Poco::Data::Statement find_, write_, tombstone_, journal_;
  ObjectKey key_;
  std::string found_hash_, found_state_;
  std::string uid_, hash_, ical_, state_, action_;
  std::int64_t span_start_ = 0, span_end_ = 0;
  std::string actor_;
  std::int64_t at_;
};

}  // namespace calsync::store::sqlite
