// The sync settings an agent runs with: its INI values, unless the master pushed an
// override (AgentUpdate::Kind::SyncConfig). The override is kept in the agent's state
// database, so it outlives restarts, until the master clears it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "core/sync_config.h"
#include "store/agent_state.h"

namespace calsync::agent {

// Named value in the agent's state database holding the override, as JSON settings.
inline constexpr const char* kSyncOverrideValue = "sync_override";

struct SyncDefaults {
  std::int64_t sync_interval_seconds = 1800;
  std::int64_t window_past_seconds = 30 * 86400;
  std::int64_t window_future_seconds = 90 * 86400;
};

class EffectiveSyncConfig {
 public:
  // Loads a persisted override. One that no longer parses (written by another version) is
  // logged and ignored: the INI values apply until the master pushes again.
  EffectiveSyncConfig(store::AgentStateStore& state, SyncDefaults defaults);

  // Validates the update's settings and, when they are good, stores them as the whole
  // override and takes them into use. Returns "" or why they were refused (nothing changes
  // then). Calendars that become excluded are forgotten in the state database, so the state
  // digest no longer covers them and a later re-include sends them in full.
  std::string apply(const std::map<std::string, std::string>& settings);

  std::int64_t syncIntervalSeconds() const;
  std::int64_t windowPastSeconds() const;
  std::int64_t windowFutureSeconds() const;
  bool bidirectional() const;
  SyncOverride pushed() const;
  // The values in force as SyncConfig settings, for the agent's report.
  std::map<std::string, std::string> effectiveSettings() const;
  bool overridden() const;
  std::string lastRefusal() const;

 private:
  store::AgentStateStore& state_;
  const SyncDefaults defaults_;
  mutable std::mutex mutex_;
  SyncOverride override_;
  std::string last_refusal_;
};

}  // namespace calsync::agent
