#include "master/ingest.h"

#include "core/log.h"
#include "core/three_way_merge.h"
#include "protocol/batch.h"
#include "protocol/heartbeat.h"

namespace calsync::master {

HeartbeatResponse Ingest::handle(const HeartbeatRequest& request) {
  HeartbeatResponse response;
  const auto known = store_.agent(request.agent_id);
  if (known && known->epoch == request.epoch) response.acknowledged_sequence = known->last_sequence;

  for (const OutgoingBatch& outgoing : request.batches) {
    protocol::SourceBatch batch;
    try {
      batch = protocol::decodeBatch(outgoing.payload);
    } catch (const protocol::ProtocolError& e) {
      response.error = "batch " + std::to_string(outgoing.sequence) + ": " + e.what();
      log::error("master", "agent '" + request.agent_id + "': " + response.error);
      return response;
    }
    store::IngestBatch in;
    in.agent_id = request.agent_id;
    in.agent_name = request.agent_name;
    in.epoch = request.epoch;
    in.sequence = outgoing.sequence;
    in.calendars.push_back({request.agent_id, batch.source, batch.calendar});
    for (auto& o : batch.upserts) {
      store::StoredObject stored;
      stored.key = {request.agent_id, batch.source, batch.calendar.id, o.native_id};
      stored.uid = o.uid;
      stored.hash = o.hash;
      stored.ical = std::move(o.ical);
      stored.span_start_utc = o.span_start_utc;
      stored.span_end_utc = o.span_end_utc;
      stored.state = o.in_window ? store::ObjectState::Active : store::ObjectState::OutOfWindow;
      if (!o.in_window && stored.ical.empty()) {
        // "Left the window" carries no content: keep what the store has.
        if (auto previous = store_.object(stored.key)) {
          stored.ical = previous->ical;
          stored.span_start_utc = previous->span_start_utc;
          stored.span_end_utc = previous->span_end_utc;
        }
      }
      in.upserts.push_back(std::move(stored));
    }
    for (const auto& native_id : batch.deletions) {
      in.deletions.push_back({request.agent_id, batch.source, batch.calendar.id, native_id});
    }
    if (batch.snapshot) in.snapshots.push_back({batch.source, batch.calendar.id, batch.snapshot_ids});
    if (policies_ && !batch.conflict_resolution.empty()) rememberPolicy(request.agent_id, batch);
    // false = a replay of a batch already stored; acknowledged all the same.
    if (store_.ingest(in)) {
      std::lock_guard lock(digest_mutex_);
      digests_.erase(request.agent_id);
    }
    response.acknowledged_sequence = std::max(response.acknowledged_sequence, outgoing.sequence);
  }

  if (!request.state_digest.empty() && request.state_digest != storedDigest(request.agent_id)) {
    log::warn("master", "agent '" + request.agent_id + "': its state differs from the store's; asking for a resync");
    response.resync = true;
  }
  return response;
}

void Ingest::rememberPolicy(const std::string& agent_id, const protocol::SourceBatch& batch) {
  const std::string& policy = batch.conflict_resolution;
  if (policy != "inherit" && !conflictStrategyFromString(policy)) {
    log::warn("master", "agent '" + agent_id + "' source '" + batch.source +
                            "' asks for an unknown conflict strategy '" + policy + "'; using the master's");
    return;
  }
  policies_->setSourcePolicy(agent_id, batch.source, policy);
}

std::string Ingest::storedDigest(const std::string& agent_id) {
  {
    std::lock_guard lock(digest_mutex_);
    auto it = digests_.find(agent_id);
    if (it != digests_.end()) return it->second;
  }
  std::vector<protocol::DigestEntry> entries;
  for (auto& v : store_.objectVersions(agent_id)) {
    entries.push_back({v.key.source, v.key.calendar_id, v.key.native_id, v.hash,
                       v.state == store::ObjectState::Active});
  }
  std::string digest = protocol::stateDigest(std::move(entries));
  std::lock_guard lock(digest_mutex_);
  digests_[agent_id] = digest;
  return digest;
}

}  // namespace calsync::master
