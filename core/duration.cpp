#include "core/duration.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>

namespace calsync {

std::optional<std::int64_t> parseDuration(std::string_view text) {
  std::int64_t unit = 1;
  if (!text.empty() && std::isalpha(static_cast<unsigned char>(text.back()))) {
    switch (text.back()) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 7 * 86400; break;
      default: return std::nullopt;
    }
    text.remove_suffix(1);
  }
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  std::int64_t count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc() || end != text.data() + text.size() || count > INT64_MAX / unit) return std::nullopt;
  return count * unit;
}

std::string formatDuration(std::int64_t seconds) {
  if (seconds != 0 && seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
  if (seconds != 0 && seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds != 0 && seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

}  // namespace calsync
