#include "store/sqlite_objects.h"

namespace calsync::store::sqlite {

using namespace Poco::Data::Keywords;

namespace {

ObjectState stateFromName(const std::string& name) {
  if (name == "active") return ObjectState::Active;
  if (name == "out_of_window") return ObjectState::OutOfWindow;
  if (name == "deleted") return ObjectState::Deleted;
  throw StoreError("unknown object state '" + name + "' in the database");
}

}  // namespace

const char* stateName(ObjectState state) {
  switch (state) {
    case ObjectState::Active: return "active";
    case ObjectState::OutOfWindow: return "out_of_window";
    case ObjectState::Deleted: return "deleted";
  }
  throw StoreError("invalid object state " + std::to_string(static_cast<int>(state)));
}

std::vector<StoredObject> fetchObjects(Poco::Data::Statement& statement) {
  std::vector<std::string> agent_ids, sources, calendar_ids, native_ids, uids, hashes, icals, states;
  std::vector<std::int64_t> span_starts, span_ends, updated_ats;
  statement, into(agent_ids), into(sources), into(calendar_ids), into(native_ids), into(uids), into(hashes),
      into(icals), into(span_starts), into(span_ends), into(states), into(updated_ats);
  statement.execute();
  std::vector<StoredObject> objects;
  objects.reserve(agent_ids.size());
  for (std::size_t i = 0; i < agent_ids.size(); ++i) {
    StoredObject o;
    o.key = {std::move(agent_ids[i]), std::move(sources[i]), std::move(calendar_ids[i]), std::move(native_ids[i])};
    o.uid = std::move(uids[i]);
    o.hash = std::move(hashes[i]);
    o.ical = std::move(icals[i]);
    o.span_start_utc = span_starts[i];
    o.span_end_utc = span_ends[i];
    o.state = stateFromName(states[i]);
    o.updated_at = updated_ats[i];
    objects.push_back(std::move(o));
  }
  return objects;
}

ObjectIngest::ObjectIngest(Poco::Data::Session& session, const std::string& actor, std::int64_t at)
    : find_(session), write_(session), tombstone_(session), journal_(session), actor_(actor), at_(at) {
  find_ << "SELECT hash, state FROM objects WHERE agent_id = ? AND source = ? AND calendar_id = ? AND native_id = ?",
      use(key_.agent_id), use(key_.source), use(key_.calendar_id), use(key_.native_id), into(found_hash_),
      into(found_state_);
  // updated_at moves only when the content or the state did: an unchanged re-send (e.g. a
  // new server-managed SEQUENCE) refreshes the text without looking like a change.
  write_ << "INSERT INTO objects (agent_id, source, calendar_id, native_id, uid, hash, ical, span_start, span_end, "
            "state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (agent_id, source, calendar_id, native_id) DO UPDATE SET uid = excluded.uid, "
            "hash = excluded.hash, ical = excluded.ical, span_start = excluded.span_start, "
            "span_end = excluded.span_end, state = excluded.state, "
            "updated_at = CASE WHEN objects.hash = excluded.hash AND objects.state = excluded.state "
            "THEN objects.updated_at ELSE excluded.updated_at END",
      use(key_.agent_id), use(key_.source), use(key_.calendar_id), use(key_.native_id), use(uid_), use(hash_),
      use(ical_), use(span_start_), use(span_end_), use(state_), use(at_);
  tombstone_ << "UPDATE objects SET state = 'deleted', updated_at = ? "
                "WHERE agent_id = ? AND source = ? AND calendar_id = ? AND native_id = ?",
      use(at_), use(key_.agent_id), use(key_.source), use(key_.calendar_id), use(key_.native_id);
  journal_ << "INSERT INTO journal (at, actor, action, agent_id, source, calendar_id, native_id, before_hash, "
              "after_hash, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
      use(at_), use(actor_), use(action_), use(key_.agent_id), use(key_.source), use(key_.calendar_id),
      use(key_.native_id), use(found_hash_), use(hash_);
}

void ObjectIngest::upsert(const StoredObject& object) {
  if (object.state == ObjectState::Deleted) {
    throw StoreError("object " + object.key.native_id + " is upserted with state Deleted; send a deletion instead");
  }
  const bool existed = find(object.key);
  uid_ = object.uid;
  hash_ = object.hash;
  ical_ = object.ical;
  span_start_ = object.span_start_utc;
  span_end_ = object.span_end_utc;
  state_ = stateName(object.state);
  write_.execute();
  if (object.state == ObjectState::OutOfWindow) {
    if (!existed || found_state_ != state_) journal("out-of-window");
  } else if (!existed || found_hash_ != hash_ || found_state_ != state_) {
    journal("upsert");
  }
}

void ObjectIngest::remove(const ObjectKey& key) {
  if (!find(key) || found_state_ == stateName(ObjectState::Deleted)) return;
  tombstone_.execute();
  hash_.clear();  // the journal's after_hash: nothing
  journal("delete");
}

bool ObjectIngest::find(const ObjectKey& key) {
  key_ = key;
  found_hash_.clear();
  found_state_.clear();
  return find_.execute() > 0;
}

void ObjectIngest::journal(const char* action) {
  action_ = action;
  journal_.execute();
}

}  // namespace calsync::store::sqlite
