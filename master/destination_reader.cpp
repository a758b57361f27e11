#include "master/destination_reader.h"

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "core/hash.h"
#include "core/log.h"
#include "master/copy_form.h"
#include "master/copy_identity.h"

namespace calsync::master {
namespace {

const char* kActor = "destination";

bool connectionLevel(const ConnectorError& e) {
  return e.kind() == ErrorKind::Network || e.kind() == ErrorKind::Throttled || e.kind() == ErrorKind::Auth;
}

std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + f;
  return out;
}

}  // namespace

ReadReport DestinationReader::run(const std::function<bool()>& stop_requested) {
  ReadReport report;
  const std::string cursor = ctx_.roundtrip.destinationCursor(ctx_.calendar_id);
  ChangeSet changes = ctx_.destination.pull(ctx_.calendar_id, window_, cursor);
  report.complete = changes.complete;
  for (const auto& w : changes.warnings) log::warn("destination", "skipped " + w.where + ": " + w.message);

  // Per copy: a failure is counted and the rest goes on; the copy's state says what is
  // still to do, so nothing depends on reading the same change again.
  const auto guarded = [&](const std::function<void()>& work) {
    try {
      work();
    } catch (const ConnectorError& e) {
      if (connectionLevel(e)) throw;
      ++report.failed;
      if (report.first_error.empty()) report.first_error = std::string(toString(e.kind())) + ": " + e.what();
      log::warn("destination", std::string("an edit at the destination could not be merged now (") +
                                   toString(e.kind()) + ": " + e.what() + "); trying again later");
    }
  };

  std::set<std::string> present;
  for (const CalendarObject& object : changes.upserts) {
    if (stop_requested()) return report;  // the cursor stays: the rest is read again
    present.insert(object.native_id);
    guarded([&] { upserted(object, report); });
  }
  for (const auto& native_id : changes.out_of_window) present.insert(native_id);

  std::vector<std::string> gone;
  for (const auto& native_id : changes.removed) {
    if (!present.count(native_id)) gone.push_back(native_id);
  }
  if (!changes.complete) {
    // A copy written since the last read shows up in this one as a change. One that does not
    // was written and deleted in between (servers fold a create and a delete into nothing):
    // ask the destination whether it still has it.
    for (const auto& copy : ctx_.roundtrip.unobservedCopies(ctx_.calendar_id)) {
      if (stop_requested()) return report;
      if (present.count(copy.dest_native_id) || copy.dest_native_id.empty()) continue;
      if (std::find(gone.begin(), gone.end(), copy.dest_native_id) != gone.end()) continue;
      if (!ctx_.destination.findByUid(ctx_.calendar_id, copy.copy_uid)) gone.push_back(copy.dest_native_id);
    }
  }
  if (changes.complete) {
    const auto locations = ctx_.roundtrip.copyLocations(ctx_.calendar_id);
    std::vector<std::string> absent;
    for (const auto& location : locations) {
      if (!location.dest_native_id.empty() && !present.count(location.dest_native_id)) {
        absent.push_back(location.dest_native_id);
      }
    }
    if (present.empty() && !absent.empty() && locations.size() >= kEmptyDestinationGuard) {
      log::warn("destination", "the destination calendar came back empty although " +
                                   std::to_string(locations.size()) +
                                   " copies are known; not taking that for deletions, reading it all again next time");
      report.deletions_held = true;
    } else {
      gone.insert(gone.end(), absent.begin(), absent.end());
    }
  }
  for (const auto& native_id : gone) {
    if (stop_requested()) return report;
    guarded([&] { deleted(native_id, report); });
  }
  if (!report.deletions_held) ctx_.roundtrip.setDestinationCursor(ctx_.calendar_id, changes.cursor);
  return report;
}

