// A real agent state database in a temporary directory, and a helper to read what the
// agent queued for the master.
#pragma once

#include <gtest/gtest.h>

#include "in_memory_connector.h"
#include "protocol/batch.h"
#include "store/agent_state.h"
#include "tests/support/temp_dir.h"

namespace calsync::agent {

class AgentFixture : public ::testing::Test {
 protected:
  std::vector<protocol::SourceBatch> queued() {
    std::vector<protocol::SourceBatch> out;
    for (const auto& b : state_->outbox(1000)) out.push_back(protocol::decodeBatch(b.payload));
    return out;
  }
  void drain() {
    auto all = state_->outbox(1000);
    if (!all.empty()) state_->acknowledge(all.back().sequence);
  }

  static constexpr std::int64_t kNow = 1790000000;  // a fixed "now" keeps windows exact
  const Window window_{kNow - 30 * 86400, kNow + 90 * 86400};
  calsync::testing::TempDir temp_;
  const std::filesystem::path dir_ = temp_.path();
  std::unique_ptr<store::AgentStateStore> state_ = store::openSqliteAgentState((dir_ / "agent.db").string());
  testing::InMemoryConnector source_;
};

}  // namespace calsync::agent
