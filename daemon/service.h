// Everything one calsyncd configuration runs: stores, the agent and/or master runtimes, the
// HTTP API and the scheduler. Built from a validated Config; a reload builds a new one.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/health.h"
#include "daemon/config/config.h"

namespace calsync::daemon {

struct CycleOutcome {
  bool sources_ok = true;       // every source read and recorded
  bool delivered = true;        // every batch reached the master
  bool destination_ok = true;   // every pending write reached the destination
  bool ok() const { return sources_ok && delivered && destination_ok; }
};

// What the process around a Service offers it.
struct ServiceHooks {
  // Reloads the configuration as SIGHUP does (the admin API's destination switch). Empty: the
  // Service cannot be reloaded (--once, tests).
  std::function<void()> request_reload;
};

class Service {
 public:
  // Opens stores and builds connectors; throws std::runtime_error with a clear message.
  explicit Service(const config::Config& config, ServiceHooks hooks = {});
  ~Service();

  // One full pass: sources -> master -> destination. With `ignore_backoff` every connector
  // is tried now.
  CycleOutcome runCycle(const std::function<bool()>& stop_requested, bool ignore_backoff);

  // Starts the HTTP API (master and standalone) and the periodic scheduler.
  void start();
  // Finishes the cycle in flight and stops serving.
  void stop();

  HealthBoard& health();

 private:
  void startApi();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calsync::daemon
