#include "master/copy_reconciler.h"

#include <optional>

#include "core/errors.h"
#include "core/hash.h"
#include "core/log.h"
#include "master/copy_form.h"
#include "master/copy_identity.h"

namespace calsync::master {
namespace {

const char* kWriter = "destination-writer";
const char* kRoundTrip = "destination";   // the journal's actor for edits made at the destination
constexpr int kMergeAttempts = 3;

std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + f;
  return out;
}

std::string describe(const store::ObjectKey& key) { return key.agent_id + "/" + key.source + "/" + key.native_id; }

std::optional<CalendarObject> parseIfAny(const std::string& text, const std::string& what) {
  if (text.empty()) return std::nullopt;
  return parseOne(text, what);
}

// The copy as it is in the destination now, if it is one of ours.
std::optional<CalendarObject> currentCopy(RoundTripContext& ctx, const store::DestinationCopy& copy,
                                          const store::StoredObject& source) {
  auto found = ctx.destination.findByUid(ctx.calendar_id, copy.copy_uid);
  if (!found) return std::nullopt;
  if (found->origin != originMarker(source.key, source.uid)) {
    throw ConnectorError(ErrorKind::Conflict, "the destination holds an event with UID " + copy.copy_uid +
                                                  " that calsync did not write; it is left alone");
  }
  return found;
}

}  // namespace

std::string agreedVersion(const store::DestinationCopy& copy, const store::StoredObject& source) {
  if (!copy.base_ical.empty()) return copy.base_ical;
  if (copy.written_hash == source.hash) return source.ical;
  return "";
}

ConflictStrategy strategyFor(store::RoundTripStore& roundtrip, const store::ObjectKey& key,
                             ConflictStrategy master_default) {
  return conflictStrategyFromString(roundtrip.sourcePolicy(key.agent_id, key.source)).value_or(master_default);
}

CopyReconciler::Outcome CopyReconciler::reconcile(const store::StoredObject& source, store::DestinationCopy copy) {
  if (copy.written_hash.empty() || agreedVersion(copy, source).empty()) {
    return rewriteFromSource(source, std::move(copy));
  }
  return reconcileOnce(source, copy, kMergeAttempts);
}

