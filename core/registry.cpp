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
  return it == infos_.end() ? nullptr : &it->second;
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
