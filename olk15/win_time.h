// The time encodings of Outlook for Mac (olk15-format.md §4.4): event times are signed
// 32-bit minutes since 1601-01-01 UTC, 0x4D properties are seconds since 2001-01-01 UTC
// (CFAbsoluteTime), Record_ModDate is Unix seconds.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

namespace calsync::olk15 {

inline constexpr std::int64_t kSeconds1601To1970 = 11644473600;
inline constexpr std::int64_t kSeconds1970To2001 = 978307200;

constexpr std::int64_t minutes1601ToEpoch(std::int64_t minutes) { return minutes * 60 - kSeconds1601To1970; }
constexpr std::int64_t epochToMinutes1601(std::int64_t epoch) {
  // Floor division, so instants before 1601 (never valid here) still round consistently.
  const std::int64_t s = epoch + kSeconds1601To1970;
  return s >= 0 ? s / 60 : -((-s + 59) / 60);
}
// Nullopt for values that are no instant (NaN, infinities, beyond +-3000 years).
inline std::optional<std::int64_t> cfSecondsToEpoch(double cf) {
  if (!std::isfinite(cf) || cf < -1e11 || cf > 1e11) return std::nullopt;
  return static_cast<std::int64_t>(cf) + kSeconds1970To2001;
}

}  // namespace calsync::olk15
