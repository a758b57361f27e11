// The unit of change an agent ships to its master: what changed in one source calendar
// during one cycle. Encoded as JSON for the outbox and the wire (docs/protocol.md).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/event.h"

namespace calsync::protocol {

struct BatchObject {
  std::string native_id;
  std::string uid;
  std::string hash;
  std::string ical;               // the whole calendar object as iCalendar text
  std::int64_t span_start_utc = 0;
  std::int64_t span_end_utc = 0;
  bool in_window = true;          // false: it left the window; keep its copy as it is
};

struct SourceBatch {
  std::string source;             // [source.NAME]
  std::string source_type;
  Calendar calendar;
  std::vector<BatchObject> upserts;
  std::vector<std::string> deletions;   // native ids deleted at the source
  // Set after the master asked for a resync: these are the native ids of everything the
  // calendar holds (in the window or not), so whatever else the master has for it is gone.
  bool snapshot = false;
  std::vector<std::string> snapshot_ids;
  // The source's conflict strategy ([source.NAME] conflict_resolution): "inherit" (the
  // master's) or a strategy name. Empty: an agent that does not say (the master keeps what
  // it knew).
  std::string conflict_resolution;
};

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string encodeBatch(const SourceBatch& batch);
// Throws ProtocolError naming the first field that is missing or of the wrong type.
SourceBatch decodeBatch(const std::string& json);

}  // namespace calsync::protocol