CopyReconciler::Outcome CopyReconciler::reconcileOnce(const store::StoredObject& stored, store::DestinationCopy& copy,
                                                      int attempts_left) {
  const CalendarObject source = parseOne(stored.ical, "the stored source object");
  const CalendarObject base = parseOne(agreedVersion(copy, stored), "the copy's base version");
  const auto rendering = parseIfAny(copy.base_rendering, "the destination's rendering of the base");
  const auto route_base = parseIfAny(copy.route_base, "the source version of an edit in flight");
  const CalendarObject destination =
      copy.dest_ical.empty() ? (rendering ? *rendering : base) : parseOne(copy.dest_ical, "the destination's edit");

  const ConflictStrategy strategy = strategyFor(ctx_.roundtrip, stored.key, ctx_.default_strategy);
  std::optional<MergeSide> winner;
  switch (strategy) {
    case ConflictStrategy::SourceWins: winner = MergeSide::Source; break;
    case ConflictStrategy::DestinationWins: winner = MergeSide::Destination; break;
    case ConflictStrategy::LatestWins:
      // With an edit in flight, the destination's change is measured from the version the
      // source last had.
      winner = route_base ? latestSide(*route_base, nullptr, source, destination)
                          : latestSide(base, rendering ? &*rendering : nullptr, source, destination);
      break;
    case ConflictStrategy::Manual: break;
  }
  const MergeResult merge = threeWayMerge(
      {base, rendering ? &*rendering : nullptr, route_base ? &*route_base : nullptr, source, destination}, winner);

  if (!merge.conflicts.empty() && !winner) {
    store::ConflictRecord conflict;
    conflict.key = stored.key;
    conflict.uid = stored.uid;
    conflict.fields = merge.conflicts;
    // The version both last agreed on: before an edit still in flight, if there is one.
    conflict.base_ical = route_base ? copy.route_base : toIcal(base);
    conflict.base_rendering = route_base ? "" : copy.base_rendering;
    conflict.source_ical = stored.ical;
    conflict.destination_ical = toIcal(destination);
    conflict.destination_etag = copy.dest_etag;
    const std::string id = ctx_.roundtrip.openConflict(conflict);
    copy.written_hash = stored.hash;
    const store::JournalEntry journal{0, 0, kRoundTrip, "conflict", stored.key, stored.hash, "",
                                      id + ": " + joined(merge.conflicts)};
    ctx_.roundtrip.updateCopyState(copy, &journal);
    log::info("destination", "conflict " + id + " on " + describe(stored.key) + " (" + joined(merge.conflicts) +
                                 "): both ends changed it; held until a person resolves it");
    return Outcome::Held;
  }
  if (!merge.conflicts.empty()) {
    log::info("destination", std::string("conflict on ") + describe(stored.key) + " (" + joined(merge.conflicts) +
                                 ") settled by " + toString(strategy) + " for the " +
                                 (*winner == MergeSide::Source ? "source" : "destination"));
  }

  bool wrote = false;
  if (merge.write_destination) {
    if (!writeOver(merge.merged, stored, copy)) {
      // Edited at the destination again while we merged: keep that edit, merge once more.
      ctx_.roundtrip.updateCopyState(copy, nullptr);
      if (attempts_left <= 1) {
        throw ConnectorError(ErrorKind::Conflict, "the copy of " + describe(stored.key) +
                                                      " keeps changing at the destination; merging again later");
      }
      return reconcileOnce(stored, copy, attempts_left - 1);
    }
    wrote = true;
    copy.base_rendering.clear();  // learned again when the destination is next read
  } else if (!copy.dest_ical.empty()) {
    copy.base_rendering = copy.dest_ical;  // the destination already shows the merged version
  }
  if (merge.update_source) {
    route(merge.merged, stored, stored.ical, copy, merge.destination_changed);
  } else if (copy.routed_update_id == 0) {
    copy.route_base.clear();  // no edit in flight any more (the source refused it as a conflict)
  }
  copy.base_ical = toIcal(merge.merged);
  copy.dest_ical.clear();
  copy.written_hash = stored.hash;
  if (wrote) {
    ctx_.objects.saveCopy(copy, kWriter);
  } else {
    ctx_.roundtrip.updateCopyState(copy, nullptr);
  }
  if (wrote && merge.update_source) return Outcome::Both;
  if (wrote) return Outcome::Written;
  if (merge.update_source) return Outcome::Routed;
  return Outcome::Unchanged;
}

