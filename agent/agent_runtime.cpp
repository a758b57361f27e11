#include "agent/agent_runtime.h"

#include <algorithm>

#include "agent/destination_edit.h"
#include "agent/source_sync.h"
#include "core/errors.h"
#include "core/hash.h"
#include "core/log.h"
#include "ical/ical_codec.h"
#include "protocol/heartbeat.h"
#include "store/store_error.h"

namespace calsync::agent {
namespace {

constexpr std::size_t kBatchesPerHeartbeat = 16;

}  // namespace

std::int64_t backoffSeconds(int failures, std::int64_t server_hint, std::uint32_t jitter_seed) {
  std::int64_t delay = 30;
  for (int i = 1; i < failures && delay < 3600; ++i) delay *= 2;
  delay = std::min<std::int64_t>(delay, 3600);
  // +-20 %, from a cheap deterministic spread of the seed.
  const std::int64_t spread = delay / 5;
  const std::uint32_t mixed = jitter_seed * 2654435761u;
  if (spread > 0) delay += static_cast<std::int64_t>(mixed % static_cast<std::uint32_t>(2 * spread + 1)) - spread;
  return std::max(delay, server_hint);
}

AgentRuntime::AgentRuntime(AgentSettings settings, std::vector<SourceSetup> sources, store::AgentStateStore& state,
                           MasterLink& master, HealthBoard& health)
    : settings_(std::move(settings)),
      state_(state),
      master_(master),
      health_(health),
      sync_config_(state, {settings_.sync_interval_seconds, settings_.window_past_seconds,
                           settings_.window_future_seconds}) {
  for (auto& s : sources) {
    ConnectorHealth h;
    h.name = s.name;
    h.type = s.type;
    h.role = "source";
    health_.update(h);
    sources_.push_back(SourceState{std::move(s), 0, 0});
  }
}

CycleReport AgentRuntime::runCycle(std::int64_t now, const std::function<bool()>& stop_requested,
                                   bool ignore_backoff) {
  CycleReport report;
  {
    std::lock_guard lock(sources_mutex_);
    const bool resyncing = state_.value(store::kResyncPendingValue) == "1";
    for (auto& source : sources_) {
      if (stop_requested()) break;
      if (!ignore_backoff && now < source.next_attempt) {
        ++report.sources_waiting;
        continue;
      }
      runSource(source, now, stop_requested, report);
    }
    // Every source has sent its snapshot: the resync is over.
    if (resyncing && report.sources_failed == 0 && report.sources_waiting == 0 && !stop_requested()) {
      state_.setValue(store::kResyncPendingValue, "0");
    }
  }
  report.delivered = deliver();
  return report;
}

void AgentRuntime::runSource(SourceState& source, std::int64_t now, const std::function<bool()>& stop,
                             CycleReport& report) {
  ConnectorHealth h = health_.get("source", source.setup.name);
  h.type = source.setup.type;
  h.last_attempt = now;
  const Window window{now - sync_config_.windowPastSeconds(), now + sync_config_.windowFutureSeconds()};
  CalendarSelection selection{source.setup.calendars, {}, {}};
  const SyncOverride pushed = sync_config_.pushed();
  for (const auto& c : pushed.include_calendars)
    if (c.source == source.setup.name) selection.include_ids.insert(c.calendar_id);
  for (const auto& c : pushed.exclude_calendars)
    if (c.source == source.setup.name) selection.exclude_ids.insert(c.calendar_id);
  // Every failure: back off, show why in /health, and say that nothing was deleted.
  const auto fail = [&](const std::string& error, std::int64_t server_hint) {
    ++source.failures;
    const std::int64_t delay = backoffSeconds(source.failures, server_hint,
                                              static_cast<std::uint32_t>(std::hash<std::string>{}(source.setup.name)));
    source.next_attempt = now + delay;
    h.state = "failing";
    h.consecutive_failures = source.failures;
    h.next_attempt = source.next_attempt;
    h.last_error = error;
    ++report.sources_failed;
    log::warn("agent", "source '" + source.setup.name + "' failed (" + error + "); next try in " +
                           std::to_string(delay) + " s; nothing was deleted");
  };
  try {
    SourceSync sync(state_, source.setup.name, source.setup.type, *source.setup.connector,
                    source.setup.conflict_resolution);
    const SourceSyncResult result = sync.runSelected(window, selection, stop);
    source.failures = 0;
    source.next_attempt = 0;
    h.state = result.held_deletions.empty() ? "ok" : "degraded";
    h.last_success = now;
    h.next_attempt = 0;
    h.consecutive_failures = 0;
    h.last_error = result.held_deletions.empty()
                       ? ""
                       : "an empty listing was not trusted; deletions held for " +
                             std::to_string(result.held_deletions.size()) + " calendar(s)";
    h.calendars = static_cast<std::int64_t>(result.calendars);
    h.objects = static_cast<std::int64_t>(result.objects_in_window);
    h.warnings = static_cast<std::int64_t>(result.warnings);
    report.changes += result.changes;
    ++report.sources_ok;
    log::info("agent", "source '" + source.setup.name + "': " + std::to_string(result.calendars) + " calendar(s), " +
                           std::to_string(result.objects_in_window) + " event(s) in window, " +
                           std::to_string(result.changes) + " change(s)");
  } catch (const ConnectorError& e) {
    fail(std::string(toString(e.kind())) + ": " + e.what(), e.retryAfterSeconds());
  } catch (const store::StoreError& e) {
    // The state database is the agent's memory; failing to write it is not the source's
    // fault, but the source's cycle must count as failed so nothing is assumed sent.
    fail(std::string("state database: ") + e.what(), 0);
  } catch (const std::exception& e) {
    // Anything else is a bug below; it must cost this source its cycle, not the others theirs.
    fail(std::string("internal: ") + e.what(), 0);
  }
  health_.update(h);
}

bool AgentRuntime::deliver() {
  std::vector<CredentialState> credentials;
  if (credentials_) {
    try {
      credentials = credentials_();
    } catch (const std::exception& e) {
      // A report about credentials must never hold back the events.
      log::warn("agent", std::string("cannot read the sources' credential states: ") + e.what());
    }
  }
  for (;;) {
    const auto pending = state_.outbox(kBatchesPerHeartbeat);
    HeartbeatRequest request;
    request.agent_id = settings_.id;
    request.agent_name = settings_.name;
    request.epoch = state_.epoch();
    request.credentials = credentials;
    for (const auto& b : pending) request.batches.push_back({b.sequence, b.payload});
    std::string report_fingerprint;
    request.report = reportIfChanged(report_fingerprint);
    // The digest describes the state once every queued batch is stored: only send it with
    // the last of them.
    if (state_.outboxSize() == pending.size()) request.state_digest = stateDigest();
    HeartbeatResponse response;
    try {
      response = master_.heartbeat(request);
    } catch (const ConnectorError& e) {
      log::warn("agent", std::string("master unreachable (") + e.what() + "); " + std::to_string(state_.outboxSize()) +
                             " batch(es) stay queued");
      return false;
    }
    if (request.report) reported_fingerprint_ = report_fingerprint;
    if (response.acknowledged_sequence > 0) state_.acknowledge(response.acknowledged_sequence);
    if (!response.updates.empty()) applyAndReport(response.updates);
    if (!response.error.empty()) {
      log::error("agent", "master refused a batch: " + response.error);
      return false;
    }
    if (response.resync && state_.outboxSize() == 0) {
      log::warn("agent", "the master's view of this agent differs from ours; re-sending every calendar in full");
      std::lock_guard lock(sources_mutex_);
      state_.resetAll();
      return true;
    }
    if (pending.empty()) return true;
    // A master that took less than it was sent is not asked again in this cycle.
    if (response.acknowledged_sequence < pending.back().sequence) return false;
    if (pending.size() < kBatchesPerHeartbeat) return true;
  }
}

std::optional<AgentReport> AgentRuntime::reportIfChanged(std::string& fingerprint) {
  AgentReport report;
  report.sync_config = sync_config_.effectiveSettings();
  report.sync_config_overridden = sync_config_.overridden();
  report.sync_config_error = sync_config_.lastRefusal();
  // last_success moves every cycle; leaving it out of the fingerprint keeps a steady agent's
  // heartbeats small. The master reads "synced at the last check-in" from a state of ok.
  std::string text;
  for (const auto& [k, v] : report.sync_config) text += k + '=' + v + '\n';
  text += std::string(report.sync_config_overridden ? "1" : "0") + '\n' + report.sync_config_error + '\n';
  for (const auto& h : health_.snapshot()) {
    if (h.role != "source") continue;
    report.sources.push_back({h.name, h.state, h.last_success, h.last_error});
    text += h.name + '\x1f' + h.state + '\x1f' + h.last_error + '\n';
  }
  fingerprint = sha256Hex(text);
  if (fingerprint == reported_fingerprint_) return std::nullopt;
  return report;
}

std::string AgentRuntime::stateDigest() {
  std::vector<protocol::DigestEntry> entries;
  for (auto& k : state_.allKnown()) {
    entries.push_back({k.source, k.calendar_id, k.object.native_id, k.object.hash, k.object.in_window});
  }
  return protocol::stateDigest(std::move(entries));
}

void AgentRuntime::applyAndReport(const std::vector<AgentUpdate>& updates) {
  for (const UpdateOutcome& outcome : applyUpdates(updates)) {
    try {
      master_.reportUpdate(settings_.id, outcome);
    } catch (const ConnectorError& e) {
      // The master hands the update out again later; applying it twice is harmless.
      log::warn("agent", "could not report update " + std::to_string(outcome.id) + " to the master: " + e.what());
    }
  }
}

std::vector<UpdateOutcome> AgentRuntime::applyUpdates(const std::vector<AgentUpdate>& updates) {
  std::vector<UpdateOutcome> outcomes;
  std::lock_guard lock(sources_mutex_);
  for (const AgentUpdate& update : updates) {
    UpdateOutcome outcome = applyUpdate(update);
    if (outcome.ok) {
      log::info("agent", std::string("applied ") + toString(update.kind) + " update " + std::to_string(update.id) +
                             (update.source.empty() ? "" : " to source '" + update.source + "'"));
    } else {
      log::warn("agent", std::string("could not apply ") + toString(update.kind) + " update " +
                             std::to_string(update.id) + ": " + outcome.error);
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

void AgentRuntime::onSyncConfigApplied(std::function<void()> callback) {
  std::lock_guard lock(callback_mutex_);
  on_sync_config_applied_ = std::move(callback);
}

UpdateOutcome AgentRuntime::applySyncConfig(const AgentUpdate& update) {
  UpdateOutcome outcome;
  outcome.id = update.id;
  std::string refusal;
  try {
    refusal = sync_config_.apply(update.settings);
  } catch (const store::StoreError& e) {
    // Not stored, so not in force: the master delivers it again.
    outcome.error = std::string("state database: ") + e.what();
    return outcome;
  }
  if (!refusal.empty()) {
    outcome.retryable = false;
    outcome.error = "sync settings refused: " + refusal;
    return outcome;
  }
  outcome.ok = true;
  log::info("agent", sync_config_.overridden() ? "sync settings pushed by the master are now in force"
                                               : "the master cleared its sync settings; the config file applies");
  std::lock_guard lock(callback_mutex_);
  if (on_sync_config_applied_) on_sync_config_applied_();
  return outcome;
}

UpdateOutcome AgentRuntime::applyUpdate(const AgentUpdate& update) {
  UpdateOutcome outcome;
  outcome.id = update.id;
  const auto refuse = [&](const std::string& why) {
    outcome.ok = false;
    outcome.retryable = false;
    outcome.error = why;
    return outcome;
  };
  if (update.kind == AgentUpdate::Kind::SyncConfig) return applySyncConfig(update);
  if (!sync_config_.bidirectional()) {
    return refuse("this agent syncs one way only (bidirectional = false, pushed by the master): changes are not "
                  "written back to its sources");
  }
  auto it = std::find_if(sources_.begin(), sources_.end(),
                         [&](const SourceState& s) { return s.setup.name == update.source; });
  if (it == sources_.end()) return refuse("this agent has no source '" + update.source + "'");
  SourceSetup& source = it->setup;
  try {
    if (update.kind == AgentUpdate::Kind::CalendarMetadata) {
      if (!source.allow_metadata_updates) {
        return refuse("source '" + source.name + "' does not take metadata changes (allow_metadata_updates = false)");
      }
      if (!source.connector->capabilities().write_metadata) {
        return refuse("source '" + source.name + "' (" + source.type + ") cannot change calendar metadata");
      }
      source.connector->apply(CalendarChange{update.calendar_id, update.name, update.color, update.description});
      outcome.ok = true;
      return outcome;
    }
    if (!source.allow_event_updates) {
      return refuse("source '" + source.name + "' does not take event changes (allow_event_updates = false)");
    }
    if (!source.connector->capabilities().write_events) {
      return refuse("source '" + source.name + "' (" + source.type + ") cannot write events");
    }
    if (!update.base_ical.empty() && update.kind != AgentUpdate::Kind::EventCreate) {
      return applyDestinationEdit(*source.connector, update);
    }
    EventChange change;
    change.calendar = update.calendar_id;
    if (update.kind == AgentUpdate::Kind::EventDelete) {
      change.kind = EventChange::Kind::Delete;
      change.object.native_id = update.native_id;
      change.object.uid = update.uid;
    } else {
      auto parsed = ical::parse(update.ical);
      if (parsed.objects.size() != 1) return refuse("the update does not carry exactly one event");
      change.object = std::move(parsed.objects.front());
      change.object.native_id = update.native_id;
      change.kind = update.kind == AgentUpdate::Kind::EventCreate ? EventChange::Kind::Create : EventChange::Kind::Update;
      // Delivered twice (the first report was lost): the event is already there.
      if (change.kind == EventChange::Kind::Create) {
        if (auto existing = source.connector->findByUid(update.calendar_id, change.object.uid)) {
          outcome.ok = true;
          outcome.native_id = existing->native_id;
          return outcome;
        }
      }
    }
    outcome.native_id = source.connector->apply(change).native_id;
    outcome.ok = true;
  } catch (const ConnectorError& e) {
    outcome.ok = false;
    outcome.error = std::string(toString(e.kind())) + ": " + e.what();
    outcome.retryable = e.kind() == ErrorKind::Network || e.kind() == ErrorKind::Throttled ||
                        e.kind() == ErrorKind::Conflict || e.kind() == ErrorKind::Protocol;
  } catch (const std::exception& e) {
    outcome.ok = false;
    outcome.error = std::string("internal: ") + e.what();
  }
  return outcome;
}

}  // namespace calsync::agent
