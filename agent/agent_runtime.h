// The agent: runs every configured source once per cycle, each on its own backoff clock,
// and ships the outbox to the master. It owns no threads; the daemon's scheduler calls it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/effective_sync_config.h"
#include "core/connector.h"
#include "core/health.h"
#include "core/master_link.h"
#include "store/agent_state.h"

namespace calsync::agent {

struct AgentSettings {
  std::string id;
  std::string name;
  std::int64_t window_past_seconds = 30 * 86400;
  std::int64_t window_future_seconds = 90 * 86400;
  std::int64_t sync_interval_seconds = 1800;   // the INI value; the daemon's scheduler runs on it
};

struct SourceSetup {
  std::string name;
  std::string type;
  std::unique_ptr<Connector> connector;
  std::vector<std::string> calendars;   // filter by id or name; empty = all
  bool allow_metadata_updates = false;
  bool allow_event_updates = false;
  // Sent to the master with the source's calendars: "inherit" or a strategy name.
  std::string conflict_resolution = "inherit";
};

struct CycleReport {
  int sources_ok = 0;
  int sources_failed = 0;
  int sources_waiting = 0;    // skipped because their backoff has not run out
  std::size_t changes = 0;
  bool delivered = false;     // the outbox is empty after the cycle
};

// Delay before retrying a source that failed `failures` times in a row: doubling from 30 s
// up to an hour, at least what the server asked for, spread by +-20 % so a fleet that
// failed together does not return together.
std::int64_t backoffSeconds(int failures, std::int64_t server_hint, std::uint32_t jitter_seed);

class AgentRuntime {
 public:
  AgentRuntime(AgentSettings settings, std::vector<SourceSetup> sources, store::AgentStateStore& state,
               MasterLink& master, HealthBoard& health);

  // `now` in epoch seconds. With `ignore_backoff`, every source is tried (--once).
  CycleReport runCycle(std::int64_t now, const std::function<bool()>& stop_requested, bool ignore_backoff);
  // Sends queued batches until the outbox is empty or the master cannot take more, and
  // applies the updates the master answers with.
  bool deliver();
  // Applies updates from the master to the sources, where their config allows it. Safe to
  // call from another thread than runCycle (a long-poll listener).
  std::vector<UpdateOutcome> applyUpdates(const std::vector<AgentUpdate>& updates);
  // Applies the updates and reports each outcome to the master.
  void applyAndReport(const std::vector<AgentUpdate>& updates);
  // Where each heartbeat's `credentials` come from (the daemon reads the sources' sign-ins).
  // Set before the first cycle.
  void reportCredentials(std::function<std::vector<CredentialState>()> provider) { credentials_ = std::move(provider); }
  const std::string& id() const { return settings_.id; }
  MasterLink& master() { return master_; }
  // The settings in force: INI values or the master's pushed override.
  const EffectiveSyncConfig& syncConfig() const { return sync_config_; }
  // Called (on the thread that applied it) after a pushed SyncConfig took effect, so the
  // daemon can adopt the interval and run a cycle with the new settings now.
  void onSyncConfigApplied(std::function<void()> callback);

 private:
  struct SourceState {
    SourceSetup setup;
    int failures = 0;
    std::int64_t next_attempt = 0;
  };
  void runSource(SourceState& source, std::int64_t now, const std::function<bool()>& stop, CycleReport& report);
  UpdateOutcome applyUpdate(const AgentUpdate& update);
  UpdateOutcome applySyncConfig(const AgentUpdate& update);
  std::string stateDigest();
  // This agent's report, or nullopt when the master already has one just like it.
  std::optional<AgentReport> reportIfChanged(std::string& fingerprint);

  AgentSettings settings_;
  std::vector<SourceState> sources_;
  store::AgentStateStore& state_;
  MasterLink& master_;
  HealthBoard& health_;
  EffectiveSyncConfig sync_config_;
  std::mutex callback_mutex_;
  std::function<void()> on_sync_config_applied_;
  std::string reported_fingerprint_;   // of the last report a heartbeat delivered
  std::function<std::vector<CredentialState>()> credentials_;
  // Connectors are not thread-safe: reads (cycle) and writes (updates) take turns.
  std::recursive_mutex sources_mutex_;
};

}  // namespace calsync::agent
