#include "core/sync_config.h"

#include <charconv>

#include "core/duration.h"

namespace calsync {
namespace {

std::string encodePart(const std::string& text, bool slash_too) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == ',') out += "%2C";
    else if (slash_too && c == '/') out += "%2F";
    else out += c;
  }
  return out;
}

std::optional<std::string> decodePart(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (error != std::errc() || end != text.data() + i + 3) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

// Whole seconds in decimal, as the wire carries them.
std::optional<std::int64_t> seconds(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::string checkSyncInterval(std::int64_t value) {
  if (value >= kMinSyncInterval && value <= kMaxSyncInterval) return "";
  return "sync_interval must be from " + formatDuration(kMinSyncInterval) + " to " + formatDuration(kMaxSyncInterval) +
         " (got " + std::to_string(value) + " s)";
}

std::string checkWindow(const char* key, std::int64_t value) {
  if (value >= 0 && value <= kMaxWindowSeconds) return "";
  return std::string(key) + " must be from 0 to " + formatDuration(kMaxWindowSeconds) + " (got " +
         std::to_string(value) + " s)";
}

std::string formatCalendarList(const std::set<CalendarRef>& calendars) {
  std::string out;
  for (const auto& c : calendars) {
    if (!out.empty()) out += ',';
    out += encodePart(c.source, true) + "/" + encodePart(c.calendar_id, false);
  }
  return out;
}

std::optional<std::set<CalendarRef>> parseCalendarList(const std::string& text) {
  std::set<CalendarRef> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const std::size_t slash = item.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == item.size()) return std::nullopt;
    auto source = decodePart(item.substr(0, slash));
    auto calendar = decodePart(item.substr(slash + 1));
    if (!source || !calendar) return std::nullopt;
    out.insert({std::move(*source), std::move(*calendar)});
    start = comma + 1;
  }
  return out;
}

std::optional<SyncOverride> parseSyncOverride(const std::map<std::string, std::string>& settings, std::string& error) {
  SyncOverride result;
  for (const auto& [key, value] : settings) {
    if (key == sync_keys::kSyncInterval || key == sync_keys::kWindowPast || key == sync_keys::kWindowFuture) {
      const auto parsed = seconds(value);
      if (!parsed) {
        error = key + " must be a whole number of seconds (got '" + value + "')";
        return std::nullopt;
      }
      error = key == sync_keys::kSyncInterval ? checkSyncInterval(*parsed) : checkWindow(key.c_str(), *parsed);
      if (!error.empty()) return std::nullopt;
      if (key == sync_keys::kSyncInterval) result.sync_interval_seconds = parsed;
      else if (key == sync_keys::kWindowPast) result.window_past_seconds = parsed;
      else result.window_future_seconds = parsed;
    } else if (key == sync_keys::kBidirectional) {
      if (value != "true" && value != "false") {
        error = "bidirectional must be \"true\" or \"false\" (got '" + value + "')";
        return std::nullopt;
      }
      result.bidirectional = value == "true";
    } else if (key == sync_keys::kExcludeCalendars || key == sync_keys::kIncludeCalendars) {
      auto list = parseCalendarList(value);
      if (!list) {
        error = key + " must be a comma-separated list of source/calendar_id";
        return std::nullopt;
      }
      (key == sync_keys::kExcludeCalendars ? result.exclude_calendars : result.include_calendars) = std::move(*list);
    } else {
      error = "unknown sync setting '" + key + "'";
      return std::nullopt;
    }
  }
  error.clear();
  return result;
}

std::map<std::string, std::string> syncOverrideSettings(const SyncOverride& o) {
  std::map<std::string, std::string> settings;
  if (o.sync_interval_seconds) settings[sync_keys::kSyncInterval] = std::to_string(*o.sync_interval_seconds);
  if (o.window_past_seconds) settings[sync_keys::kWindowPast] = std::to_string(*o.window_past_seconds);
  if (o.window_future_seconds) settings[sync_keys::kWindowFuture] = std::to_string(*o.window_future_seconds);
  if (o.bidirectional) settings[sync_keys::kBidirectional] = *o.bidirectional ? "true" : "false";
  settings[sync_keys::kExcludeCalendars] = formatCalendarList(o.exclude_calendars);
  settings[sync_keys::kIncludeCalendars] = formatCalendarList(o.include_calendars);
  return settings;
}

}  // namespace calsync
