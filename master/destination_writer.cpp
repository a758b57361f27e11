#include "master/destination_writer.h"

#include <ctime>
#include <set>

#include "core/errors.h"
#include "core/log.h"
#include "master/copy_form.h"
#include "master/copy_identity.h"

namespace calsync::master {
namespace {

constexpr std::size_t kPassSize = 200;
const char* kActor = "destination-writer";

bool connectionLevel(const ConnectorError& e) {
  return e.kind() == ErrorKind::Network || e.kind() == ErrorKind::Throttled || e.kind() == ErrorKind::Auth;
}

void noteFailure(WriteReport& report, const ConnectorError& e, const std::string& what) {
  ++report.failed;
  if (report.first_error.empty()) report.first_error = std::string(toString(e.kind())) + ": " + e.what();
  log::warn("destination", what + " not written (" + toString(e.kind()) + ": " + e.what() + ")");
}

}  // namespace

DestinationWriter::DestinationWriter(RoundTripContext& context)
    : ctx_(context), store_(context.objects), destination_(context.destination), calendar_id_(context.calendar_id) {}

WriteReport DestinationWriter::run(const std::function<bool()>& stop_requested) {
  WriteReport report;
  CopyReconciler reconciler(ctx_);
  for (const auto& conflict : ctx_.roundtrip.unappliedResolutions(kPassSize)) {
    if (stop_requested()) return report;
    try {
      count(reconciler.applyResolution(conflict), report);
      ++report.resolved;
    } catch (const ConnectorError& e) {
      noteFailure(report, e, "resolution of conflict " + conflict.id);
      if (connectionLevel(e)) return report;
    }
  }

  std::set<store::ObjectKey> failed;  // tried in this run already; wait for the next one
  for (;;) {
    const auto pending = store_.pendingWrites(kPassSize + failed.size());
    bool progressed = false;
    for (const auto& object : pending) {
      if (stop_requested()) return report;
      if (failed.count(object.key)) continue;
      try {
        if (object.state == store::ObjectState::Deleted) {
          if (deleteCopy(object) == Outcome::Deleted) ++report.deleted;
        } else if (auto existing = store_.copy(object.key)) {
          count(reconciler.reconcile(object, *existing), report);
        } else {
          const Outcome outcome = createCopy(object);
          if (outcome == Outcome::Created) ++report.created;
          if (outcome == Outcome::Adopted) ++report.adopted;
        }
        progressed = true;
      } catch (const ConnectorError& e) {
        noteFailure(report, e, "copy of " + object.key.source + "/" + object.key.native_id);
        if (connectionLevel(e)) return report;
        failed.insert(object.key);
      }
    }
    if (!progressed || pending.size() < kPassSize + failed.size()) return report;
  }
}

void DestinationWriter::count(CopyReconciler::Outcome outcome, WriteReport& report) {
  switch (outcome) {
    case CopyReconciler::Outcome::Written: ++report.updated; break;
    case CopyReconciler::Outcome::Recreated: ++report.created; break;
    case CopyReconciler::Outcome::Routed: ++report.routed; break;
    case CopyReconciler::Outcome::Both:
      ++report.updated;
      ++report.routed;
      break;
    case CopyReconciler::Outcome::Held: ++report.held; break;
    case CopyReconciler::Outcome::Unchanged: break;
  }
}

std::optional<CalendarObject> DestinationWriter::currentCopy(const std::string& copy_uid, const std::string& marker) {
  auto found = destination_.findByUid(calendar_id_, copy_uid);
  if (!found) return std::nullopt;
  if (found->origin != marker) {
    throw ConnectorError(ErrorKind::Conflict, "the destination holds an event with UID " + copy_uid +
                                                  " that calsync did not write; it is left alone");
  }
  return found;
}

DestinationWriter::Outcome DestinationWriter::createCopy(const store::StoredObject& object) {
  const std::string uid = copyUid(object.key, object.uid);
  const std::string marker = originMarker(object.key, object.uid);
  EventChange change;
  change.kind = EventChange::Kind::Create;
  change.calendar = calendar_id_;
  change.object = toCopyForm(parseOne(object.ical, "stored object"), object.key, object.uid);

  Outcome outcome = Outcome::Created;
  WriteResult written;
  try {
    written = destination_.apply(change);
  } catch (const ConnectorError& e) {
    if (e.kind() != ErrorKind::Conflict) throw;
    // The copy is already there (its mapping was lost): take its current version, if it is
    // ours, and write over it.
    auto current = currentCopy(uid, marker);
    if (!current) throw;
    change.kind = EventChange::Kind::Update;
    change.if_match = current->etag;
    change.object.native_id = current->native_id;
    written = destination_.apply(change);
    outcome = Outcome::Adopted;
  }

  store::DestinationCopy saved;
  saved.key = object.key;
  saved.copy_uid = uid;
  saved.dest_calendar = calendar_id_;
  saved.dest_native_id = written.native_id.empty() ? change.object.native_id : written.native_id;
  saved.dest_etag = written.etag;
  saved.written_hash = object.hash;
  saved.base_ical = object.ical;
  store_.saveCopy(saved, kActor);
  log::debug("destination", "wrote copy " + uid + " of " + object.key.source + "/" + object.key.native_id);
  return outcome;
}

DestinationWriter::Outcome DestinationWriter::deleteCopy(const store::StoredObject& object) {
  auto existing = store_.copy(object.key);
  if (!existing) return Outcome::Unchanged;
  if (!existing->dest_deleted) {  // else: deleted at the destination already, which the source followed
    EventChange change;
    change.kind = EventChange::Kind::Delete;
    change.calendar = calendar_id_;
    change.object.uid = existing->copy_uid;
    change.object.native_id = existing->dest_native_id;
    change.if_match = existing->dest_etag;
    try {
      destination_.apply(change);
    } catch (const ConnectorError& e) {
      if (e.kind() == ErrorKind::NotFound) {
        // Already gone: the goal is reached.
      } else if (e.kind() == ErrorKind::Conflict) {
        auto current = currentCopy(existing->copy_uid, originMarker(object.key, object.uid));
        if (current) {
          change.if_match = current->etag;
          change.object.native_id = current->native_id;
          destination_.apply(change);
        }
      } else {
        throw;
      }
    }
  }
  store_.removeCopy(object.key, kActor);
  // A conflict about an event its source deleted is settled: the source's deletion won.
  if (auto conflict = ctx_.roundtrip.openConflictFor(object.key)) {
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    ctx_.roundtrip.resolveConflict(conflict->id, "source_wins", "", kActor, now);
    ctx_.roundtrip.markConflictApplied(conflict->id);
  }
  return Outcome::Deleted;
}

}  // namespace calsync::master
