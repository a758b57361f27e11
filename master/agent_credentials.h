// The credential states agents report with their heartbeats (docs/protocol.md), kept in memory
// for GET /sync/agents/{id}/status. Every heartbeat carries the agent's whole list, so a
// restarted master knows it again at the agent's next heartbeat; nothing here is secret.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/credential_state.h"

namespace calsync::master {

class AgentCredentials {
 public:
  struct Report {
    std::vector<CredentialState> states;
    std::int64_t reported_at = 0;
  };

  void record(const std::string& agent_id, std::vector<CredentialState> states, std::int64_t at);
  // Nothing when the agent has not sent a heartbeat to this master since it started.
  std::optional<Report> get(const std::string& agent_id) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Report> reports_;
};

}  // namespace calsync::master
