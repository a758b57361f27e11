// Keeps one copy and its source object in agreement once either end changed: a three-way
// merge against the version both last agreed on (the copy's base), then the merged version
// written to the destination and/or sent to the owning agent as an update, or, when the
// strategy is manual and both changed the same field, a conflict held for a person.
//
// State per copy (store::DestinationCopy): base_ical (agreed version, source form),
// base_rendering (how the destination rendered it when read back), dest_ical (an edit made
// at the destination, not merged yet), route_base + routed_update_id (an edit on its way to
// the source, and the source version it was based on), dest_deleted (a deletion made at
// the destination, on its way to the source).
#pragma once

#include <cstddef>
#include <string>

#include "core/connector.h"
#include "core/three_way_merge.h"
#include "master/update_broker.h"
#include "store/master_store.h"
#include "store/round_trip_store.h"

namespace calsync::master {

// What the round trip works with; owned by the master runtime.
struct RoundTripContext {
  store::MasterStore& objects;
  store::RoundTripStore& roundtrip;
  UpdateBroker& updates;
  Connector& destination;
  std::string calendar_id;
  ConflictStrategy default_strategy = ConflictStrategy::LatestWins;
};

// The version a copy and its source last agreed on (iCalendar, source form): the recorded
// base, or for copies written before bases were kept, the stored version they were written
// from while it is current. Empty: unknown (the source's version is then written over).
std::string agreedVersion(const store::DestinationCopy& copy, const store::StoredObject& source);

// The strategy for one source: its own (forwarded by its agent) or the master's.
ConflictStrategy strategyFor(store::RoundTripStore& roundtrip, const store::ObjectKey& key,
                             ConflictStrategy master_default);

class CopyReconciler {
 public:
  enum class Outcome {
    Unchanged,   // both ends already agree (an echo of an edit that came back)
    Written,     // the destination got the merged version
    Routed,      // the source will get the merged version
    Both,        // both of the above
    Held,        // a conflict waits for a person
    Recreated,   // the copy was gone at the destination and was written again
  };

  explicit CopyReconciler(RoundTripContext& context) : ctx_(context) {}

  // The source object, the copy's record (possibly with an edit read from the destination
  // in dest_ical), merged. Throws ConnectorError when the destination cannot be written.
  Outcome reconcile(const store::StoredObject& source, store::DestinationCopy copy);

  // The copy was positively deleted at the destination. The deletion goes to the source,
  // unless the source changed the event since (then the copy is written again: a change is
  // never lost to a deletion).
  Outcome destinationDeleted(const store::StoredObject& source, store::DestinationCopy copy);

  // Writes a person's resolution to the destination and sends it to the source.
  Outcome applyResolution(const store::ConflictRecord& conflict);

  // The source's version as the destination's copy: overwrites the copy (re-creating it when
  // it is gone) and makes the source version the new base. For copies whose base is unknown
  // and for edits the source refused.
  Outcome rewriteFromSource(const store::StoredObject& source, store::DestinationCopy copy);

 private:
  Outcome reconcileOnce(const store::StoredObject& source, store::DestinationCopy& copy, int attempts_left);
  // Writes `source_form` over the copy with the copy's etag. Returns false when the copy
  // changed at the destination meanwhile: its new version is then in copy.dest_ical.
  bool writeOver(const CalendarObject& source_form, const store::StoredObject& source, store::DestinationCopy& copy);
  // Queues the merged version for the source; `edit_base` is the source version it was
  // merged from (the agent applies only what changed relative to it).
  void route(const CalendarObject& merged, const store::StoredObject& source, const std::string& edit_base,
             store::DestinationCopy& copy, const std::vector<std::string>& fields);

  RoundTripContext& ctx_;
};

// The agent reported what became of an update; if it was one the round trip sent, settle the
// copy: a success ends the wait; a conflict (the source changed the same field meanwhile)
// leaves the edit to be merged again with the source's newer version; a final refusal gives
// the source's version back to the destination (an edit the source cannot take is undone, a
// deleted copy is written again). Returns true when the copy needs a destination pass.
bool settleRoutedUpdate(store::MasterStore& objects, store::RoundTripStore& roundtrip, std::int64_t update_id,
                        const UpdateOutcome& outcome, bool final_failure);

}  // namespace calsync::master
