// A real agent state database in a temporary directory, and a helper to read what the
// agent queued for the master.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "in_memory_connector.h"
#include "protocol/batch.h"
#include "store/agent_state.h"

namespace calsync::agent {

class AgentFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("calsync-agent-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    state_ = store::openSqliteAgentState((dir_ / "agent.db").string());
  }
  void TearDown() override {
    state_.reset();
    std::filesystem::remove_all(dir_);
  }

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
  std::filesystem::path dir_;
  std::unique_ptr<store::AgentStateStore> state_;
  testing::InMemoryConnector source_;
};

}  // namespace calsync::agent
