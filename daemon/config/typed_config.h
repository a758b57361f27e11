// Turns validated sections into the typed Config the daemon reads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "daemon/config/config.h"

namespace calsync::config {

// Builds every field of Config from the sections except files_read and warnings. The sections
// must have passed validation: every schema key present, every value in its normal form.
Config typedConfig(std::map<std::string, SectionValues> sections);

// One item of daemon.log_levels: "caldav = debug" -> {"caldav", "debug"}, trimmed; nullopt
// without '='. The names are not checked.
std::optional<std::pair<std::string, std::string>> splitComponentLevel(const std::string& item);

}  // namespace calsync::config
