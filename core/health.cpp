#include "core/health.h"

namespace calsync {

void HealthBoard::update(const ConnectorHealth& health) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_[health.role + "/" + health.name] = health;
}

std::vector<ConnectorHealth> HealthBoard::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ConnectorHealth> out;
  for (const auto& [key, h] : entries_) out.push_back(h);
  return out;
}

ConnectorHealth HealthBoard::get(const std::string& role, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(role + "/" + name);
  if (it != entries_.end()) return it->second;
  ConnectorHealth empty;
  empty.role = role;
  empty.name = name;
  return empty;
}

bool HealthBoard::allOk() const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [key, h] : entries_) {
    if (h.state != "ok") return false;
  }
  return true;
}

}  // namespace calsync
