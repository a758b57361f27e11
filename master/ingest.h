// Receives heartbeats: decodes each batch and stores it, in order, acknowledging as it goes,
// then compares the agent's state digest with the store's view of that agent.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/master_link.h"
#include "store/master_store.h"
#include "store/round_trip_store.h"

namespace calsync::protocol {
struct SourceBatch;
}

namespace calsync::master {

class Ingest {
 public:
  // `policies`, when given, keeps each source's conflict strategy as its batches state it.
  explicit Ingest(store::MasterStore& store, store::RoundTripStore* policies = nullptr)
      : store_(store), policies_(policies) {}
  // Stores the request's batches in order. A malformed batch stops the run: what came
  // before it is acknowledged, it and what follows stay with the agent, and the response
  // says why. A digest that differs from the store's asks the agent to resync.
  HeartbeatResponse handle(const HeartbeatRequest& request);

  // The digest of what the store holds for the agent (protocol::stateDigest).
  std::string storedDigest(const std::string& agent_id);
  // Drops the cached digest after the agent's objects changed outside a heartbeat.
  void invalidateDigest(const std::string& agent_id) {
    std::lock_guard lock(digest_mutex_);
    digests_.erase(agent_id);
  }

 private:
  void rememberPolicy(const std::string& agent_id, const protocol::SourceBatch& batch);

  store::MasterStore& store_;
  store::RoundTripStore* policies_;
  // Digests by agent, dropped whenever that agent's objects change: an idle heartbeat costs
  // a map lookup, not a scan of the agent's objects.
  std::mutex digest_mutex_;
  std::map<std::string, std::string> digests_;
};

}  // namespace calsync::master
