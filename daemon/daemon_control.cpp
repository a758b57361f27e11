#include "daemon/daemon_control.h"

#include <Poco/JSON/Object.h>

#include <ctime>

#include "daemon/credential_states.h"
#include "daemon/destination_dropin.h"
#include "oauth/json_access.h"
#include "oauth/rfc3339.h"

namespace calsync::daemon {

LocalDaemonControl::LocalDaemonControl(const config::Config& config, Hooks hooks)
    : config_(config), hooks_(std::move(hooks)) {}

std::optional<ConnectorSpec> LocalDaemonControl::section(const std::string& name) const {
  if (name == "destination") {
    if (config_.destination) return config_.destination->spec;
    return std::nullopt;
  }
  for (const auto& source : config_.sources) {
    if (source.name == name) return source.spec;
  }
  return std::nullopt;
}

std::string LocalDaemonControl::destinationCalendar() const {
  return config_.destination ? config_.destination->calendar : "";
}

std::vector<CredentialState> LocalDaemonControl::credentials(std::int64_t now) const {
  // A master reads no sources: its [source.NAME] sections only hold sign-ins for the API.
  return credentialStates(config_, {true, config_.daemon.mode != "master"}, now);
}

master::CycleRun LocalDaemonControl::runCycleNow() { return hooks_.run_cycle(); }

master::DestinationChange LocalDaemonControl::replaceDestination(const std::string& from, const std::string& calendar) {
  std::lock_guard lock(change_mutex_);
  const std::string when = web::formatUtc(static_cast<std::int64_t>(std::time(nullptr)));
  const DestinationPlan plan = planDestination(config_, from, calendar, "the admin API, " + when);
  applyDestination(plan);
  Poco::JSON::Object after;
  after.set("type", plan.result.destination->spec.type);
  after.set("calendar", plan.result.destination->calendar);
  after.set("credentials_from", from == "destination" ? std::string("[destination]") : "[source." + from + "]");
  after.set("defined_in", plan.path);
  return {plan.path, destinationImage(config_), json::stringify(after)};
}

void LocalDaemonControl::requestReload() {
  if (hooks_.request_reload) hooks_.request_reload();
}

}  // namespace calsync::daemon
