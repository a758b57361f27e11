// A Connector that keeps calendars in memory, for tests of the engine. It behaves as a
// careful server does: conditional writes with etags, Create refusing an existing UID,
// and failures that a test can script.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/connector.h"
#include "core/errors.h"

namespace calsync::testing {

class InMemoryConnector : public Connector {
 public:
  struct Stored {
    CalendarObject object;
    int version = 1;
  };

  explicit InMemoryConnector(std::vector<Calendar> calendars = {{"cal", "Calendar", "", "", true}})
      : calendars_(std::move(calendars)) {}

  // Test controls.
  void put(const std::string& calendar, CalendarObject object) {
    auto& slot = data_[calendar][object.native_id];
    slot.object = std::move(object);
    ++slot.version;
    slot.object.etag = "\"" + std::to_string(slot.version) + "\"";
  }
  void erase(const std::string& calendar, const std::string& native_id) { data_[calendar].erase(native_id); }
  std::map<std::string, Stored>& objects(const std::string& calendar) { return data_[calendar]; }
  std::optional<ErrorKind> fail_next_pull;
  std::optional<ErrorKind> fail_writes;
  int writes = 0;

  Capabilities capabilities() const override { return {true, true, true, false, false}; }
  std::vector<Calendar> listCalendars() override {
    if (fail_next_pull) throwAndClear();
    return calendars_;
  }
  ChangeSet pull(const CalendarId& calendar, const Window&, const Cursor&) override {
    if (fail_next_pull) throwAndClear();
    ChangeSet set;
    for (const auto& [id, stored] : data_[calendar]) set.upserts.push_back(stored.object);
    set.complete = true;
    set.cursor = "full";
    return set;
  }
  std::optional<CalendarObject> findByUid(const CalendarId& calendar, const std::string& uid) override {
    for (const auto& [id, stored] : data_[calendar]) {
      if (stored.object.uid == uid) return stored.object;
    }
    return std::nullopt;
  }
  WriteResult apply(const EventChange& change) override {
    if (fail_writes) throw ConnectorError(*fail_writes, "scripted write failure");
    auto& objects = data_[change.calendar];
    std::string native_id = change.object.native_id.empty() ? change.object.uid + ".ics" : change.object.native_id;
    auto it = objects.find(native_id);
    switch (change.kind) {
      case EventChange::Kind::Create:
        if (it != objects.end()) throw ConnectorError(ErrorKind::Conflict, "exists");
        break;
      case EventChange::Kind::Update:
      case EventChange::Kind::Delete:
        if (it == objects.end()) throw ConnectorError(ErrorKind::NotFound, "gone");
        if (!change.if_match.empty() && change.if_match != it->second.object.etag) {
          throw ConnectorError(ErrorKind::Conflict, "etag mismatch");
        }
        break;
    }
    ++writes;
    if (change.kind == EventChange::Kind::Delete) {
      objects.erase(it);
      return {native_id, ""};
    }
    CalendarObject stored = change.object;
    stored.native_id = native_id;
    put(change.calendar, stored);
    return {native_id, objects[native_id].object.etag};
  }
  void apply(const CalendarChange& change) override {
    for (auto& c : calendars_) {
      if (c.id != change.calendar) continue;
      if (change.name) c.name = *change.name;
      if (change.color) c.color = *change.color;
      if (change.description) c.description = *change.description;
      return;
    }
    throw ConnectorError(ErrorKind::NotFound, "no calendar " + change.calendar);
  }

 private:
  [[noreturn]] void throwAndClear() {
    const ErrorKind kind = *fail_next_pull;
    fail_next_pull.reset();
    throw ConnectorError(kind, "scripted read failure", kind == ErrorKind::Throttled ? 120 : 0);
  }

  std::vector<Calendar> calendars_;
  std::map<std::string, std::map<std::string, Stored>> data_;
};

// A single event object for tests, spanning [start, start + 1 h).
inline CalendarObject simpleObject(const std::string& uid, std::int64_t start, const std::string& summary) {
  CalendarObject o;
  o.uid = uid;
  o.native_id = uid + ".ics";
  Event e;
  e.uid = uid;
  e.summary = summary;
  e.start = epochToUtc(start);
  e.end = epochToUtc(start + 3600);
  o.components.push_back(e);
  o.span_start_utc = start;
  o.span_end_utc = start + 3600;
  return o;
}

}  // namespace calsync::testing
