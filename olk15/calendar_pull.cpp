#include "olk15/calendar_pull.h"

#include "core/log.h"
#include "olk15/event_groups.h"
#include "olk15/event_loader.h"
#include "olk15/format_error.h"
#include "olk15/object_builder.h"

namespace calsync::olk15 {
namespace {

constexpr const char* kLog = "olk15";

class Fnv64 {
 public:
  void add(std::int64_t v) {
    for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(v >> (8 * i)));
  }
  void add(const std::string& s) {
    add(static_cast<std::int64_t>(s.size()));
    for (char c : s) byte(static_cast<unsigned char>(c));
  }
  std::uint64_t value() const { return h_; }

 private:
  void byte(unsigned char b) {
    h_ ^= b;
    h_ *= 0x100000001b3ULL;
  }
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

std::string where(const EventRow& r) {
  return r.path.empty() ? "Outlook.sqlite record " + std::to_string(r.record_id) : r.path;
}

}  // namespace

bool touches(const Window& window, std::int64_t start, std::int64_t end) {
  if (start == end) return start >= window.start_utc && start < window.end_utc;
  return window.overlaps(start, end);
}

CalendarPull pullCalendar(const std::vector<const EventRow*>& rows, DataFiles& files, const Window& window,
                          const CalendarState* previous) {
  CalendarPull out;
  ChangeSet& changes = out.changes;
  bool any_failed = false;

  for (const EventGroup& group : groupRows(rows)) {
    // The group's signature: what its rows say and the size and mtime of its files.
    Fnv64 sig;
    std::vector<std::string> failures;
    for (const EventRow* r : group.rows) {
      sig.add(r->record_id);
      sig.add(r->path);
      sig.add(r->mod_date);
      FileStamp stamp = r->file_size >= 0 ? FileStamp{r->file_size, r->file_mtime_ns} : FileStamp{};
      if (!r->path.empty() && r->file_size < 0) stamp = files.stamp(r->path);
      sig.add(stamp.size);
      sig.add(stamp.mtime_ns);
      if (!r->failure.empty()) failures.push_back(where(*r) + ": " + r->failure);
    }
    const std::uint64_t signature = sig.value();
    const ObjectState* before = nullptr;
    if (previous) {
      auto it = previous->objects.find(group.native_id);
      if (it != previous->objects.end()) before = &it->second;
    }
    const bool unchanged = before && before->signature == signature && failures.empty();

    ObjectState now;
    now.signature = signature;
    bool need_build = false;
    if (unchanged) {
      now = *before;
      const bool in = touches(window, now.span_start, now.span_end);
      if (in && !now.reported_in_window) need_build = true;
      if (!in) {
        if (now.reported_in_window) changes.out_of_window.push_back(group.native_id);
        now.reported_in_window = false;
      }
    } else if (!failures.empty()) {
      need_build = true;  // reported below as failed
    } else if (!group.recurring) {
      spanFromRows(group, now.span_start, now.span_end);
      if (touches(window, now.span_start, now.span_end)) {
        need_build = true;
      } else {
        changes.out_of_window.push_back(group.native_id);
        now.reported_in_window = false;
      }
    } else {
      need_build = true;  // a series: only its file knows how far it runs
    }

    if (need_build) {
      std::vector<OlkEvent> events;
      if (failures.empty()) {
        for (const EventRow* r : group.rows) {
          std::string error;
          auto loaded = loadEvent(files, r->path, error);
          ++out.files_read;
          if (!loaded) {
            failures.push_back(where(*r) + ": " + error);
            continue;
          }
          events.push_back(std::move(loaded->event));
        }
      }
      std::optional<CalendarObject> object;
      if (failures.empty()) {
        try {
          object = buildObject(group, events);
        } catch (const FormatError& e) {
          failures.push_back(where(*group.rows.front()) + ": " + e.what());
        }
      }
      if (!failures.empty()) {
        // Skipped, not lost: the object keeps what was last known of it and is read again next time.
        any_failed = true;
        for (const auto& f : failures) {
          const auto colon = f.find(": ");
          changes.warnings.push_back({f.substr(0, colon), f.substr(colon + 2)});
          log::warn(kLog, "skipped " + f);
        }
        if (before) out.state.objects[group.native_id] = *before;
        continue;
      }
      now.span_start = object->span_start_utc;
      now.span_end = object->span_end_utc;
      if (touches(window, now.span_start, now.span_end)) {
        now.reported_in_window = true;
        changes.upserts.push_back(std::move(*object));
      } else {
        now.reported_in_window = false;
        changes.out_of_window.push_back(group.native_id);
      }
    }
    out.state.objects[group.native_id] = now;
  }

  if (previous) {
    for (const auto& [native_id, state] : previous->objects) {
      if (!out.state.objects.count(native_id)) changes.removed.push_back(native_id);
    }
  }
  // Only a full listing in which every object was read can stand for the whole calendar.
  changes.complete = previous == nullptr && !any_failed;
  out.state_changed = previous == nullptr || previous->objects != out.state.objects;
  out.state.generation = out.state_changed ? newGeneration() : previous->generation;
  changes.cursor = cursorFor(out.state.generation);
  return out;
}

}  // namespace calsync::olk15
