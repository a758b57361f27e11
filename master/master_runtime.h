// The master: stores what agents send and keeps the destination calendar in step with it.
// It owns no threads; the daemon's scheduler and the HTTP server call into it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/connector.h"
#include "core/health.h"
#include "core/master_link.h"
#include "master/agent_credentials.h"
#include "master/destination_reader.h"
#include "master/destination_writer.h"
#include "master/ingest.h"
#include "master/update_broker.h"
#include "store/master_store.h"
#include "store/round_trip_store.h"

namespace calsync::master {

struct DestinationSetup {
  std::string name = "destination";
  std::string type;
  std::unique_ptr<Connector> connector;   // null: this master writes no destination
  std::string calendar;                   // empty: the connector's first calendar
  // [master] conflict_resolution: for sources that do not set their own.
  ConflictStrategy conflict_resolution = ConflictStrategy::LatestWins;
  // The span of the destination read for edits, around now.
  std::int64_t read_window_past_seconds = 30 * 86400;
  std::int64_t read_window_future_seconds = 90 * 86400;
};

// The master's database, as its parts.
struct MasterStores {
  store::MasterStore& objects;
  store::AuthStore& auth;
  store::UpdateQueue& updates;
  store::AuditLog& audit;
  store::SyncControl& control;
  store::RoundTripStore& roundtrip;
};
// The parts of the master's database, as the runtime takes them.
inline MasterStores storesOf(store::MasterDatabase& db) {
  return {*db.objects, *db.auth, *db.updates, *db.audit, *db.control, *db.roundtrip};
}

class MasterRuntime : public MasterLink {
 public:
  MasterRuntime(MasterStores stores, DestinationSetup destination, HealthBoard& health, UpdatePolicy policy = {});

  HeartbeatResponse heartbeat(const HeartbeatRequest& request) override;
  std::vector<AgentUpdate> pendingUpdates(const std::string& agent_id, int wait_seconds) override;
  void reportUpdate(const std::string& agent_id, const UpdateOutcome& outcome) override;
  // One pass of the destination writer, on the destination's own backoff clock.
  WriteReport writeDestination(std::int64_t now, const std::function<bool()>& stop_requested, bool ignore_backoff);
  // The destination as GET /sync/plan names it: the calendar is the resolved id once a write
  // pass found it (or the configured one until then, and while a pass runs). Empty name: this
  // master writes no destination.
  struct DestinationInfo {
    std::string name, type, calendar;
  };
  DestinationInfo destinationInfo();
  // Reads the destination for edits made there to calsync's copies and sends them to their
  // sources (before the agents' cycle, so a standalone agent applies them in the same one).
  ReadReport readDestination(std::int64_t now, const std::function<bool()>& stop_requested, bool ignore_backoff);

  store::MasterStore& store() { return store_; }
  store::AuthStore& auth() { return stores_.auth; }
  store::AuditLog& audit() { return stores_.audit; }
  store::SyncControl& control() { return stores_.control; }
  store::RoundTripStore& roundtrip() { return stores_.roundtrip; }
  // Asks for a destination pass soon (a conflict was resolved through the API).
  void requestDestinationPass();
  UpdateBroker& updates() { return broker_; }
  Ingest& ingest() { return ingest_; }
  HealthBoard& health() { return health_; }
  AgentCredentials& agentCredentials() { return agent_credentials_; }
  // Called after a heartbeat brought changes, so the destination is written soon rather than
  // at the next interval. Set before serving.
  void onChanges(std::function<void()> callback) {
    std::lock_guard lock(on_changes_mutex_);
    on_changes_ = std::move(callback);
  }
  // Called when the destination should get a pass soon for reasons other than a heartbeat
  // (a conflict resolved through the API, an edit a source refused, a calendar taken out of
  // the sync). Set before serving.
  void onPassRequested(std::function<void()> callback) {
    std::lock_guard lock(on_changes_mutex_);
    on_pass_requested_ = std::move(callback);
  }
  // Wakes long-polls (agents' over HTTP, and an in-process agent's) so the server can stop.
  void stopWaiting() override { broker_.shutdown(); }

 private:
  MasterStores stores_;
  store::MasterStore& store_;
  UpdateBroker broker_;
  DestinationSetup destination_;
  HealthBoard& health_;
  Ingest ingest_;
  AgentCredentials agent_credentials_;
  // What one read or write pass did, for the destination's health and backoff.
  struct Pass {
    std::size_t failed = 0;
    std::string first_error;
    std::size_t changes = 0;
  };
  // Resolves the destination calendar (once) and runs `work` with the round trip's context,
  // turning errors into a failed pass and keeping the destination's health and backoff.
  Pass onDestination(std::int64_t now, const std::function<Pass(RoundTripContext&)>& work);

  std::mutex write_mutex_;
  std::string resolved_calendar_;
  std::mutex on_changes_mutex_;
  std::function<void()> on_changes_;
  std::function<void()> on_pass_requested_;
  int failures_ = 0;
  std::int64_t next_attempt_ = 0;
};

}  // namespace calsync::master
