// Kills a process that is committing in a loop (SIGKILL through Poco::Process::kill) and
// checks that everything it saw acknowledged is still there, and nothing half-written is.
#include <iostream>
#include <random>
#include <set>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include "store/agent_state.h"
#include "store/master_store.h"
#include "tests/unit/store/store_test_support.h"

namespace calsync::store {
namespace {

using testing::ScratchDir;

constexpr int kBatches = 400;
constexpr int kRounds = 4;

struct ChildRun {
  std::vector<std::int64_t> acknowledged;  // every number the child printed, in order
  bool killed = false;                     // false when it finished before the kill point
};

// Starts the child, reads `kill_after` acknowledgements, kills it, then drains what it had
// already printed: those commits had returned too.
ChildRun runAndKill(const std::string& mode, const std::string& path, int kill_after) {
  Poco::Pipe output;
  Poco::ProcessHandle child = Poco::Process::launch(STORE_DURABILITY_CHILD, {mode, path, std::to_string(kBatches)},
                                                    nullptr, &output, nullptr);
  Poco::PipeInputStream lines(output);
  ChildRun run;
  std::string line;
  while (static_cast<int>(run.acknowledged.size()) < kill_after && std::getline(lines, line)) {
    run.acknowledged.push_back(std::stoll(line));
  }
  if (static_cast<int>(run.acknowledged.size()) == kill_after) {
    Poco::Process::kill(child);
    run.killed = true;
  }
  while (std::getline(lines, line)) run.acknowledged.push_back(std::stoll(line));
  const int status = child.wait();
  std::cout << "[ measure  ] " << mode << " child " << (run.killed ? "killed" : "finished") << " after "
            << run.acknowledged.size() << " acknowledged commits\n";
  if (!run.killed) {
    EXPECT_EQ(status, 0) << "the child failed on its own";
  }
  return run;
}

int randomKillPoint(std::mt19937& random) {
  return std::uniform_int_distribution<int>(1, kBatches - 1)(random);
}

TEST(StoreDurability, AgentCommitsSurviveKill) {
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < kRounds; ++round) {
    ScratchDir dir;
    const std::string path = dir.file("state.db");
    const ChildRun run = runAndKill("agent", path, randomKillPoint(random));
    ASSERT_FALSE(run.acknowledged.empty());

    auto state = openSqliteAgentState(path);
    const auto outbox = state->outbox(kBatches + 1);
    std::set<std::int64_t> present;
    for (const auto& batch : outbox) present.insert(batch.sequence);
    for (std::int64_t sequence : run.acknowledged) {
      EXPECT_TRUE(present.count(sequence)) << "acknowledged sequence " << sequence << " was lost";
    }
    // Each commit is all or nothing: batch n brought object-n and cursor-n together.
    const std::size_t committed = outbox.size();
    EXPECT_GE(committed, run.acknowledged.size());
    EXPECT_EQ(state->known("ics", "work").size(), committed);
    EXPECT_EQ(state->cursor("ics", "work"), "cursor-" + std::to_string(committed));
    EXPECT_EQ(outbox.back().payload, "batch-" + std::to_string(committed));
  }
}

TEST(StoreDurability, MasterIngestsSurviveKill) {
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < kRounds; ++round) {
    ScratchDir dir;
    const std::string path = dir.file("master.db");
    const ChildRun run = runAndKill("master", path, randomKillPoint(random));
    ASSERT_FALSE(run.acknowledged.empty());

    auto store = openSqliteMasterStore(path);
    const auto agent = store->agent("agent");
    ASSERT_TRUE(agent);
    EXPECT_GE(agent->last_sequence, run.acknowledged.back());
    for (std::int64_t n : run.acknowledged) {
      EXPECT_TRUE(store->object({"agent", "ics", "work", "object-" + std::to_string(n)}))
          << "acknowledged batch " << n << " was lost";
    }
    EXPECT_EQ(store->counts().at("objects.active"), agent->last_sequence);
    EXPECT_EQ(store->counts().at("journal"), agent->last_sequence);
  }
}

}  // namespace
}  // namespace calsync::store