void DestinationReader::upserted(const CalendarObject& object, ReadReport& report) {
  ++report.seen;
  auto copy = ctx_.roundtrip.copyByUid(ctx_.calendar_id, object.uid);
  if (!copy) {
    // Not one of our copies (or one whose record was lost: the writer adopts it when its
    // source object comes): never touched, never sent anywhere.
    ++report.foreign;
    return;
  }
  const auto stored = ctx_.objects.object(copy->key);
  if (!stored) return;
  if (!object.origin.empty() && object.origin != originMarker(copy->key, stored->uid)) {
    ++report.foreign;
    return;
  }
  // Deleted at the source (the writer removes the copy), or deleted here and the deletion
  // is on its way to the source.
  if (stored->state == store::ObjectState::Deleted || copy->dest_deleted) return;
  if (!object.native_id.empty()) copy->dest_native_id = object.native_id;
  const CalendarObject seen = toSourceForm(object, stored->uid);

  if (auto conflict = ctx_.roundtrip.openConflictFor(copy->key)) {
    // Held for a person: the conflict shows the destination's latest version.
    if (object.etag != copy->dest_etag) {
      conflict->destination_ical = toIcal(seen);
      conflict->destination_etag = object.etag;
      ctx_.roundtrip.openConflict(*conflict);
      copy->dest_ical = conflict->destination_ical;
      copy->dest_etag = object.etag;
      ctx_.roundtrip.updateCopyState(*copy, nullptr);
    }
    ++report.held;
    return;
  }

  if (!object.etag.empty() && object.etag == copy->dest_etag) {
    // Our own write (or a version already merged): note how the destination renders it.
    if (copy->dest_ical.empty() && copy->base_rendering.empty()) {
      copy->base_rendering = toIcal(seen);
      ctx_.roundtrip.updateCopyState(*copy, nullptr);
    }
    return;
  }

  std::string known = !copy->dest_ical.empty() ? copy->dest_ical : copy->base_rendering;
  copy->dest_etag = object.etag;
  if (known.empty()) {
    const std::string agreed = agreedVersion(*copy, *stored);
    if (agreed.empty()) {
      // A copy from before bases were kept whose source changed since: the writer rewrites it.
      copy->base_rendering = toIcal(seen);
      ctx_.roundtrip.updateCopyState(*copy, nullptr);
      return;
    }
    // Edited before we ever read our own write back: what the server fills in or drops on
    // its own must not pass for a person's edit.
    copy->base_rendering = toIcal(assumedRendering(parseOne(agreed, "the copy's base version"), seen));
    known = copy->base_rendering;
  }
  const auto changed = changedFields(parseOne(known, "the copy's last known version"), seen);
  if (changed.empty()) {
    // Reformatted by the server (or touched without a change): not an edit.
    (copy->dest_ical.empty() ? copy->base_rendering : copy->dest_ical) = toIcal(seen);
    ctx_.roundtrip.updateCopyState(*copy, nullptr);
    return;
  }
  ++report.edits;
  copy->dest_ical = toIcal(seen);
  const store::JournalEntry journal{0, 0, kActor, "destination-edit", copy->key, stored->hash, contentHash(seen),
                                    joined(changed)};
  ctx_.roundtrip.updateCopyState(*copy, &journal);
  log::info("destination", "copy of " + copy->key.agent_id + "/" + copy->key.source + "/" + copy->key.native_id +
                               " edited at the destination (" + joined(changed) + ")");
  CopyReconciler reconciler(ctx_);
  count(reconciler.reconcile(*stored, *copy), report);
}

void DestinationReader::deleted(const std::string& native_id, ReadReport& report) {
  auto copy = ctx_.roundtrip.copyAt(ctx_.calendar_id, native_id);
  if (!copy) return;  // not ours
  const auto stored = ctx_.objects.object(copy->key);
  if (!stored) return;
  ++report.deletions;
  CopyReconciler reconciler(ctx_);
  count(reconciler.destinationDeleted(*stored, *copy), report);
}

void DestinationReader::count(CopyReconciler::Outcome outcome, ReadReport& report) {
  switch (outcome) {
    case CopyReconciler::Outcome::Routed:
    case CopyReconciler::Outcome::Both: ++report.routed; break;
    case CopyReconciler::Outcome::Held: ++report.held; break;
    default: break;
  }
}

}  // namespace calsync::master