bool CopyReconciler::writeOver(const CalendarObject& merged, const store::StoredObject& stored,
                               store::DestinationCopy& copy) {
  EventChange change;
  change.kind = EventChange::Kind::Update;
  change.calendar = ctx_.calendar_id;
  change.object = toCopyForm(merged, stored.key, stored.uid);
  change.object.native_id = copy.dest_native_id;
  change.if_match = copy.dest_etag;

  // A newer version at the destination than the one merged: record it and say so.
  const auto newer = [&](const CalendarObject& current) {
    const CalendarObject seen = toSourceForm(current, stored.uid);
    if (copy.dest_ical.empty() && copy.base_rendering.empty()) {
      copy.base_rendering = toIcal(assumedRendering(parseOne(agreedVersion(copy, stored), "the copy's base"), seen));
    }
    const std::string& known = !copy.dest_ical.empty() ? copy.dest_ical : copy.base_rendering;
    copy.dest_etag = current.etag;
    copy.dest_native_id = current.native_id;
    if (changedFields(parseOne(known, "the copy's last known version"), seen).empty()) return false;
    copy.dest_ical = toIcal(seen);
    return true;
  };

  WriteResult written;
  for (int attempt = 0;; ++attempt) {
    try {
      if (change.kind == EventChange::Kind::Update && (change.if_match.empty() || change.object.native_id.empty())) {
        // No version known for the copy: look at it before writing over it.
        auto current = currentCopy(ctx_, copy, stored);
        if (!current) throw ConnectorError(ErrorKind::NotFound, "copy vanished");
        if (newer(*current)) return false;
        change.if_match = current->etag;
        change.object.native_id = current->native_id;
      }
      written = ctx_.destination.apply(change);
      break;
    } catch (const ConnectorError& e) {
      if (e.kind() == ErrorKind::NotFound && change.kind == EventChange::Kind::Update) {
        // Deleted at the destination while the source changed it: the change wins, the copy
        // is written again.
        change.kind = EventChange::Kind::Create;
        change.if_match.clear();
        change.object.native_id.clear();
        continue;
      }
      if (e.kind() != ErrorKind::Conflict || attempt >= 2) throw;
      auto current = currentCopy(ctx_, copy, stored);
      if (!current) {
        change.kind = EventChange::Kind::Create;
        change.if_match.clear();
        change.object.native_id.clear();
        continue;
      }
      if (newer(*current)) return false;
      // Only reformatted (or our own earlier write): write over it with its version.
      change.kind = EventChange::Kind::Update;
      change.if_match = current->etag;
      change.object.native_id = current->native_id;
    }
  }
  copy.dest_native_id = written.native_id.empty() ? change.object.native_id : written.native_id;
  copy.dest_etag = written.etag;
  return true;
}

void CopyReconciler::route(const CalendarObject& merged, const store::StoredObject& stored,
                           const std::string& edit_base, store::DestinationCopy& copy,
                           const std::vector<std::string>& fields) {
  AgentUpdate update;
  update.kind = AgentUpdate::Kind::EventUpdate;
  update.source = stored.key.source;
  update.calendar_id = stored.key.calendar_id;
  update.native_id = stored.key.native_id;
  update.uid = stored.uid;
  update.ical = toIcal(merged);
  update.base_ical = edit_base;
  const std::int64_t id = ctx_.updates.enqueue(stored.key.agent_id, update, kRoundTrip);
  copy.route_base = edit_base;
  copy.routed_update_id = id;
  ctx_.objects.appendJournal({0, 0, kRoundTrip, "route-update", stored.key, stored.hash, contentHash(merged),
                              "update " + std::to_string(id) + ": " + joined(fields)});
  log::info("destination", "edit made at the destination (" + joined(fields) + ") sent to the source of " +
                               describe(stored.key) + " as update " + std::to_string(id));
}

CopyReconciler::Outcome CopyReconciler::destinationDeleted(const store::StoredObject& stored,
                                                           store::DestinationCopy copy) {
  if (stored.state == store::ObjectState::Deleted || copy.dest_deleted) return Outcome::Unchanged;
  if (ctx_.roundtrip.openConflictFor(stored.key)) return Outcome::Held;  // the resolution writes it again
  const std::string base_text = agreedVersion(copy, stored);
  bool source_changed = base_text.empty();
  if (!source_changed) {
    const CalendarObject base = parseOne(base_text, "the copy's base version");
    const auto route_base = parseIfAny(copy.route_base, "the source version of an edit in flight");
    const CalendarObject source = parseOne(stored.ical, "the stored source object");
    source_changed =
        !threeWayMerge({base, nullptr, route_base ? &*route_base : nullptr, source, base}, MergeSide::Source)
             .source_changed.empty();
  }
  if (source_changed) {
    log::info("destination", "the copy of " + describe(stored.key) +
                                 " was deleted at the destination, but the source changed it since; writing it again");
    ctx_.objects.appendJournal({0, 0, kRoundTrip, "copy-recreate", stored.key, stored.hash, stored.hash,
                                "deleted at the destination after a change at the source"});
    rewriteFromSource(stored, std::move(copy));
    return Outcome::Recreated;
  }
  AgentUpdate update;
  update.kind = AgentUpdate::Kind::EventDelete;
  update.source = stored.key.source;
  update.calendar_id = stored.key.calendar_id;
  update.native_id = stored.key.native_id;
  update.uid = stored.uid;
  update.base_ical = stored.ical;
  const std::int64_t id = ctx_.updates.enqueue(stored.key.agent_id, update, kRoundTrip);
  copy.dest_deleted = true;
  copy.routed_update_id = id;
  copy.route_base = stored.ical;
  const store::JournalEntry journal{0, 0, kRoundTrip, "route-delete", stored.key, stored.hash, "",
                                    "update " + std::to_string(id)};
  ctx_.roundtrip.updateCopyState(copy, &journal);
  log::info("destination", "copy of " + describe(stored.key) + " deleted at the destination; deletion sent to the "
                               "source as update " + std::to_string(id));
  return Outcome::Routed;
}

