#include "oauth/rfc3339.h"

#include <cctype>
#include <cstdio>

namespace calsync::web {
namespace {

bool digits(const std::string& s, std::size_t at, std::size_t count, int& out) {
  if (at + count > s.size()) return false;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    value = value * 10 + (s[i] - '0');
  }
  out = value;
  return true;
}

bool plausible(const DateTime& v) {
  return v.month >= 1 && v.month <= 12 && v.day >= 1 && v.day <= 31 && v.hour <= 23 && v.minute <= 59 && v.second <= 60;
}

}  // namespace

std::int64_t Rfc3339::instant() const {
  return civilToEpoch(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second) - offset_seconds;
}

std::optional<DateTime> parseDate(const std::string& text) {
  DateTime value;
  value.is_date = true;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, value.year) ||
      !digits(text, 5, 2, value.month) || !digits(text, 8, 2, value.day) || !plausible(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<Rfc3339> parseRfc3339(const std::string& text) {
  Rfc3339 result;
  DateTime& v = result.wall;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':' || !digits(text, 0, 4, v.year) || !digits(text, 5, 2, v.month) || !digits(text, 8, 2, v.day) ||
      !digits(text, 11, 2, v.hour) || !digits(text, 14, 2, v.minute) || !digits(text, 17, 2, v.second) || !plausible(v)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  }
  if (at == text.size()) return result;
  if (text[at] == 'Z' || text[at] == 'z') {
    if (at + 1 != text.size()) return std::nullopt;
    result.has_offset = true;
    return result;
  }
  int hours = 0;
  int minutes = 0;
  if ((text[at] != '+' && text[at] != '-') || at + 6 != text.size() || text[at + 3] != ':' ||
      !digits(text, at + 1, 2, hours) || !digits(text, at + 4, 2, minutes)) {
    return std::nullopt;
  }
  result.has_offset = true;
  result.offset_seconds = (text[at] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  return result;
}

std::string formatUtc(std::int64_t instant) {
  const DateTime v = epochToUtc(instant);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", v.year, v.month, v.day, v.hour, v.minute, v.second);
  return buffer;
}

std::string formatWall(const DateTime& v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", v.year, v.month, v.day, v.hour, v.minute, v.second);
  return buffer;
}

std::string formatDate(const DateTime& v) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", v.year, v.month, v.day);
  return buffer;
}

}  // namespace calsync::web
