// Receives heartbeats: decodes each batch and stores it, in order, acknowledging as it goes.
#pragma once

#include "core/master_link.h"
#include "store/master_store.h"

namespace calsync::master {

class Ingest {
 public:
  explicit Ingest(store::MasterStore& store) : store_(store) {}
  // Stores the request's batches in order. A malformed batch stops the run: what came
  // before it is acknowledged, it and what follows stay with the agent, and the response
  // says why.
  HeartbeatResponse handle(const HeartbeatRequest& request);

 private:
  store::MasterStore& store_;
};

}  // namespace calsync::master
