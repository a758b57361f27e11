// Mirrors the store into the destination calendar: creates, updates and deletes copies of
// source objects, never touching an event calsync did not write.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/connector.h"
#include "store/master_store.h"

namespace calsync::master {

struct WriteReport {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t deleted = 0;
  std::size_t adopted = 0;    // copies found in place of a lost mapping
  std::size_t failed = 0;     // left pending for the next pass
  std::string first_error;
};

class DestinationWriter {
 public:
  DestinationWriter(store::MasterStore& store, Connector& destination, std::string calendar_id);
  // Works through pending writes until none are left, one fails with a connection-level
  // error, or stop is requested. Per-object problems are counted and skipped.
  WriteReport run(const std::function<bool()>& stop_requested);

 private:
  enum class Outcome { Created, Updated, Deleted, Adopted, Unchanged };
  Outcome writeCopy(const store::StoredObject& object);
  Outcome deleteCopy(const store::StoredObject& object);
  // The copy as it is in the destination now, if it is one of ours.
  std::optional<CalendarObject> currentCopy(const std::string& copy_uid, const std::string& marker);

  store::MasterStore& store_;
  Connector& destination_;
  std::string calendar_id_;
};

}  // namespace calsync::master
