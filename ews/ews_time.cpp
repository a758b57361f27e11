#include "ews/ews_time.h"

#include <cctype>
#include <cstdio>

#include "core/date_time.h"

namespace calsync::ews {
namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

// Parses "Z", "+hh:mm" or "-hh:mm" at `at` (or nothing at the end); seconds east of UTC.
std::optional<int> zoneSuffix(std::string_view text, std::size_t at) {
  if (at == text.size()) return 0;
  if (text[at] == 'Z' && at + 1 == text.size()) return 0;
  if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() && text[at + 3] == ':') {
    int hours = 0, minutes = 0;
    if (!digits(text, at + 1, 2, hours) || !digits(text, at + 4, 2, minutes) || hours > 14 || minutes > 59) {
      return std::nullopt;
    }
    int offset = hours * 3600 + minutes * 60;
    return text[at] == '-' ? -offset : offset;
  }
  return std::nullopt;
}

bool validDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

}  // namespace

int daysInMonth(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return days[(month - 1) % 12];
}

int weekday(int year, int month, int day) {
  const std::int64_t days = civilToEpoch(year, month, day, 0, 0, 0) / 86400;
  return static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
}

std::optional<std::int64_t> parseDateTime(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2, month) ||
      text[7] != '-' || !digits(text, 8, 2, day) || text[10] != 'T' || !digits(text, 11, 2, hour) ||
      text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  }
  auto offset = zoneSuffix(text, at);
  if (!offset || !validDate(year, month, day) || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return civilToEpoch(year, month, day, hour, minute, second == 60 ? 59 : second) - *offset;
}

std::optional<CivilDate> parseDate(std::string_view text) {
  CivilDate date;
  if (!digits(text, 0, 4, date.year) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, date.month) ||
      text[7] != '-' || !digits(text, 8, 2, date.day) || !zoneSuffix(text, 10) ||
      !validDate(date.year, date.month, date.day)) {
    return std::nullopt;
  }
  return date;
}

std::optional<std::int64_t> parseDuration(std::string_view text) {
  bool negative = false;
  std::size_t at = 0;
  if (at < text.size() && text[at] == '-') {
    negative = true;
    ++at;
  }
  if (at >= text.size() || text[at] != 'P') return std::nullopt;
  ++at;
  bool in_time = false;
  bool any = false;
  double total = 0;
  while (at < text.size()) {
    if (text[at] == 'T') {
      in_time = true;
      ++at;
      continue;
    }
    std::size_t start = at;
    while (at < text.size() && (std::isdigit(static_cast<unsigned char>(text[at])) || text[at] == '.')) ++at;
    if (start == at || at >= text.size()) return std::nullopt;
    double value = 0;
    try {
      value = std::stod(std::string(text.substr(start, at - start)));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    switch (text[at]) {
      case 'D': if (in_time) return std::nullopt; total += value * 86400; break;
      case 'H': if (!in_time) return std::nullopt; total += value * 3600; break;
      case 'M': if (!in_time) return std::nullopt; total += value * 60; break;
      case 'S': if (!in_time) return std::nullopt; total += value; break;
      default: return std::nullopt;
    }
    any = true;
    ++at;
  }
  if (!any) return std::nullopt;
  auto seconds = static_cast<std::int64_t>(total + 0.5);
  return negative ? -seconds : seconds;
}

std::string formatUtc(std::int64_t instant) {
  DateTime t = epochToUtc(instant);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
  return buffer;
}

std::string formatDate(int year, int month, int day) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

std::string formatDuration(std::int64_t seconds) {
  std::string sign = seconds < 0 ? "-" : "";
  std::int64_t minutes = (seconds < 0 ? -seconds : seconds) / 60;
  return sign + "PT" + std::to_string(minutes) + "M";
}

}  // namespace calsync::ews
