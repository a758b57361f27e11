#include "daemon/service.h"

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "agent/agent_runtime.h"
#include "agent/https_master_link.h"
#include "agent/update_listener.h"
#include "core/errors.h"
#include "core/log.h"
#include "daemon/credential_states.h"
#include "daemon/daemon_control.h"
#include "core/three_way_merge.h"
#include "daemon/scheduler.h"
#include "master/http_api.h"
#include "master/master_runtime.h"
#include "store/agent_state.h"
#include "store/master_store.h"
#include "store/round_trip_store.h"

namespace calsync::daemon {
namespace {

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// How long each long-poll for updates may wait at the master. Bounds how long stopping an
// agent takes while its master is remote.
constexpr int kLongPollSeconds = 15;

std::unique_ptr<Connector> buildConnector(const ConnectorSpec& spec, const std::string& what) {
  try {
    return ConnectorRegistry::instance().create(spec);
  } catch (const ConnectorError& e) {
    throw std::runtime_error(what + " (type " + spec.type + "): " + e.what());
  }
}

}  // namespace

struct Service::Impl {
  config::Config config;
  HealthBoard health;
  store::MasterDatabase master_db;
  std::unique_ptr<store::AgentStateStore> agent_state;
  std::unique_ptr<master::MasterRuntime> master;
  std::unique_ptr<MasterLink> remote_master;   // mode = agent
  std::unique_ptr<agent::AgentRuntime> agent;
  std::unique_ptr<agent::UpdateListener> listener;
  std::unique_ptr<master::HttpApi> api;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<LocalDaemonControl> control;
  // Cycles take turns: the scheduler's and one an admin asked for never run at once.
  std::mutex cycle_mutex;
  std::atomic<bool> stopping{false};

  CycleOutcome runCycle(const std::function<bool()>& stop_requested, bool ignore_backoff, master::CycleRun* run);
};

Service::Service(const config::Config& config, ServiceHooks hooks) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  Impl* impl = impl_.get();
  impl_->control = std::make_unique<LocalDaemonControl>(
      impl_->config, LocalDaemonControl::Hooks{[impl] {
                                                 master::CycleRun run;
                                                 impl->runCycle([impl] { return impl->stopping.load(); }, true, &run);
                                                 return run;
                                               },
                                               std::move(hooks.request_reload)});
  const auto& mode = config.daemon.mode;
  const std::filesystem::path data_dir = config.daemon.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw std::runtime_error("cannot create data_dir " + data_dir.string() + ": " + ec.message());

  if (mode != "agent") {
    try {
      impl_->master_db = store::openSqliteMasterDatabase((data_dir / "master.db").string());
    } catch (const store::StoreError& e) {
      throw std::runtime_error(std::string("master store: ") + e.what());
    }
    master::DestinationSetup destination;
    if (config.destination) {
      destination.type = config.destination->spec.type;
      destination.calendar = config.destination->calendar;
      destination.connector = buildConnector(config.destination->spec, "[destination]");
    }
    destination.conflict_resolution =
        conflictStrategyFromString(config.master.conflict_resolution).value_or(ConflictStrategy::LatestWins);
    destination.read_window_past_seconds = config.agent.window_past_seconds;
    destination.read_window_future_seconds = config.agent.window_future_seconds;
    master::UpdatePolicy policy;
    policy.max_attempts = config.agent.max_retry_attempts;
    impl_->master = std::make_unique<master::MasterRuntime>(master::storesOf(impl_->master_db), std::move(destination),
                                                            impl_->health, policy);
  }

  if (mode == "master") return;
  try {
    impl_->agent_state = store::openSqliteAgentState((data_dir / "agent.db").string());
  } catch (const store::StoreError& e) {
    throw std::runtime_error(std::string("agent state: ") + e.what());
  }
  std::vector<agent::SourceSetup> sources;
  for (const auto& s : config.sources) {
    if (!s.enabled) continue;
    agent::SourceSetup setup{s.name, s.spec.type, buildConnector(s.spec, "[source." + s.name + "]"), s.calendars};
    setup.allow_metadata_updates = s.allow_metadata_updates;
    setup.allow_event_updates = s.allow_event_updates;
    setup.conflict_resolution = s.conflict_resolution;
    sources.push_back(std::move(setup));
  }
  agent::AgentSettings settings;
  settings.id = config.agent.id;
  settings.name = config.agent.name.empty() ? config.agent.id : config.agent.name;
  settings.window_past_seconds = config.agent.window_past_seconds;
  settings.window_future_seconds = config.agent.window_future_seconds;
  settings.sync_interval_seconds = config.agent.sync_interval_seconds;
  MasterLink* link = impl_->master.get();   // standalone: the embedded master, no network hop
  if (mode == "agent") {
    agent::MasterEndpoint endpoint;
    endpoint.url = config.agent.master_url;
    endpoint.ca_file = config.agent.ca_file;
    endpoint.enroll_token = config.agent.enroll_token;
    endpoint.allow_plain_http = config.agent.allow_plain_http;
    try {
      impl_->remote_master = std::make_unique<agent::HttpsMasterLink>(endpoint, *impl_->agent_state, settings.name);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(std::string("[agent] ") + e.what());
    }
    link = impl_->remote_master.get();
  }
  impl_->agent = std::make_unique<agent::AgentRuntime>(settings, std::move(sources), *impl_->agent_state, *link,
                                                       impl_->health);
  const config::Config* running = &impl_->config;
  impl_->agent->reportCredentials([running] { return credentialStates(*running, {false, true}, now()); });
}

