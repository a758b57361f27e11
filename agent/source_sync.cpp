#include "agent/source_sync.h"

#include <algorithm>
#include <set>

#include "core/hash.h"
#include "core/log.h"
#include "ical/ical_codec.h"
#include "protocol/batch.h"

namespace calsync::agent {
namespace {

bool heldDeletionsFor(const SourceSyncResult& result, const std::string& calendar_id) {
  return std::find(result.held_deletions.begin(), result.held_deletions.end(), calendar_id) !=
         result.held_deletions.end();
}

std::string metadataFingerprint(const Calendar& c) {
  return sha256Hex(c.id + '\x1f' + c.name + '\x1f' + c.color + '\x1f' + c.description + '\x1f' +
                   (c.writable ? "1" : "0"));
}

}  // namespace

SourceSync::SourceSync(store::AgentStateStore& state, std::string source_name, std::string source_type,
                       Connector& connector, std::string conflict_resolution)
    : state_(state),
      source_name_(std::move(source_name)),
      source_type_(std::move(source_type)),
      connector_(connector),
      conflict_resolution_(std::move(conflict_resolution)) {}

SourceSyncResult SourceSync::run(const Window& window, const std::vector<std::string>& calendar_filter,
                                 const std::function<bool()>& stop_requested) {
  return runSelected(window, CalendarSelection{calendar_filter, {}, {}}, stop_requested);
}

SourceSyncResult SourceSync::runSelected(const Window& window, const CalendarSelection& selection,
                                         const std::function<bool()>& stop_requested) {
  SourceSyncResult result;
  for (const Calendar& calendar : connector_.listCalendars()) {
    if (!selection.selects(calendar)) continue;
    if (stop_requested()) break;
    ++result.calendars;
    syncCalendar(calendar, window, result);
  }
  return result;
}

void SourceSync::syncCalendar(const Calendar& calendar, const Window& window, SourceSyncResult& result) {
  const std::string cursor = state_.cursor(source_name_, calendar.id);
  const auto known = state_.known(source_name_, calendar.id);
  ChangeSet changes = connector_.pull(calendar.id, window, cursor);

  for (const auto& w : changes.warnings) {
    log::warn("agent", "source '" + source_name_ + "': skipped " + w.where + ": " + w.message);
  }
  result.warnings += changes.warnings.size();

  protocol::SourceBatch batch;
  batch.source = source_name_;
  batch.source_type = source_type_;
  batch.calendar = calendar;
  batch.conflict_resolution = conflict_resolution_;
  store::StateCommit commit;
  commit.source = source_name_;
  commit.calendar_id = calendar.id;
  commit.cursor = changes.cursor;

  std::set<std::string> present;
  for (const CalendarObject& object : changes.upserts) {
    present.insert(object.native_id);
    if (!object.origin.empty()) {
      // A copy calsync wrote somewhere: importing it would loop it back as a new event.
      log::debug("agent", "source '" + source_name_ + "': ignoring calsync copy " + object.native_id);
      continue;
    }
    const bool in_window = window.overlaps(object.span_start_utc, object.span_end_utc);
    if (in_window) ++result.objects_in_window;
    const std::string hash = contentHash(object);
    auto it = known.find(object.native_id);
    if (it == known.end() && !in_window) continue;  // never shipped and out of scope
    if (it != known.end() && it->second.hash == hash && it->second.in_window == in_window) continue;

    protocol::BatchObject item;
    item.native_id = object.native_id;
    item.uid = object.uid;
    item.hash = hash;
    item.ical = ical::serialize(object);
    item.span_start_utc = object.span_start_utc;
    item.span_end_utc = object.span_end_utc;
    item.in_window = in_window;
    batch.upserts.push_back(std::move(item));
    commit.upserted.push_back({object.native_id, object.uid, hash, in_window});
  }

  for (const std::string& native_id : changes.out_of_window) {
    present.insert(native_id);
    auto it = known.find(native_id);
    if (it == known.end() || !it->second.in_window) continue;
    // Still exists, no longer in scope: the master keeps its copy as it is.
    protocol::BatchObject item;
    item.native_id = native_id;
    item.uid = it->second.uid;
    item.hash = it->second.hash;
    item.in_window = false;
    batch.upserts.push_back(std::move(item));
    commit.upserted.push_back({native_id, it->second.uid, it->second.hash, false});
  }

  std::vector<std::string> deletions;
  for (const std::string& native_id : changes.removed) {
    if (known.count(native_id)) deletions.push_back(native_id);
  }
  if (changes.complete) {
    for (const auto& [native_id, k] : known) {
      if (!present.count(native_id)) deletions.push_back(native_id);
    }
  }
  std::sort(deletions.begin(), deletions.end());
  deletions.erase(std::unique(deletions.begin(), deletions.end()), deletions.end());

  if (changes.complete && present.empty() && known.size() >= kEmptyListingGuard && !deletions.empty()) {
    log::warn("agent", "source '" + source_name_ + "' calendar '" + calendar.name + "' came back empty although " +
                           std::to_string(known.size()) +
                           " events were known; holding the deletions until the source lists events again");
    result.held_deletions.push_back(calendar.id);
    deletions.clear();
    commit.cursor = cursor;  // read again from the same point next time
  }
  for (const auto& native_id : deletions) {
    batch.deletions.push_back(native_id);
    commit.forgotten.push_back(native_id);
  }

  // After the master asked for a resync, every calendar says what it holds in full. An empty
  // listing is not sent as a snapshot: with nothing known to compare it with, it cannot be
  // told apart from a source that answered wrongly, and it would empty the master.
  if (state_.value(store::kResyncPendingValue) == "1" && changes.complete && !present.empty() &&
      !heldDeletionsFor(result, calendar.id)) {
    batch.snapshot = true;
    batch.snapshot_ids.assign(present.begin(), present.end());
  }

  const std::string meta_key = "calendar-meta/" + source_name_ + "/" + calendar.id;
  // The source's conflict strategy travels with its calendars: a change to it is news too.
  const std::string meta = metadataFingerprint(calendar) + "/" + conflict_resolution_;
  const bool metadata_changed = state_.value(meta_key) != meta;
  if (!batch.upserts.empty() || !batch.deletions.empty() || metadata_changed || batch.snapshot) {
    commit.payload = protocol::encodeBatch(batch);
  }
  state_.commit(commit);
  if (metadata_changed) state_.setValue(meta_key, meta);
  result.changes += batch.upserts.size() + batch.deletions.size();
}

}  // namespace calsync::agent
