#include "master/master_runtime.h"

#include <ctime>

#include "core/errors.h"
#include "core/log.h"

namespace calsync::master {
namespace {

std::int64_t destinationBackoff(int failures, std::int64_t hint) {
  std::int64_t delay = 30;
  for (int i = 1; i < failures && delay < 1800; ++i) delay *= 2;
  return std::max(std::min<std::int64_t>(delay, 1800), hint);
}

}  // namespace

MasterRuntime::MasterRuntime(MasterStores stores, DestinationSetup destination, HealthBoard& health,
                             UpdatePolicy policy)
    : stores_(stores),
      store_(stores.objects),
      broker_(stores.updates, policy),
      destination_(std::move(destination)),
      health_(health),
      ingest_(stores.objects, &stores.roundtrip) {
  if (destination_.connector) {
    ConnectorHealth h;
    h.name = destination_.name;
    h.type = destination_.type;
    h.role = "destination";
    health_.update(h);
  }
}

HeartbeatResponse MasterRuntime::heartbeat(const HeartbeatRequest& request) {
  for (const auto& outcome : request.processed) reportUpdate(request.agent_id, outcome);
  agent_credentials_.record(request.agent_id, request.credentials, static_cast<std::int64_t>(std::time(nullptr)));
  HeartbeatResponse response = ingest_.handle(request);
  if (request.report) {
    stores_.control.saveReport(request.agent_id, *request.report, static_cast<std::int64_t>(std::time(nullptr)));
  }
  if (!request.batches.empty()) {
    std::lock_guard lock(on_changes_mutex_);
    if (on_changes_) on_changes_();
  }
  response.updates = broker_.take(request.agent_id);
  return response;
}

std::vector<AgentUpdate> MasterRuntime::pendingUpdates(const std::string& agent_id, int wait_seconds) {
  if (wait_seconds <= 0) return broker_.take(agent_id);
  return broker_.waitAndTake(agent_id, std::chrono::seconds(wait_seconds));
}

void MasterRuntime::reportUpdate(const std::string& agent_id, const UpdateOutcome& outcome) {
  if (!broker_.complete(agent_id, outcome)) {
    log::debug("master", "agent '" + agent_id + "' reported update " + std::to_string(outcome.id) +
                             ", which is unknown or already settled");
    return;
  }
  if (outcome.ok) {
    log::info("master", "agent '" + agent_id + "' applied update " + std::to_string(outcome.id));
  } else {
    log::warn("master", "agent '" + agent_id + "' could not apply update " + std::to_string(outcome.id) + ": " +
                            outcome.error);
  }
  // An edit from the destination that its source took, or refused for good.
  const auto settled = broker_.queue().find(outcome.id);
  const bool final_failure = settled && settled->status == store::UpdateStatus::Failed;
  if (settleRoutedUpdate(store_, stores_.roundtrip, outcome.id, outcome, final_failure)) {
    requestDestinationPass();
  }
}

void MasterRuntime::requestDestinationPass() {
  std::lock_guard lock(on_changes_mutex_);
  if (on_pass_requested_) on_pass_requested_();
}

MasterRuntime::DestinationInfo MasterRuntime::destinationInfo() {
  if (!destination_.connector) return {};
  DestinationInfo info{destination_.name, destination_.type, destination_.calendar};
  // Never wait for a write pass (it may take minutes against a slow destination).
  std::unique_lock lock(write_mutex_, std::try_to_lock);
  if (lock.owns_lock() && !resolved_calendar_.empty()) info.calendar = resolved_calendar_;
  return info;
}

MasterRuntime::Pass MasterRuntime::onDestination(std::int64_t now, const std::function<Pass(RoundTripContext&)>& work) {
  ConnectorHealth h = health_.get("destination", destination_.name);
  h.last_attempt = now;
  Pass pass;
  try {
    if (resolved_calendar_.empty()) {
      const auto calendars = destination_.connector->listCalendars();
      for (const auto& c : calendars) {
        if (destination_.calendar.empty() || c.id == destination_.calendar || c.name == destination_.calendar) {
          resolved_calendar_ = c.id;
          break;
        }
      }
      if (resolved_calendar_.empty()) {
        throw ConnectorError(ErrorKind::Config, destination_.calendar.empty()
                                                    ? "the destination has no calendar"
                                                    : "the destination has no calendar '" + destination_.calendar + "'");
      }
      h.calendars = static_cast<std::int64_t>(calendars.size());
    }
    RoundTripContext context{store_, stores_.roundtrip, broker_, *destination_.connector, resolved_calendar_,
                             destination_.conflict_resolution};
    pass = work(context);
  } catch (const ConnectorError& e) {
    pass.failed += 1;
    pass.first_error = std::string(toString(e.kind())) + ": " + e.what();
    if (e.kind() == ErrorKind::Config) resolved_calendar_.clear();
  } catch (const std::exception& e) {
    // A store that cannot record a copy, or a bug below: report it and try again later.
    pass.failed += 1;
    pass.first_error = std::string("internal: ") + e.what();
  }

  const auto counts = store_.counts();
  auto copies = counts.find("copies");
  h.objects = copies == counts.end() ? 0 : copies->second;
  if (pass.failed == 0) {
    failures_ = 0;
    next_attempt_ = 0;
    h.state = "ok";
    h.last_success = now;
    h.last_error.clear();
    h.consecutive_failures = 0;
    h.next_attempt = 0;
  } else {
    ++failures_;
    next_attempt_ = now + destinationBackoff(failures_, 0);
    h.state = pass.changes > 0 ? "degraded" : "failing";
    h.consecutive_failures = failures_;
    h.next_attempt = next_attempt_;
    h.last_error = pass.first_error;
    log::warn("master", "destination: " + std::to_string(pass.failed) + " operation(s) failed (" + pass.first_error +
                            "); retrying later");
  }
  health_.update(h);
  return pass;
}

ReadReport MasterRuntime::readDestination(std::int64_t now, const std::function<bool()>& stop_requested,
                                          bool ignore_backoff) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  ReadReport report;
  if (!destination_.connector) return report;
  if (!ignore_backoff && now < next_attempt_) return report;
  const Window window{now - destination_.read_window_past_seconds, now + destination_.read_window_future_seconds};
  const Pass pass = onDestination(now, [&](RoundTripContext& context) {
    DestinationReader reader(context, window);
    report = reader.run(stop_requested);
    return Pass{report.failed, report.first_error, report.routed + report.held};
  });
  if (pass.failed > report.failed) {
    report.failed = pass.failed;
    report.first_error = pass.first_error;
  }
  if (report.edits + report.deletions > 0) {
    log::info("master", "destination: " + std::to_string(report.edits) + " edit(s) and " +
                            std::to_string(report.deletions) + " deletion(s) made there; " +
                            std::to_string(report.routed) + " sent to sources, " + std::to_string(report.held) +
                            " held as conflicts");
  }
  return report;
}

WriteReport MasterRuntime::writeDestination(std::int64_t now, const std::function<bool()>& stop_requested,
                                            bool ignore_backoff) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  WriteReport report;
  if (!destination_.connector) return report;
  if (!ignore_backoff && now < next_attempt_) return report;
  const Pass pass = onDestination(now, [&](RoundTripContext& context) {
    DestinationWriter writer(context);
    report = writer.run(stop_requested);
    return Pass{report.failed, report.first_error,
                report.created + report.updated + report.deleted + report.adopted + report.routed};
  });
  if (pass.failed > report.failed) {
    report.failed = pass.failed;
    report.first_error = pass.first_error;
  }
  if (report.created + report.updated + report.deleted + report.adopted + report.routed > 0) {
    log::info("master", "destination: " + std::to_string(report.created) + " created, " +
                            std::to_string(report.updated) + " updated, " + std::to_string(report.deleted) +
                            " deleted, " + std::to_string(report.adopted) + " adopted, " +
                            std::to_string(report.routed) + " merged and sent to sources");
  }
  return report;
}

}  // namespace calsync::master
