#include "master/destination_plan.h"

#include "ical/ical_codec.h"

namespace calsync::master {
namespace {

// The summary of the stored version, and whether it parses back into exactly one object (the
// writer refuses anything else).
bool readStored(const store::StoredObject& object, PlannedWrite& item) {
  try {
    const ical::ParsedCalendar parsed = ical::parse(object.ical);
    if (!parsed.objects.empty()) {
      if (const Event* master = parsed.objects.front().master()) item.summary = master->summary;
    }
    return parsed.objects.size() == 1;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

DestinationPlan planDestinationWrites(store::MasterStore& store, store::RoundTripStore& roundtrip, std::size_t limit) {
  DestinationPlan plan;
  auto pending = store.pendingWrites(limit + 1);
  if (pending.size() > limit) {
    plan.truncated = true;
    pending.resize(limit);
  }
  for (const auto& object : pending) {
    PlannedWrite item{object.key, object.uid, "", ""};
    const bool parses = readStored(object, item);
    const bool has_copy = store.copy(object.key).has_value();
    if (object.state == store::ObjectState::Deleted) {
      // A tombstone without a copy needs no write (the writer passes over it).
      if (has_copy) plan.remove.push_back(std::move(item));
    } else if (!parses) {
      item.reason = "the stored version does not parse back into one calendar object";
      plan.held.push_back(std::move(item));
    } else {
      (has_copy ? plan.update : plan.create).push_back(std::move(item));
    }
  }
  for (const auto& object : roundtrip.heldObjects(limit)) {
    PlannedWrite item{object.key, object.uid, "", ""};
    readStored(object, item);
    item.reason = "waiting for a conflict to be resolved, or for the source to take a deletion made at the destination";
    plan.held.push_back(std::move(item));
  }
  return plan;
}

}  // namespace calsync::master
