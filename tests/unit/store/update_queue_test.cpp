#include <gtest/gtest.h>

#include "store/master_store.h"
#include "temp_dir.h"

namespace calsync::store {
namespace {

AgentUpdate rename(const std::string& name) {
  AgentUpdate u;
  u.kind = AgentUpdate::Kind::CalendarMetadata;
  u.source = "work";
  u.calendar_id = "/cal/";
  u.name = name;
  return u;
}

class UpdateQueueTest : public ::testing::Test {
 protected:
  calsync::testing::TempDir dir_;
  MasterDatabase db_ = openSqliteMasterDatabase((dir_.path() / "master.db").string());
  UpdateQueue& queue_ = *db_.updates;
};

TEST_F(UpdateQueueTest, DeliversInOrderOnceAndOnlyToItsAgent) {
  const auto first = queue_.enqueue("a1", rename("One"), "admin", 100);
  const auto second = queue_.enqueue("a1", rename("Two"), "admin", 100);
  queue_.enqueue("a2", rename("Other"), "admin", 100);
  EXPECT_TRUE(queue_.hasDue("a1", 100, 300));
  auto due = queue_.takeDue("a1", 100, 300, 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].id, first);
  EXPECT_EQ(due[1].id, second);
  EXPECT_EQ(*due[0].name, "One");
  EXPECT_EQ(due[0].attempt, 1);
  // Delivered and not reported yet: not handed out again until the redelivery delay passed.
  EXPECT_TRUE(queue_.takeDue("a1", 200, 300, 10).empty());
  EXPECT_FALSE(queue_.complete("a2", {first, true, true, "", ""}, 200, 5, 30)) << "another agent's update";
  EXPECT_TRUE(queue_.complete("a1", {first, true, true, "", ""}, 200, 5, 30));
  EXPECT_FALSE(queue_.complete("a1", {first, true, true, "", ""}, 200, 5, 30)) << "settled twice";
  // The unreported one comes back after the redelivery delay.
  auto again = queue_.takeDue("a1", 401, 300, 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, second);
  EXPECT_EQ(again[0].attempt, 2);
}

TEST_F(UpdateQueueTest, RetriesWithGrowingDelaysThenFailsWithTheReason) {
  const auto id = queue_.enqueue("a1", rename("X"), "admin", 0);
  std::int64_t now = 0;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto due = queue_.takeDue("a1", now, 300, 10);
    ASSERT_EQ(due.size(), 1u) << "attempt " << attempt;
    EXPECT_EQ(due[0].attempt, attempt);
    ASSERT_TRUE(queue_.complete("a1", {id, false, true, "server busy", ""}, now, 3, 30));
    const auto stored = queue_.find(id);
    ASSERT_TRUE(stored);
    if (attempt < 3) {
      EXPECT_EQ(stored->status, UpdateStatus::Pending);
      // Not due before its delay: 30 s, then 60 s.
      EXPECT_FALSE(queue_.hasDue("a1", now + 29 * attempt, 300));
      now = stored->next_attempt_at;
    } else {
      EXPECT_EQ(stored->status, UpdateStatus::Failed);
      EXPECT_EQ(stored->last_error, "server busy");
    }
  }
  EXPECT_TRUE(queue_.takeDue("a1", now + 10000, 300, 10).empty());
  EXPECT_EQ(queue_.stats()["a1"]["failed"], 1);
  // Settled entries go with cleanup once they are old enough.
  EXPECT_EQ(queue_.cleanup(now), 0u);
  EXPECT_EQ(queue_.cleanup(now + 1), 1u);
}

TEST_F(UpdateQueueTest, ANonRetryableFailureFailsAtOnce) {
  const auto id = queue_.enqueue("a1", rename("X"), "admin", 0);
  queue_.takeDue("a1", 0, 300, 10);
  ASSERT_TRUE(queue_.complete("a1", {id, false, false, "not permitted", ""}, 0, 5, 30));
  EXPECT_EQ(queue_.find(id)->status, UpdateStatus::Failed);
}

TEST_F(UpdateQueueTest, SurvivesReopening) {
  const auto path = (dir_.path() / "master.db").string();
  const auto id = queue_.enqueue("a1", rename("Kept"), "admin", 5);
  db_ = MasterDatabase{};
  auto reopened = openSqliteMasterDatabase(path);
  auto due = reopened.updates->takeDue("a1", 5, 300, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, id);
  EXPECT_EQ(*due[0].name, "Kept");
}

TEST(AuthStoreTest, ATokenEnrollsOnceAndRevocationEndsAccess) {
  calsync::testing::TempDir dir;
  auto db = openSqliteMasterDatabase((dir.path() / "master.db").string());
  AuthStore& auth = *db.auth;
  EnrollmentToken token;
  token.id = "tok_1";
  token.created_at = 100;
  token.expires_at = 1000;
  auth.addEnrollmentToken(token, "hash-1");
  EXPECT_EQ(auth.enroll("nope", "a1", "secret-hash", 200), EnrollOutcome::UnknownToken);
  EXPECT_EQ(auth.enroll("hash-1", "a1", "secret-hash", 200), EnrollOutcome::Enrolled);
  EXPECT_EQ(auth.enroll("hash-1", "a2", "other", 201), EnrollOutcome::TokenUsed);
  EXPECT_EQ(auth.agentSecretHash("a1"), "secret-hash");
  EXPECT_FALSE(auth.agentSecretHash("a2"));
  EXPECT_TRUE(auth.revokeAgent("a1", 300));
  EXPECT_FALSE(auth.agentSecretHash("a1"));

  token.id = "tok_2";
  auth.addEnrollmentToken(token, "hash-2");
  EXPECT_EQ(auth.enroll("hash-2", "a1", "new", 1000), EnrollOutcome::TokenExpired);
  token.id = "tok_3";
  auth.addEnrollmentToken(token, "hash-3");
  EXPECT_TRUE(auth.revokeEnrollmentToken("tok_3", 400));
  EXPECT_EQ(auth.enroll("hash-3", "a1", "new", 500), EnrollOutcome::TokenRevoked);
  EXPECT_EQ(auth.enrollmentTokens().size(), 3u);
}

}  // namespace
}  // namespace calsync::store
