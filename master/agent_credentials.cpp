#include "master/agent_credentials.h"

namespace calsync::master {

void AgentCredentials::record(const std::string& agent_id, std::vector<CredentialState> states, std::int64_t at) {
  std::lock_guard lock(mutex_);
  reports_[agent_id] = Report{std::move(states), at};
}

std::optional<AgentCredentials::Report> AgentCredentials::get(const std::string& agent_id) const {
  std::lock_guard lock(mutex_);
  const auto it = reports_.find(agent_id);
  if (it == reports_.end()) return std::nullopt;
  return it->second;
}

}  // namespace calsync::master
