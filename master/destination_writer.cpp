#include "master/destination_writer.h"

#include <set>

#include "core/errors.h"
#include "core/log.h"
#include "ical/ical_codec.h"
#include "master/copy_identity.h"

namespace calsync::master {
namespace {

constexpr std::size_t kPassSize = 200;
const char* kActor = "destination-writer";

bool connectionLevel(const ConnectorError& e) {
  return e.kind() == ErrorKind::Network || e.kind() == ErrorKind::Throttled || e.kind() == ErrorKind::Auth;
}

}  // namespace

DestinationWriter::DestinationWriter(store::MasterStore& store, Connector& destination, std::string calendar_id)
    : store_(store), destination_(destination), calendar_id_(std::move(calendar_id)) {}

WriteReport DestinationWriter::run(const std::function<bool()>& stop_requested) {
  WriteReport report;
  std::set<store::ObjectKey> failed;  // tried in this run already; wait for the next one
  for (;;) {
    const auto pending = store_.pendingWrites(kPassSize + failed.size());
    bool progressed = false;
    for (const auto& object : pending) {
      if (stop_requested()) return report;
      if (failed.count(object.key)) continue;
      try {
        switch (object.state == store::ObjectState::Deleted ? deleteCopy(object) : writeCopy(object)) {
          case Outcome::Created: ++report.created; break;
          case Outcome::Updated: ++report.updated; break;
          case Outcome::Deleted: ++report.deleted; break;
          case Outcome::Adopted: ++report.adopted; break;
          case Outcome::Unchanged: break;
        }
        progressed = true;
      } catch (const ConnectorError& e) {
        ++report.failed;
        if (report.first_error.empty()) report.first_error = std::string(toString(e.kind())) + ": " + e.what();
        log::warn("destination", "copy of " + object.key.source + "/" + object.key.native_id + " not written (" +
                                     toString(e.kind()) + ": " + e.what() + ")");
        if (connectionLevel(e)) return report;
        failed.insert(object.key);
      }
    }
    if (!progressed || pending.size() < kPassSize + failed.size()) return report;
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

DestinationWriter::Outcome DestinationWriter::writeCopy(const store::StoredObject& object) {
  ical::ParsedCalendar parsed = ical::parse(object.ical);
  if (parsed.objects.size() != 1) {
    throw ConnectorError(ErrorKind::BadData, "stored object does not parse back into one calendar object");
  }
  CalendarObject copy = std::move(parsed.objects.front());
  const std::string uid = copyUid(object.key, object.uid);
  const std::string marker = originMarker(object.key, object.uid);
  copy.uid = uid;
  copy.origin = marker;
  for (auto& component : copy.components) component.uid = uid;

  auto existing = store_.copy(object.key);
  Outcome outcome = Outcome::Created;
  EventChange change;
  change.calendar = calendar_id_;
  change.object = copy;
  if (existing) {
    change.kind = EventChange::Kind::Update;
    change.object.native_id = existing->dest_native_id;
    change.if_match = existing->dest_etag;
    outcome = Outcome::Updated;
  } else {
    change.kind = EventChange::Kind::Create;
  }

  WriteResult written;
  try {
    if (change.kind == EventChange::Kind::Update && change.if_match.empty()) {
      // The server gave no ETag after the last write: read the current one first.
      auto current = currentCopy(uid, marker);
      if (!current) throw ConnectorError(ErrorKind::NotFound, "copy vanished");
      change.if_match = current->etag;
      change.object.native_id = current->native_id;
    }
    written = destination_.apply(change);
  } catch (const ConnectorError& e) {
    if (e.kind() == ErrorKind::NotFound && change.kind == EventChange::Kind::Update) {
      // The copy was deleted in the destination. Until destination edits flow back to the
      // source, the source is the truth: write it again.
      change.kind = EventChange::Kind::Create;
      change.if_match.clear();
      change.object.native_id.clear();
      written = destination_.apply(change);
      outcome = Outcome::Created;
    } else if (e.kind() == ErrorKind::Conflict) {
      // Create found the copy already there (mapping lost), or an update raced an edit:
      // take the copy's current version, if it is ours, and write over it.
      auto current = currentCopy(uid, marker);
      if (!current) throw;
      change.kind = EventChange::Kind::Update;
      change.if_match = current->etag;
      change.object.native_id = current->native_id;
      written = destination_.apply(change);
      if (!existing) outcome = Outcome::Adopted;
    } else {
      throw;
    }
  }

  store::DestinationCopy saved;
  saved.key = object.key;
  saved.copy_uid = uid;
  saved.dest_calendar = calendar_id_;
  saved.dest_native_id = written.native_id.empty() ? change.object.native_id : written.native_id;
  saved.dest_etag = written.etag;
  saved.written_hash = object.hash;
  store_.saveCopy(saved, kActor);
  log::debug("destination", "wrote copy " + uid + " of " + object.key.source + "/" + object.key.native_id);
  return outcome;
}

DestinationWriter::Outcome DestinationWriter::deleteCopy(const store::StoredObject& object) {
  auto existing = store_.copy(object.key);
  if (!existing) return Outcome::Unchanged;
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
  store_.removeCopy(object.key, kActor);
  return Outcome::Deleted;
}

}  // namespace calsync::master
