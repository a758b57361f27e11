#include "agent/destination_edit.h"

#include "core/three_way_merge.h"
#include "ical/ical_codec.h"

namespace calsync::agent {
namespace {

std::optional<CalendarObject> parseOne(const std::string& text) {
  auto parsed = ical::parse(text);
  if (parsed.objects.size() != 1) return std::nullopt;
  return std::move(parsed.objects.front());
}

}  // namespace

UpdateOutcome applyDestinationEdit(Connector& connector, const AgentUpdate& update) {
  UpdateOutcome outcome;
  outcome.id = update.id;
  const auto refuse = [&](const std::string& why) {
    outcome.ok = false;
    outcome.retryable = false;
    outcome.error = why;
    return outcome;
  };
  const auto base = parseOne(update.base_ical);
  if (!base) return refuse("the update's base version does not carry exactly one event");
  const auto current = connector.findByUid(update.calendar_id, update.uid);

  EventChange change;
  change.calendar = update.calendar_id;
  if (update.kind == AgentUpdate::Kind::EventDelete) {
    if (!current) {
      outcome.ok = true;  // already gone (or delivered twice)
      return outcome;
    }
    if (!changedFields(*base, *current).empty()) {
      return refuse("the event changed at the source after its copy was deleted at the destination; it is kept");
    }
    change.kind = EventChange::Kind::Delete;
    change.object.uid = current->uid;
    change.object.native_id = current->native_id;
    change.if_match = current->etag;
    connector.apply(change);
    outcome.ok = true;
    outcome.native_id = current->native_id;
    return outcome;
  }

  const auto edited = parseOne(update.ical);
  if (!edited) return refuse("the update does not carry exactly one event");
  if (!current) return refuse("the event no longer exists at the source");
  // Only what the edit changed relative to its base, onto the event as it is now.
  const MergeResult merge = threeWayMerge({*base, nullptr, nullptr, *current, *edited}, std::nullopt);
  if (!merge.conflicts.empty()) {
    std::string fields;
    for (const auto& f : merge.conflicts) fields += (fields.empty() ? "" : ", ") + f;
    refuse("the source changed " + fields + " since the edit was made; the master merges the two again");
    outcome.conflict = true;
    return outcome;
  }
  change.kind = EventChange::Kind::Update;
  change.object = merge.merged;
  change.object.origin.clear();  // never mark an original as a copy
  change.if_match = current->etag;
  if (changedFields(*current, change.object).empty()) {
    outcome.ok = true;  // already there (delivered twice, or the source made the same change)
    outcome.native_id = current->native_id;
    return outcome;
  }
  outcome.native_id = connector.apply(change).native_id;
  if (outcome.native_id.empty()) outcome.native_id = current->native_id;
  outcome.ok = true;
  return outcome;
}

}  // namespace calsync::agent
