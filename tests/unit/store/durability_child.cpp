// Helper process for durability_test: commits batches one by one and prints, after each
// commit returned, the line "<number>". The test kills it with SIGKILL at a random moment
// and checks that every printed number survived.
//
// usage: store_durability_child agent|master <database path> <batches>
#include <cstdlib>
#include <iostream>
#include <string>

#include "store/agent_state.h"
#include "store/master_store.h"

namespace {

using namespace calsync::store;

void commitAgentBatches(const std::string& path, int batches) {
  auto state = openSqliteAgentState(path);
  for (int i = 1; i <= batches; ++i) {
    const std::string n = std::to_string(i);
    const std::int64_t sequence = state->commit(
        {"ics", "work", "cursor-" + n, {{"object-" + n, "uid-" + n, "hash-" + n, true}}, {}, "batch-" + n});
    std::cout << sequence << std::endl;
  }
}

void ingestMasterBatches(const std::string& path, int batches) {
  auto store = openSqliteMasterStore(path);
  for (int i = 1; i <= batches; ++i) {
    const std::string n = std::to_string(i);
    IngestBatch batch;
    batch.agent_id = "agent";
    batch.epoch = "epoch";
    batch.sequence = i;
    StoredObject object;
    object.key = {"agent", "ics", "work", "object-" + n};
    object.hash = "hash-" + n;
    object.ical = std::string(2000, 'x');
    batch.upserts.push_back(object);
    if (!store->ingest(batch)) return;
    std::cout << i << std::endl;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: store_durability_child agent|master <database> <batches>\n";
    return 2;
  }
  const std::string mode = argv[1];
  const int batches = std::atoi(argv[3]);
  try {
    if (mode == "agent") {
      commitAgentBatches(argv[2], batches);
    } else if (mode == "master") {
      ingestMasterBatches(argv[2], batches);
    } else {
      std::cerr << "unknown mode " << mode << "\n";
      return 2;
    }
  } catch (const StoreError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
