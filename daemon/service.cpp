#include "daemon/service.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "agent/agent_runtime.h"
#include "agent/https_master_link.h"
#include "agent/update_listener.h"
#include "core/errors.h"
#include "core/log.h"
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
};

Service::Service(const config::Config& config) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
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
    const auto& db = impl_->master_db;
    impl_->master = std::make_unique<master::MasterRuntime>(
        master::MasterStores{*db.objects, *db.auth, *db.updates, *db.audit, *db.roundtrip}, std::move(destination),
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
}

Service::~Service() { stop(); }

HealthBoard& Service::health() { return impl_->health; }

CycleOutcome Service::runCycle(const std::function<bool()>& stop_requested, bool ignore_backoff) {
  CycleOutcome outcome;
  // Edits made at the destination first: a standalone agent then applies them in this cycle.
  if (impl_->master) {
    const auto report = impl_->master->readDestination(now(), stop_requested, ignore_backoff);
    outcome.destination_ok = report.failed == 0;
  }
  if (impl_->agent) {
    const auto report = impl_->agent->runCycle(now(), stop_requested, ignore_backoff);
    outcome.sources_ok = report.sources_failed == 0;
    outcome.delivered = report.delivered;
  }
  if (impl_->master && !stop_requested()) {
    const auto report = impl_->master->writeDestination(now(), stop_requested, ignore_backoff);
    outcome.destination_ok = outcome.destination_ok && report.failed == 0;
  }
  return outcome;
}

void Service::start() {
  const auto interval = std::chrono::seconds(std::max<std::int64_t>(impl_->config.agent.sync_interval_seconds, 1));
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
  if (impl_->master) {
    impl_->master->onChanges(nullptr);
    impl_->master->onPassRequested(nullptr);
  }
  if (impl_->scheduler) impl_->scheduler->stop();
  impl_->scheduler.reset();
  // An embedded master wakes the listener's long-poll; a remote one returns within its wait.
  if (impl_->master) impl_->master->shutdown();
  if (impl_->listener) impl_->listener->stop();
  impl_->listener.reset();
  if (impl_->api) impl_->api->stop();
  impl_->api.reset();
}

}  // namespace calsync::daemon
