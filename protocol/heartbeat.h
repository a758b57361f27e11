// The heartbeat and update messages on the wire (docs/protocol.md): JSON, version 1.
#pragma once

#include <string>
#include <vector>

#include "core/master_link.h"
#include "protocol/batch.h"

namespace calsync::protocol {

std::string encodeHeartbeatRequest(const HeartbeatRequest& request);
// Throws ProtocolError naming the first field that is missing or wrong. Each batch payload
// is kept as JSON text for decodeBatch.
HeartbeatRequest decodeHeartbeatRequest(const std::string& json);

std::string encodeHeartbeatResponse(const HeartbeatResponse& response);
HeartbeatResponse decodeHeartbeatResponse(const std::string& json);

std::string encodeUpdate(const AgentUpdate& update);
AgentUpdate decodeUpdate(const std::string& json);
// {"updates": [...]}, as GET /sync/agents/{id}/pending-updates answers.
std::string encodeUpdateList(const std::vector<AgentUpdate>& updates);
std::vector<AgentUpdate> decodeUpdateList(const std::string& json);

// An agent's report on its own, as the heartbeat's "report" carries it (the master keeps it so).
std::string encodeAgentReport(const AgentReport& report);
AgentReport decodeAgentReport(const std::string& json);

std::string encodeOutcome(const UpdateOutcome& outcome);
UpdateOutcome decodeOutcome(const std::string& json);

// The order-independent digest of an agent's state: one entry per object the master holds
// for it and has not seen deleted. Agent and master compute it the same way.
struct DigestEntry {
  std::string source;
  std::string calendar_id;
  std::string native_id;
  std::string hash;
  bool in_window = true;
};
std::string stateDigest(std::vector<DigestEntry> entries);

}  // namespace calsync::protocol
