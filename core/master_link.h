// How an agent reaches its master. Standalone mode plugs in an in-process link; agent mode
// an HTTPS one. Both carry the same messages, so agent/ and master/ never see each other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace calsync {

// One outbox batch: a JSON document (see protocol/batch_codec.h) under a sequence number.
struct OutgoingBatch {
  std::int64_t sequence = 0;
  std::string payload;
};

struct HeartbeatRequest {
  std::string agent_id;
  std::string agent_name;
  std::string epoch;                   // names the agent's state database
  std::vector<OutgoingBatch> batches;  // oldest first; may be empty (idle heartbeat)
};

struct HeartbeatResponse {
  // Every batch up to and including this sequence is stored and may leave the outbox.
  std::int64_t acknowledged_sequence = 0;
  // Set when a batch was refused as malformed: the agent keeps it and reports the reason.
  std::string error;
};

class MasterLink {
 public:
  virtual ~MasterLink() = default;
  // Throws ConnectorError(Network) when the master cannot be reached; batches stay queued.
  virtual HeartbeatResponse heartbeat(const HeartbeatRequest& request) = 0;
};

}  // namespace calsync
