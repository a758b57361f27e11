// The schema of the daemon's own sections, and the common keys of [destination] and
// [source.NAME] (a connector's own keys come from its ConnectorInfo in the registry).
#pragma once

#include <string>
#include <vector>

#include "core/key_spec.h"
#include "core/registry.h"

namespace calsync::config {

// "daemon", "agent", "master", "destination" or "source"; throws std::invalid_argument otherwise.
const std::vector<KeySpec>& sectionSchema(const std::string& section);

// Every key a [destination] or [source.NAME] section of this connector type accepts: the common
// keys (including `type`) followed by the connector's own keys.
std::vector<KeySpec> connectorSectionSchema(const std::string& section, const ConnectorInfo& connector);

}  // namespace calsync::config