Service::~Service() { stop(); }

HealthBoard& Service::health() { return impl_->health; }

CycleOutcome Service::runCycle(const std::function<bool()>& stop_requested, bool ignore_backoff) {
  return impl_->runCycle(stop_requested, ignore_backoff, nullptr);
}

CycleOutcome Service::Impl::runCycle(const std::function<bool()>& stop_requested, bool ignore_backoff,
                                     master::CycleRun* run) {
  std::lock_guard lock(cycle_mutex);
  CycleOutcome outcome;
  // Edits made at the destination first: a standalone agent then applies them in this cycle.
  if (master) {
    const auto report = master->readDestination(now(), stop_requested, ignore_backoff);
    outcome.destination_ok = report.failed == 0;
  }
  if (agent) {
    const auto report = agent->runCycle(now(), stop_requested, ignore_backoff);
    outcome.sources_ok = report.sources_failed == 0;
    outcome.delivered = report.delivered;
    if (run) {
      run->local_agent = true;
      run->agent_id = agent->id();
      run->sources_ok = report.sources_ok;
      run->sources_failed = report.sources_failed;
      run->changes = report.changes;
      run->delivered = report.delivered;
      for (const auto& h : health.snapshot()) {
        if (h.role == "source" && h.state == "failing") run->errors.push_back("source '" + h.name + "': " + h.last_error);
      }
      if (!report.delivered) run->errors.push_back("agent: the outbox did not reach the master");
    }
  }
  if (master && !stop_requested()) {
    const auto report = master->writeDestination(now(), stop_requested, ignore_backoff);
    outcome.destination_ok = outcome.destination_ok && report.failed == 0;
    if (run) {
      run->has_destination = config.destination.has_value();
      run->destination = report;
      if (report.failed) run->errors.push_back("destination: " + report.first_error);
    }
  }
  return outcome;
}

void Service::start() {
  // An agent runs on its effective interval: the INI value or the master's pushed override.
  const std::int64_t seconds =
      impl_->agent ? impl_->agent->syncConfig().syncIntervalSeconds() : impl_->config.agent.sync_interval_seconds;
  const auto interval = std::chrono::seconds(std::max<std::int64_t>(seconds, 1));
  impl_->scheduler = std::make_unique<Scheduler>(
      [this](const std::function<bool()>& stop) { runCycle(stop, false); }, interval);
  if (impl_->config.daemon.mode == "master") {
    // Remote agents' changes reach the destination right away, not at the next interval.
    Scheduler* scheduler = impl_->scheduler.get();
    impl_->master->onChanges([scheduler] { scheduler->wake(); });
  }
  if (impl_->master) {
    // A conflict resolved through the API (or an edit a source refused) is written soon.
    Scheduler* scheduler = impl_->scheduler.get();
    impl_->master->onPassRequested([scheduler] { scheduler->wake(); });
    startApi();
  }
  if (impl_->agent) {
    Scheduler* scheduler = impl_->scheduler.get();
    agent::AgentRuntime* runtime = impl_->agent.get();
    runtime->onSyncConfigApplied([scheduler, runtime] {
      scheduler->setInterval(std::chrono::seconds(runtime->syncConfig().syncIntervalSeconds()));
      scheduler->wake();   // read the sources with the new window now, and report the settings
    });
    impl_->listener = std::make_unique<agent::UpdateListener>(*impl_->agent, kLongPollSeconds);
    impl_->listener->start();
  }
  impl_->scheduler->start();
}

void Service::startApi() {
  const auto& master_config = impl_->config.master;
  master::HttpApiOptions options;
  options.listen = master_config.listen;
  options.tls_cert = master_config.tls_cert;
  options.tls_key = master_config.tls_key;
  options.mode = impl_->config.daemon.mode;
  options.started_at = now();
  options.admin_token = master_config.admin_token;
  options.control = impl_->control.get();
  if (options.tls_cert.empty() && !master_config.allow_plain_http) {
    throw std::runtime_error("[master] serves HTTPS only: set tls_cert and tls_key, or allow_plain_http = true "
                             "for loopback or testing");
  }
  impl_->api = std::make_unique<master::HttpApi>(*impl_->master, options);
  impl_->api->start();
  log::info("daemon", std::string("serving ") + (options.tls_cert.empty() ? "http" : "https") + " on " +
                          options.listen);
}

void Service::stop() {
  impl_->stopping = true;
  if (impl_->master) {
    impl_->master->onChanges(nullptr);
    impl_->master->onPassRequested(nullptr);
  }
  if (impl_->agent) impl_->agent->onSyncConfigApplied(nullptr);
  if (impl_->scheduler) impl_->scheduler->stop();
  impl_->scheduler.reset();
  // Ends the long-polls: the listener's own, and those of remote agents at an embedded master.
  if (impl_->listener) impl_->listener->stop();
  if (impl_->master) impl_->master->stopWaiting();
  impl_->listener.reset();
  if (impl_->api) impl_->api->stop();
  impl_->api.reset();
}

}  // namespace calsync::daemon
