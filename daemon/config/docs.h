// Documentation generated from the schema, so it cannot drift from what the parser accepts.
#pragma once

#include <string>

#include "core/registry.h"

namespace calsync::config {

// A Zabbix-style self-documenting calsyncd.ini: every key commented out with its description,
// type, range and default; [destination] and one [source.NAME] per connector type as
// commented examples. Loading it unchanged gives the defaults.
std::string sampleIni(const ConnectorRegistry& registry);

// docs/config.md: the file format, every section and key, and one table per connector type.
std::string markdownDocs(const ConnectorRegistry& registry);

}  // namespace calsync::config
