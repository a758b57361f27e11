#include "core/registry.h"

#include "core/errors.h"

namespace calsync {

ConnectorRegistry& ConnectorRegistry::instance() {
  static ConnectorRegistry registry;
  return registry;
}

void ConnectorRegistry::add(ConnectorInfo info) {
  const std::string type = info.type;
  infos_[type] = std::move(info);
}

const ConnectorInfo* ConnectorRegistry::find(const std::string& type) const {
  auto it = infos_.find(type);
  if (it != infos_.end()) return &it->second;
  for (const auto& [name, info] : infos_)
    for (const auto& alias : info.aliases)
      if (alias == type) return &info;
  return nullptr;
}

std::vector<std::string> ConnectorRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& [type, info] : infos_) out.push_back(type);
  return out;
}

std::unique_ptr<Connector> ConnectorRegistry::create(const ConnectorSpec& spec) const {
  const ConnectorInfo* info = find(spec.type);
  if (!info) throw ConnectorError(ErrorKind::Config, "unknown connector type '" + spec.type + "'");
  return info->create(spec);
}

}  // namespace calsync
