// Sync settings the master pushes to an agent (AgentUpdate::Kind::SyncConfig), overriding
// the agent's own INI until cleared. One SyncConfig update carries the agent's whole
// override: a key it leaves out falls back to the INI value. Master and agent validate with
// the same rules, so the master can refuse a bad value before it is queued and the agent
// still refuses one that reaches it some other way.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

namespace calsync {

// The settings keys on the wire. Durations are whole seconds in decimal text, booleans
// "true"/"false", calendar lists as formatCalendarList() writes them.
namespace sync_keys {
inline constexpr const char* kSyncInterval = "sync_interval";
inline constexpr const char* kWindowPast = "window_past";
inline constexpr const char* kWindowFuture = "window_future";
inline constexpr const char* kBidirectional = "bidirectional";
inline constexpr const char* kExcludeCalendars = "exclude_calendars";
inline constexpr const char* kIncludeCalendars = "include_calendars";
}  // namespace sync_keys

// The ranges the INI schema allows for the same [agent] keys.
inline constexpr std::int64_t kMinSyncInterval = 10;
inline constexpr std::int64_t kMaxSyncInterval = 86400;
inline constexpr std::int64_t kMaxWindowSeconds = 3650LL * 86400;

// One source calendar, as the agent's config names it.
struct CalendarRef {
  std::string source;        // the [source.NAME] section name
  std::string calendar_id;   // the connector's calendar id
  bool operator<(const CalendarRef& o) const { return std::tie(source, calendar_id) < std::tie(o.source, o.calendar_id); }
  bool operator==(const CalendarRef& o) const = default;
};

struct SyncOverride {
  std::optional<std::int64_t> sync_interval_seconds;
  std::optional<std::int64_t> window_past_seconds;
  std::optional<std::int64_t> window_future_seconds;
  // false: the agent reads its sources but refuses every change the master sends back.
  std::optional<bool> bidirectional;
  // Calendars taken out of the sync (DELETE /calendars/{id}), and calendars synced on top
  // of a source's `calendars` filter (POST /calendars).
  std::set<CalendarRef> exclude_calendars;
  std::set<CalendarRef> include_calendars;

  bool empty() const {
    return !sync_interval_seconds && !window_past_seconds && !window_future_seconds && !bidirectional &&
           exclude_calendars.empty() && include_calendars.empty();
  }
  bool operator==(const SyncOverride&) const = default;
};

// Reads settings as they travel; on failure returns nullopt and sets `error` to a reason an
// admin can act on (the key, the value, the allowed range). Unknown keys are refused.
std::optional<SyncOverride> parseSyncOverride(const std::map<std::string, std::string>& settings, std::string& error);

// The settings for an update. Both calendar lists are always present (possibly empty), so
// an update names the whole override.
std::map<std::string, std::string> syncOverrideSettings(const SyncOverride& override_settings);

// "source/calendar_id" items joined by ','. In both parts '%' and ',' are percent-encoded, and
// '/' in the source, so any calendar id (CalDAV hrefs hold '/') survives the trip.
std::string formatCalendarList(const std::set<CalendarRef>& calendars);
std::optional<std::set<CalendarRef>> parseCalendarList(const std::string& text);

// Range checks shared by the API and the agent; "" when the value is fine.
std::string checkSyncInterval(std::int64_t seconds);
std::string checkWindow(const char* key, std::int64_t seconds);

}  // namespace calsync
