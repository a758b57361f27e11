// The credential states of a configuration's connector sections, through each connector type's
// ConnectorInfo::credential_status (read from disk, the provider is not asked): what /health
// lists and what an agent reports with its heartbeats.
#pragma once

#include <cstdint>
#include <vector>

#include "core/credential_state.h"
#include "daemon/config/config.h"

namespace calsync::daemon {

struct CredentialScope {
  bool destination = true;
  bool sources = true;    // enabled sources only
};

std::vector<CredentialState> credentialStates(const config::Config& config, CredentialScope scope, std::int64_t now,
                                              const ConnectorRegistry& registry = ConnectorRegistry::instance());

}  // namespace calsync::daemon
