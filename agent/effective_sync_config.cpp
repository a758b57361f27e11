#include "agent/effective_sync_config.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "core/log.h"

namespace calsync::agent {
namespace {

std::string settingsJson(const std::map<std::string, std::string>& settings) {
  Poco::JSON::Object o;
  for (const auto& [k, v] : settings) o.set(k, v);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::optional<std::map<std::string, std::string>> settingsFrom(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    const auto object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    if (!object) return std::nullopt;
    std::map<std::string, std::string> settings;
    for (const auto& [k, v] : *object) {
      if (!v.isString()) return std::nullopt;
      settings[k] = v.extract<std::string>();
    }
    return settings;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

EffectiveSyncConfig::EffectiveSyncConfig(store::AgentStateStore& state, SyncDefaults defaults)
    : state_(state), defaults_(defaults) {
  const std::string stored = state_.value(kSyncOverrideValue);
  if (stored.empty()) return;
  std::string error;
  const auto settings = settingsFrom(stored);
  const auto parsed = settings ? parseSyncOverride(*settings, error) : std::nullopt;
  if (!parsed) {
    log::warn("agent", "ignoring the stored sync settings from the master (" +
                           (error.empty() ? std::string("not readable") : error) + "); the config file applies");
    return;
  }
  override_ = *parsed;
  if (!override_.empty()) log::info("agent", "sync settings pushed by the master are in force");
}

std::string EffectiveSyncConfig::apply(const std::map<std::string, std::string>& settings) {
  std::string error;
  const auto parsed = parseSyncOverride(settings, error);
  std::lock_guard lock(mutex_);
  if (!parsed) {
    last_refusal_ = error;
    return error;
  }
  for (const CalendarRef& c : parsed->exclude_calendars) {
    if (override_.exclude_calendars.count(c)) continue;
    // Forget the calendar: the master has tombstoned it, and a re-include must start from a
    // full listing.
    state_.resetCalendar(c.source, c.calendar_id);
    state_.setValue("calendar-meta/" + c.source + "/" + c.calendar_id, "");
  }
  const auto window = [&](const SyncOverride& o) {
    return std::make_pair(o.window_past_seconds.value_or(defaults_.window_past_seconds),
                          o.window_future_seconds.value_or(defaults_.window_future_seconds));
  };
  // Incremental reads only report what changed: after the window moved, each calendar is
  // read in full once so events entering or leaving it are seen.
  if (window(*parsed) != window(override_)) state_.resetCursors();
  state_.setValue(kSyncOverrideValue, parsed->empty() ? "" : settingsJson(syncOverrideSettings(*parsed)));
  override_ = *parsed;
  last_refusal_.clear();
  return "";
}

std::int64_t EffectiveSyncConfig::syncIntervalSeconds() const {
  std::lock_guard lock(mutex_);
  return override_.sync_interval_seconds.value_or(defaults_.sync_interval_seconds);
}

std::int64_t EffectiveSyncConfig::windowPastSeconds() const {
  std::lock_guard lock(mutex_);
  return override_.window_past_seconds.value_or(defaults_.window_past_seconds);
}

std::int64_t EffectiveSyncConfig::windowFutureSeconds() const {
  std::lock_guard lock(mutex_);
  return override_.window_future_seconds.value_or(defaults_.window_future_seconds);
}

bool EffectiveSyncConfig::bidirectional() const {
  std::lock_guard lock(mutex_);
  return override_.bidirectional.value_or(true);
}

SyncOverride EffectiveSyncConfig::pushed() const {
  std::lock_guard lock(mutex_);
  return override_;
}

std::map<std::string, std::string> EffectiveSyncConfig::effectiveSettings() const {
  std::lock_guard lock(mutex_);
  SyncOverride effective = override_;
  effective.sync_interval_seconds = override_.sync_interval_seconds.value_or(defaults_.sync_interval_seconds);
  effective.window_past_seconds = override_.window_past_seconds.value_or(defaults_.window_past_seconds);
  effective.window_future_seconds = override_.window_future_seconds.value_or(defaults_.window_future_seconds);
  effective.bidirectional = override_.bidirectional.value_or(true);
  return syncOverrideSettings(effective);
}

bool EffectiveSyncConfig::overridden() const {
  std::lock_guard lock(mutex_);
  return !override_.empty();
}

std::string EffectiveSyncConfig::lastRefusal() const {
  std::lock_guard lock(mutex_);
  return last_refusal_;
}

}  // namespace calsync::agent
