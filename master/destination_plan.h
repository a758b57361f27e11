// A dry run of the destination writer: what its next pass would create, update and delete in
// the destination, computed from the store's pending writes the way DestinationWriter::run
// decides, without writing anything or asking the destination. GET /sync/plan serves it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "store/master_store.h"
#include "store/round_trip_store.h"

namespace calsync::master {

struct PlannedWrite {
  store::ObjectKey key;
  std::string uid;
  std::string summary;   // of the master event, when the stored version parses
  std::string reason;    // why a held item will not be written as it stands
};

struct DestinationPlan {
  std::vector<PlannedWrite> create;
  std::vector<PlannedWrite> update;
  std::vector<PlannedWrite> remove;
  // Copies the writer leaves alone: an open conflict waiting for a person, a deletion made at
  // the destination on its way to the source, or a stored version that does not parse back
  // into one calendar object. A foreign event holding the copy's UID in the destination is
  // only found by writing, so it is not predicted here.
  std::vector<PlannedWrite> held;
  bool truncated = false;   // more than `limit` pending writes: the lists show the first ones
};

DestinationPlan planDestinationWrites(store::MasterStore& store, store::RoundTripStore& roundtrip, std::size_t limit);

}  // namespace calsync::master