CopyReconciler::Outcome CopyReconciler::rewriteFromSource(const store::StoredObject& stored,
                                                          store::DestinationCopy copy) {
  EventChange change;
  change.kind = EventChange::Kind::Update;
  change.calendar = ctx_.calendar_id;
  change.object = toCopyForm(parseOne(stored.ical, "the stored source object"), stored.key, stored.uid);
  change.object.native_id = copy.dest_native_id;
  change.if_match = copy.dest_etag;
  bool created = false;
  WriteResult written;
  for (int attempt = 0;; ++attempt) {
    try {
      if (change.kind == EventChange::Kind::Update && (change.if_match.empty() || change.object.native_id.empty())) {
        auto current = currentCopy(ctx_, copy, stored);
        if (!current) throw ConnectorError(ErrorKind::NotFound, "copy vanished");
        change.if_match = current->etag;
        change.object.native_id = current->native_id;
      }
      written = ctx_.destination.apply(change);
      break;
    } catch (const ConnectorError& e) {
      const bool gone = e.kind() == ErrorKind::NotFound && change.kind == EventChange::Kind::Update;
      if (!gone && (e.kind() != ErrorKind::Conflict || attempt >= 2)) throw;
      auto current = gone ? std::optional<CalendarObject>() : currentCopy(ctx_, copy, stored);
      if (current) {
        // The source is the truth here: write over whatever the destination has now.
        change.kind = EventChange::Kind::Update;
        change.if_match = current->etag;
        change.object.native_id = current->native_id;
      } else {
        change.kind = EventChange::Kind::Create;
        change.if_match.clear();
        change.object.native_id.clear();
        created = true;
      }
    }
  }
  copy.dest_native_id = written.native_id.empty() ? change.object.native_id : written.native_id;
  copy.dest_etag = written.etag;
  copy.written_hash = stored.hash;
  copy.base_ical = stored.ical;
  copy.base_rendering.clear();
  copy.dest_ical.clear();
  copy.route_base.clear();
  copy.routed_update_id = 0;
  copy.dest_deleted = false;
  ctx_.objects.saveCopy(copy, kWriter);
  return created ? Outcome::Recreated : Outcome::Written;
}

