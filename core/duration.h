// Durations as admins write them, in config files and API bodies: a whole number with an
// optional unit s, m, h, d or w ("45", "30m", "2h", "30d", "1w").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calsync {

// Seconds, or nullopt when the text is not a duration (units are lowercase only: "30M" could
// as well mean months or megabytes) or overflows.
std::optional<std::int64_t> parseDuration(std::string_view text);

// The largest whole unit that fits exactly: 1800 -> "30m", 86400 -> "1d", 45 -> "45s".
std::string formatDuration(std::int64_t seconds);

}  // namespace calsync
