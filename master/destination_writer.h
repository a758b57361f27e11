// Mirrors the store into the destination calendar: creates, updates and deletes copies of
// source objects, never touching an event calsync did not write. A copy whose source and
// destination both changed is merged by the copy reconciler; copies held for a person or
// for a source are left alone.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/connector.h"
#include "master/copy_reconciler.h"
#include "store/master_store.h"

namespace calsync::master {

struct WriteReport {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t deleted = 0;
  std::size_t adopted = 0;    // copies found in place of a lost mapping
  std::size_t routed = 0;     // merged versions sent to sources
  std::size_t held = 0;       // conflicts left for a person
  std::size_t resolved = 0;   // resolutions applied
  std::size_t failed = 0;     // left pending for the next pass
  std::string first_error;
};

class DestinationWriter {
 public:
  explicit DestinationWriter(RoundTripContext& context);
  // Applies resolved conflicts, then works through pending writes until none are left, one
  // fails with a connection-level error, or stop is requested. Per-object problems are
  // counted and skipped.
  WriteReport run(const std::function<bool()>& stop_requested);

 private:
  enum class Outcome { Created, Updated, Deleted, Adopted, Unchanged };
  void count(CopyReconciler::Outcome outcome, WriteReport& report);
  Outcome createCopy(const store::StoredObject& object);
  Outcome deleteCopy(const store::StoredObject& object);
  // The copy as it is in the destination now, if it is one of ours.
  std::optional<CalendarObject> currentCopy(const std::string& copy_uid, const std::string& marker);

  RoundTripContext& ctx_;
  store::MasterStore& store_;
  Connector& destination_;
  std::string calendar_id_;
};

}  // namespace calsync::master
