// A destination for tests of the round trip: an in-memory calendar with change tracking, so
// pull() with a cursor returns only what changed since (and positive deletions), as CalDAV
// sync-collection, Google sync tokens and Graph delta links do. A test plays the person
// editing the destination (edit/remove/reformat) and can expire cursors or break reads.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/connector.h"
#include "core/errors.h"

namespace calsync::testing {

class IncrementalConnector : public Connector {
 public:
  // Test controls.
  void edit(const std::string& native_id, const std::function<void(CalendarObject&)>& change) {
    auto& slot = objects_.at(native_id);
    change(slot.object);
    touch(slot);
  }
  // A server that rewrites an object on its own: new etag, same content.
  void reformat(const std::string& native_id) { touch(objects_.at(native_id)); }
  void remove(const std::string& native_id) {
    objects_.erase(native_id);
    removed_[native_id] = ++sequence_;
  }
  // Puts an event calsync did not write.
  void putForeign(CalendarObject object) {
    Slot slot{std::move(object), 0};
    const std::string id = slot.object.native_id;
    touch(slot);
    objects_[id] = std::move(slot);
  }
  const CalendarObject* byUid(const std::string& uid) const {
    for (const auto& [id, slot] : objects_) {
      if (slot.object.uid == uid) return &slot.object;
    }
    return nullptr;
  }
  std::size_t size() const { return objects_.size(); }
  bool expire_cursors = false;               // every cursor is refused: a full listing follows
  bool hide_everything = false;              // a full listing that comes back empty
  // Like Exchange's SyncFolderItems: an item created and deleted since the cursor is not
  // reported at all.
  bool fold_create_and_delete = false;
  // A server that cannot store descriptions: it drops them from what it is given.
  bool drop_descriptions = false;
  std::optional<ErrorKind> fail_next_pull;
  int writes = 0;
  int pulls = 0;
  int full_listings = 0;
  int finds = 0;

  Capabilities capabilities() const override { return {true, true, false, true, false}; }
  std::vector<Calendar> listCalendars() override { return {{"dest", "Consolidated", "", "", true}}; }

  ChangeSet pull(const CalendarId&, const Window&, const Cursor& cursor) override {
    ++pulls;
    if (fail_next_pull) {
      const ErrorKind kind = *fail_next_pull;
      fail_next_pull.reset();
      throw ConnectorError(kind, "scripted read failure");
    }
    ChangeSet set;
    std::int64_t since = -1;
    if (!cursor.empty() && !expire_cursors && cursor.rfind("seq:", 0) == 0) since = std::stoll(cursor.substr(4));
    if (since < 0) {
      ++full_listings;
      set.complete = true;
      if (!hide_everything) {
        for (const auto& [id, slot] : objects_) set.upserts.push_back(slot.object);
      }
    } else {
      for (const auto& [id, slot] : objects_) {
        if (slot.changed > since) set.upserts.push_back(slot.object);
      }
      for (const auto& [id, at] : removed_) {
        const bool created_since = created_.count(id) && created_.at(id) > since;
        if (at > since && !(fold_create_and_delete && created_since)) set.removed.push_back(id);
      }
    }
    set.cursor = "seq:" + std::to_string(sequence_);
    return set;
  }

  std::optional<CalendarObject> findByUid(const CalendarId&, const std::string& uid) override {
    ++finds;
    if (const auto* found = byUid(uid)) return *found;
    return std::nullopt;
  }

  WriteResult apply(const EventChange& change) override {
    const std::string id = change.object.native_id.empty() ? change.object.uid + ".ics" : change.object.native_id;
    auto it = objects_.find(id);
    if (change.kind == EventChange::Kind::Create) {
      if (it != objects_.end() || byUid(change.object.uid)) throw ConnectorError(ErrorKind::Conflict, "exists");
    } else {
      if (it == objects_.end()) throw ConnectorError(ErrorKind::NotFound, "gone");
      if (!change.if_match.empty() && change.if_match != it->second.object.etag) {
        throw ConnectorError(ErrorKind::Conflict, "etag mismatch");
      }
    }
    ++writes;
    if (change.kind == EventChange::Kind::Delete) {
      remove(id);
      return {id, ""};
    }
    Slot slot{change.object, 0};
    slot.object.native_id = id;
    if (drop_descriptions) {
      for (auto& c : slot.object.components) c.description.clear();
    }
    touch(slot);
    if (change.kind == EventChange::Kind::Create) created_[id] = slot.changed;
    objects_[id] = slot;
    return {id, slot.object.etag};
  }
  void apply(const CalendarChange&) override {}

 private:
  struct Slot {
    CalendarObject object;
    std::int64_t changed = 0;
  };
  void touch(Slot& slot) {
    slot.changed = ++sequence_;
    slot.object.etag = "\"v" + std::to_string(slot.changed) + "\"";
    removed_.erase(slot.object.native_id);
  }

  std::map<std::string, Slot> objects_;
  std::map<std::string, std::int64_t> removed_;
  std::map<std::string, std::int64_t> created_;
  std::int64_t sequence_ = 0;
};

}  // namespace calsync::testing
