// How one configuration key is described. The daemon's schema and every connector's keys use
// this one shape, so strict validation, --test-config, the sample INI and docs/config.md all
// come from the same table.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace calsync {

enum class KeyType {
  String,
  Int,        // integer, checked against [min, max]
  Bool,       // true/false/yes/no/on/off/1/0
  Duration,   // "30", "30s", "15m", "2h", "30d": stored as seconds, checked against [min, max]
  Enum,       // one of `choices`
  List,       // comma-separated strings
  Secret,     // inline value, "env:NAME", or given as KEY_file = path; never logged
  Path,
  Url,        // http:// or https://
  HostPort,   // "host:port" or "[v6]:port"
};

const char* toString(KeyType type);

struct KeySpec {
  std::string key;
  KeyType type = KeyType::String;
  std::string default_value;       // as it would be written in the INI; empty = no default
  bool required = false;
  std::string description;
  std::int64_t min = INT64_MIN;    // Int and Duration (seconds)
  std::int64_t max = INT64_MAX;
  std::vector<std::string> choices;  // Enum
  bool reloadable = true;          // false: a change needs a restart
};

// A section's validated settings: key -> value with defaults filled in, secrets resolved,
// durations as seconds in decimal text.
using Settings = std::map<std::string, std::string>;

}  // namespace calsync
