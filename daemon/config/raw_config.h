// A configuration as its files say it, before any check: the main file, then the conf.d
// drop-ins in name order merged over it. load() checks it whole; calsyncctl checks only the
// sections a command needs, so both must see the same merge.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "daemon/config/issue.h"

namespace calsync::config {

struct RawValue {
  std::string value;
  Origin origin;
  std::size_t file_index = 0;   // position in the read order: a later file wins
};

struct RawSection {
  Origin origin;
  std::map<std::string, RawValue> values;   // keys as written (a secret may be KEY_file)
};

struct RawConfig {
  std::vector<std::string> files;           // the main file, then the drop-ins read
  std::map<std::string, RawSection> sections;
  const RawSection* section(const std::string& name) const {
    const auto it = sections.find(name);
    return it == sections.end() ? nullptr : &it->second;
  }
};

// Reads `main_path` and its drop-ins with load()'s rules: a later file's key wins, a later
// file that sets a connector section's `type` replaces that section, a key twice in one file
// and an unknown section name are errors. Throws ConfigError with every problem found.
RawConfig readRawConfig(const std::string& main_path);

}  // namespace calsync::config
