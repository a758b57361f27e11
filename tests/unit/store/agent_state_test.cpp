#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include "store/agent_state.h"
#include "tests/unit/store/store_test_support.h"

namespace calsync::store {
namespace {

using namespace Poco::Data::Keywords;
using testing::rawSession;
using testing::ScratchDir;

StateCommit change(const std::string& cursor, std::vector<KnownObject> upserted,
                   std::vector<std::string> forgotten, const std::string& payload) {
  return {"ics", "work", cursor, std::move(upserted), std::move(forgotten), payload};
}

std::vector<std::int64_t> sequences(const std::vector<OutboxBatch>& batches) {
  std::vector<std::int64_t> result;
  for (const auto& b : batches) result.push_back(b.sequence);
  return result;
}

class AgentStateTest : public ::testing::Test {
 protected:
  ScratchDir dir;
  std::string path = dir.file("state.db");
  std::unique_ptr<AgentStateStore> state = openSqliteAgentState(path);
};

TEST_F(AgentStateTest, CommitRecordsKnownObjectsCursorAndBatch) {
  const std::int64_t sequence = state->commit(
      change("c1", {{"n1", "u1", "h1", true}, {"n2", "u2", "h2", false}}, {}, "batch-1"));
  EXPECT_GT(sequence, 0);
  EXPECT_EQ(state->cursor("ics", "work"), "c1");
  EXPECT_EQ(state->cursor("ics", "other"), "");
  const auto known = state->known("ics", "work");
  ASSERT_EQ(known.size(), 2u);
  EXPECT_EQ(known.at("n1").uid, "u1");
  EXPECT_EQ(known.at("n1").hash, "h1");
  EXPECT_TRUE(known.at("n1").in_window);
  EXPECT_FALSE(known.at("n2").in_window);
  EXPECT_TRUE(state->known("ics", "other").empty());
  const auto outbox = state->outbox(10);
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].sequence, sequence);
  EXPECT_EQ(outbox[0].payload, "batch-1");
  EXPECT_GT(outbox[0].created_at, 0);
}

TEST_F(AgentStateTest, LaterCommitsUpdateAndForget) {
  state->commit(change("c1", {{"n1", "u1", "h1", true}, {"n2", "u2", "h2", true}}, {}, "batch-1"));
  const std::int64_t none = state->commit(change("c2", {{"n1", "u1", "h1b", false}}, {"n2", "never-known"}, ""));
  EXPECT_EQ(none, 0);
  EXPECT_EQ(state->outboxSize(), 1u);
  EXPECT_EQ(state->cursor("ics", "work"), "c2");
  const auto known = state->known("ics", "work");
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known.at("n1").hash, "h1b");
  EXPECT_FALSE(known.at("n1").in_window);
}

TEST_F(AgentStateTest, OutboxIsOldestFirstAndAcknowledgeRemovesUpToASequence) {
  std::vector<std::int64_t> committed;
  for (int i = 0; i < 5; ++i) committed.push_back(state->commit(change("c", {}, {}, "batch-" + std::to_string(i))));
  EXPECT_TRUE(std::is_sorted(committed.begin(), committed.end()));
  EXPECT_EQ(std::adjacent_find(committed.begin(), committed.end()), committed.end());
  EXPECT_EQ(sequences(state->outbox(10)), committed);
  EXPECT_EQ(sequences(state->outbox(2)), (std::vector<std::int64_t>{committed[0], committed[1]}));
  EXPECT_EQ(state->outbox(10)[3].payload, "batch-3");

  state->acknowledge(committed[2]);
  EXPECT_EQ(sequences(state->outbox(10)), (std::vector<std::int64_t>{committed[3], committed[4]}));
  EXPECT_EQ(state->outboxSize(), 2u);
  state->acknowledge(committed[2]);  // repeated acknowledgement is harmless
  EXPECT_EQ(state->outboxSize(), 2u);
}

TEST_F(AgentStateTest, SequencesAreNeverReusedAfterAcknowledgeAndReopen) {
  const std::int64_t first = state->commit(change("c", {}, {}, "a"));
  const std::int64_t second = state->commit(change("c", {}, {}, "b"));
  state->acknowledge(second);
  EXPECT_EQ(state->outboxSize(), 0u);
  state.reset();
  state = openSqliteAgentState(path);
  const std::int64_t third = state->commit(change("c", {}, {}, "c"));
  EXPECT_GT(second, first);
  EXPECT_GT(third, second);
}

TEST_F(AgentStateTest, FailedCommitLeavesNothingHalfWritten) {
  state->commit(change("c1", {{"n1", "u1", "h1", true}}, {}, "batch-1"));
  state.reset();
  // The outbox insert is the commit's last step: failing it proves the earlier ones roll back.
  rawSession(path) << "CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox "
                      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
      now;
  state = openSqliteAgentState(path);
  try {
    state->commit(change("c2", {{"n1", "u1", "h2", true}, {"n3", "u3", "h3", true}}, {"n1"}, "batch-2"));
    FAIL() << "the injected failure did not surface";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_EQ(state->cursor("ics", "work"), "c1");
  const auto known = state->known("ics", "work");
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known.at("n1").hash, "h1");
  EXPECT_EQ(state->outboxSize(), 1u);
  // The store stays usable after the failure.
  EXPECT_EQ(state->commit(change("c3", {}, {}, "")), 0);
  EXPECT_EQ(state->cursor("ics", "work"), "c3");
}

TEST_F(AgentStateTest, ResetCalendarForgetsOnlyThatCalendarAndKeepsTheOutbox) {
  state->commit(change("c1", {{"n1", "u1", "h1", true}}, {}, "batch-1"));
  state->commit({"ics", "home", "h1", {{"m1", "v1", "g1", true}}, {}, ""});
  state->resetCalendar("ics", "work");
  EXPECT_EQ(state->cursor("ics", "work"), "");
  EXPECT_TRUE(state->known("ics", "work").empty());
  EXPECT_EQ(state->cursor("ics", "home"), "h1");
  EXPECT_EQ(state->known("ics", "home").size(), 1u);
  EXPECT_EQ(state->outboxSize(), 1u);
}

TEST_F(AgentStateTest, NamedValues) {
  EXPECT_EQ(state->value("digest"), "");
  state->setValue("digest", "abc");
  state->setValue("digest", "def");
  state->setValue("enrolled", "yes");
  EXPECT_EQ(state->value("digest"), "def");
  EXPECT_EQ(state->value("enrolled"), "yes");
}

TEST_F(AgentStateTest, TwoThreadsCanShareOneStore) {
  constexpr int kPerThread = 50;
  auto writer = [&](const std::string& calendar) {
    for (int i = 0; i < kPerThread; ++i) {
      state->commit({"ics", calendar, std::to_string(i), {{"n" + std::to_string(i), "u", "h", true}}, {}, "p"});
      state->outboxSize();
    }
  };
  std::thread first(writer, "one");
  std::thread second(writer, "two");
  first.join();
  second.join();
  EXPECT_EQ(state->known("ics", "one").size(), static_cast<std::size_t>(kPerThread));
  EXPECT_EQ(state->known("ics", "two").size(), static_cast<std::size_t>(kPerThread));
  EXPECT_EQ(state->outboxSize(), static_cast<std::size_t>(2 * kPerThread));
}

}  // namespace
}  // namespace calsync::store
