#include "daemon/credential_states.h"

#include "core/log.h"

namespace calsync::daemon {
namespace {

void add(std::vector<CredentialState>& out, const ConnectorSpec& spec, std::int64_t now, const ConnectorRegistry& registry) {
  const ConnectorInfo* info = registry.find(spec.type);
  if (!info || !info->credential_status) return;
  try {
    if (auto state = info->credential_status(spec, now)) out.push_back(std::move(*state));
  } catch (const std::exception& e) {
    // A hook that throws is a bug; the section still shows, as unusable, with the reason.
    out.push_back(CredentialState{spec.name, info->type, "missing", 0, e.what()});
    log::warn("daemon", "credential state of '" + spec.name + "' failed: " + e.what());
  }
}

}  // namespace

std::vector<CredentialState> credentialStates(const config::Config& config, CredentialScope scope, std::int64_t now,
                                              const ConnectorRegistry& registry) {
  std::vector<CredentialState> out;
  if (scope.destination && config.destination) add(out, config.destination->spec, now, registry);
  if (scope.sources) {
    for (const auto& source : config.sources) {
      if (source.enabled) add(out, source.spec, now, registry);
    }
  }
  return out;
}

}  // namespace calsync::daemon
