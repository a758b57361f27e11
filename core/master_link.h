// How an agent reaches its master. Standalone mode plugs in an in-process link; agent mode
// an HTTPS one. Both carry the same messages, so agent/ and master/ never see each other.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/credential_state.h"

namespace calsync {

// One outbox batch: a JSON document (see protocol/batch.h) under a sequence number.
struct OutgoingBatch {
  std::int64_t sequence = 0;
  std::string payload;
};

// A change the master asks an agent to make at one of its sources.
struct AgentUpdate {
  enum class Kind { CalendarMetadata, EventCreate, EventUpdate, EventDelete, SyncConfig };
  std::int64_t id = 0;             // the master's queue id; acknowledge with it
  Kind kind = Kind::CalendarMetadata;
  std::string source;              // [source.NAME]; empty for SyncConfig = every source
  std::string calendar_id;
  // CalendarMetadata: the fields to change (unset = leave as is).
  std::optional<std::string> name;
  std::optional<std::string> color;
  std::optional<std::string> description;
  // Event*: the source object; `ical` is the whole new object for create and update.
  std::string native_id;
  std::string uid;
  std::string ical;
  // EventUpdate/EventDelete made from an edit in the destination: the source object as the
  // master last had it. The agent applies only what `ical` changed relative to it, so an
  // edit made at the source meanwhile is kept; empty = apply `ical` as it is.
  std::string base_ical;
  // SyncConfig: the agent's whole override (core/sync_config.h); a key left out means the INI value.
  std::map<std::string, std::string> settings;
  int attempt = 0;                 // deliveries so far, this one included
};

const char* toString(AgentUpdate::Kind kind);
std::optional<AgentUpdate::Kind> agentUpdateKindFromString(const std::string& text);

// What became of one update at the agent.
struct UpdateOutcome {
  std::int64_t id = 0;
  bool ok = false;
  bool retryable = true;           // false: retrying cannot help (not permitted, bad data)
  std::string error;
  std::string native_id;           // EventCreate: where the new event now lives
  // An edit from the destination met a change the source made to the same field since the
  // update's base: not applied, and not to be undone either; the master merges again.
  bool conflict = false;
};

// What an agent says about itself, sent in a heartbeat whenever it changed: the sync settings
// in force (INI values, or a pushed override) and how each of its sources fares. The master
// shows it in the agent's status.
struct AgentReport {
  // Effective values, as SyncConfig settings carry them (seconds, "true"/"false", lists).
  std::map<std::string, std::string> sync_config;
  bool sync_config_overridden = false;   // a pushed override is in force
  std::string sync_config_error;         // why the last pushed SyncConfig was refused, if it was
  struct Source {
    std::string name;
    std::string state;                   // "ok", "degraded", "failing", "pending"
    std::int64_t last_success = 0;       // epoch seconds, 0 = never
    std::string last_error;
  };
  std::vector<Source> sources;
};

struct HeartbeatRequest {
  std::string agent_id;
  std::string agent_name;
  std::string epoch;                   // names the agent's state database
  std::vector<OutgoingBatch> batches;  // oldest first; may be empty (idle heartbeat)
  // Digest of everything the agent believes the master holds for it, as it will be once
  // `batches` are stored; empty when more batches are still queued behind these.
  std::string state_digest;
  std::vector<UpdateOutcome> processed;  // updates applied (or failed) since the last heartbeat
  std::optional<AgentReport> report{};   // only when it changed since the master last took one
  // The state of the agent's source credentials (OAuth sign-ins, certificates); empty when it
  // has none. The master shows them in GET /sync/agents/{id}/status.
  // (Initialized here so the aggregate initializations written before it stay warning-free.)
  std::vector<CredentialState> credentials = {};
};

struct HeartbeatResponse {
  // Every batch up to and including this sequence is stored and may leave the outbox.
  std::int64_t acknowledged_sequence = 0;
  // Set when a batch was refused as malformed: the agent keeps it and reports the reason.
  std::string error;
  // The master's view differs from the agent's digest: the agent re-sends full listings.
  bool resync = false;
  std::vector<AgentUpdate> updates;    // waiting for this agent, oldest first
};

class MasterLink {
 public:
  virtual ~MasterLink() = default;
  // Throws ConnectorError (Network, Auth, Throttled, Protocol) when the master cannot take the
  // heartbeat; the batches stay queued.
  virtual HeartbeatResponse heartbeat(const HeartbeatRequest& request) = 0;
  // Updates waiting for `agent_id`, waiting up to `wait_seconds` for one to arrive.
  virtual std::vector<AgentUpdate> pendingUpdates(const std::string& agent_id, int wait_seconds) = 0;
  virtual void reportUpdate(const std::string& agent_id, const UpdateOutcome& outcome) = 0;
  // For shutdown, from any thread: a pendingUpdates() call in progress returns at once, and so
  // does every later one.
  virtual void stopWaiting() = 0;
};

}  // namespace calsync
