// Checks one written value against its KeySpec and brings it to the normal form the rest of
// the daemon reads: durations as seconds, booleans as "true"/"false", lists as "a, b".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/key_spec.h"

namespace calsync::config {

struct CheckedValue {
  bool ok = false;
  std::string value;    // normalized, when ok
  std::string reason;   // why not, when !ok; quotes the value only for types that cannot hold secrets
};

// Secret values are passed through unchanged: resolving env:/files is the loader's job.
CheckedValue checkValue(const KeySpec& spec, const std::string& text);

// "45", "45s", "30m", "2h", "30d", "1w" -> seconds.
std::optional<std::int64_t> parseDuration(std::string_view text);
// true/false/yes/no/on/off/1/0, case-insensitive.
std::optional<bool> parseBool(std::string_view text);
// Seconds in the largest unit that divides them exactly: 1800 -> "30m", 86400 -> "1d".
std::string formatDuration(std::int64_t seconds);
// "host:port" or "[v6]:port", port 1..65535.
bool isHostPort(std::string_view text);
// http:// or https:// with a host (and a valid port, if any).
bool isHttpUrl(std::string_view text);

}  // namespace calsync::config