CopyReconciler::Outcome CopyReconciler::applyResolution(const store::ConflictRecord& conflict) {
  const auto stored = ctx_.objects.object(conflict.key);
  auto copy = ctx_.objects.copy(conflict.key);
  if (!stored || stored->state != store::ObjectState::Active || !copy) {
    // Deleted at the source (or out of scope) since: nothing left to apply.
    ctx_.roundtrip.markConflictApplied(conflict.id);
    return Outcome::Unchanged;
  }
  const CalendarObject resolved = toSourceForm(parseOne(conflict.resolved_ical, "the resolution"), stored->uid);
  const CalendarObject conflict_destination = parseOne(conflict.destination_ical, "the conflict's destination version");
  const CalendarObject conflict_source = parseOne(conflict.source_ical, "the conflict's source version");

  bool wrote = false;
  if (!changedFields(conflict_destination, resolved).empty()) {
    // Measured against the destination version the person saw: anything newer there is a
    // new conflict for them to look at.
    copy->dest_ical = conflict.destination_ical;
    if (!writeOver(resolved, *stored, *copy)) {
      ctx_.roundtrip.reopenConflict(conflict.id, copy->dest_ical, copy->dest_etag);
      ctx_.roundtrip.updateCopyState(*copy, nullptr);
      log::warn("destination", "conflict " + conflict.id + ": the destination changed again before the resolution "
                                   "was applied; it is open again");
      return Outcome::Held;
    }
    wrote = true;
    copy->base_rendering.clear();
  } else {
    copy->base_rendering = conflict.destination_ical;
  }
  const bool routed = !changedFields(conflict_source, resolved).empty();
  if (routed) {
    route(resolved, *stored, conflict.source_ical, *copy, conflict.fields);
  } else {
    copy->route_base.clear();
    copy->routed_update_id = 0;
  }
  copy->base_ical = toIcal(resolved);
  copy->dest_ical.clear();
  // A source that changed again since the conflict was shown: its newer changes still have
  // to reach the destination, so the copy counts as written from the conflict's version.
  copy->written_hash = stored->ical == conflict.source_ical ? stored->hash : contentHash(conflict_source);
  if (copy->written_hash.empty()) copy->written_hash = stored->hash;
  ctx_.roundtrip.markConflictApplied(conflict.id);
  const store::JournalEntry journal{0, 0, kRoundTrip, "conflict-applied", conflict.key, stored->hash,
                                    contentHash(resolved), conflict.id + ": " + conflict.resolution};
  if (wrote) {
    ctx_.objects.saveCopy(*copy, kWriter);
    ctx_.objects.appendJournal(journal);
  } else {
    ctx_.roundtrip.updateCopyState(*copy, &journal);
  }
  log::info("destination", "conflict " + conflict.id + " resolved (" + conflict.resolution + ") and applied");
  if (wrote && routed) return Outcome::Both;
  if (wrote) return Outcome::Written;
  return routed ? Outcome::Routed : Outcome::Unchanged;
}

bool settleRoutedUpdate(store::MasterStore& objects, store::RoundTripStore& roundtrip, std::int64_t update_id,
                        const UpdateOutcome& outcome, bool final_failure) {
  auto copy = roundtrip.copyByRoutedUpdate(update_id);
  if (!copy) return false;
  if (outcome.ok) {
    copy->route_base.clear();
    copy->routed_update_id = 0;
    roundtrip.updateCopyState(*copy, nullptr);
    return false;
  }
  if (outcome.conflict && !copy->dest_deleted) {
    // Not applied, not undone: route_base stays, so the next merge with the source's newer
    // version sees the edit and the source's change to the same field as the conflict they are.
    copy->routed_update_id = 0;
    const store::JournalEntry journal{0, 0, kRoundTrip, "route-conflict", copy->key, "", "",
                                      "update " + std::to_string(update_id) + ": " + outcome.error};
    roundtrip.updateCopyState(*copy, &journal);
    return true;
  }
  if (!final_failure) return false;
  const store::JournalEntry journal{0, 0, kRoundTrip, "route-refused", copy->key, "", "",
                                    "update " + std::to_string(update_id) + ": " + outcome.error};
  if (copy->dest_deleted) {
    // The source keeps the event: its copy comes back.
    objects.appendJournal(journal);
    objects.removeCopy(copy->key, kRoundTrip);
    log::info("destination", "the source refused to delete " + describe(copy->key) + " (" + outcome.error +
                                 "); its copy will be written again");
    return true;
  }
  copy->written_hash.clear();   // rewrite from the source: the edit is undone at the destination
  copy->route_base.clear();
  copy->routed_update_id = 0;
  roundtrip.updateCopyState(*copy, &journal);
  log::info("destination", "the source refused an edit made at the destination for " + describe(copy->key) + " (" +
                               outcome.error + "); the copy gets the source's version back");
  return true;
}

}  // namespace calsync::master
