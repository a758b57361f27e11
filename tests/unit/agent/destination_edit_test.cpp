// An edit or deletion made to a copy in the destination, applied at the source the way the
// agent does it: only what the edit changed, onto the event as the source has it now.
#include "agent/destination_edit.h"

#include <gtest/gtest.h>

#include "ical/ical_codec.h"
#include "in_memory_connector.h"

namespace calsync::agent {
namespace {

using testing::simpleObject;

constexpr std::int64_t kNow = 1790000000;

class DestinationEditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CalendarObject a = simpleObject("a", kNow, "Planning");
    a.components[0].location = "Room 1";
    source_.put("cal", a);
    base_ = source_.objects("cal").at("a.ics").object;
  }
  AgentUpdate update(AgentUpdate::Kind kind, const CalendarObject* edited) {
    AgentUpdate u;
    u.id = 7;
    u.kind = kind;
    u.source = "work";
    u.calendar_id = "cal";
    u.native_id = "a.ics";
    u.uid = "a";
    u.base_ical = ical::serialize(base_);
    if (edited) u.ical = ical::serialize(*edited);
    return u;
  }
  const CalendarObject& current() { return source_.objects("cal").at("a.ics").object; }

  testing::InMemoryConnector source_;
  CalendarObject base_;
};

TEST_F(DestinationEditTest, AppliesOnlyWhatTheEditChangedAndKeepsNewerSourceChanges) {
  CalendarObject edited = base_;
  edited.components[0].summary = "Planning (online)";
  // Meanwhile someone moved the event to another room at the source.
  source_.objects("cal").at("a.ics").object.components[0].location = "Room 2";
  source_.put("cal", source_.objects("cal").at("a.ics").object);
  const UpdateOutcome outcome = applyDestinationEdit(source_, update(AgentUpdate::Kind::EventUpdate, &edited));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.id, 7);
  EXPECT_EQ(current().components[0].summary, "Planning (online)");
  EXPECT_EQ(current().components[0].location, "Room 2") << "the source's own change survives";
  EXPECT_TRUE(current().origin.empty());
}

TEST_F(DestinationEditTest, ASecondDeliveryChangesNothing) {
  CalendarObject edited = base_;
  edited.components[0].summary = "Planning (online)";
  ASSERT_TRUE(applyDestinationEdit(source_, update(AgentUpdate::Kind::EventUpdate, &edited)).ok);
  const int writes = source_.writes;
  EXPECT_TRUE(applyDestinationEdit(source_, update(AgentUpdate::Kind::EventUpdate, &edited)).ok);
  EXPECT_EQ(source_.writes, writes);
}

TEST_F(DestinationEditTest, ADeletionIsAppliedWhenTheSourceDidNotChangeTheEvent) {
  const UpdateOutcome outcome = applyDestinationEdit(source_, update(AgentUpdate::Kind::EventDelete, nullptr));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_TRUE(source_.objects("cal").empty());
  // Delivered again: already gone, fine.
  EXPECT_TRUE(applyDestinationEdit(source_, update(AgentUpdate::Kind::EventDelete, nullptr)).ok);
}

TEST_F(DestinationEditTest, ADeletionIsRefusedWhenTheSourceChangedTheEventSince) {
  source_.objects("cal").at("a.ics").object.components[0].summary = "Planning (changed at the source)";
  const UpdateOutcome outcome = applyDestinationEdit(source_, update(AgentUpdate::Kind::EventDelete, nullptr));
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.retryable);
  EXPECT_EQ(source_.objects("cal").size(), 1u) << "a change is never lost to a deletion";
}

TEST_F(DestinationEditTest, TheSameFieldChangedAtTheSourceMeanwhileIsAConflictNotAnOverwrite) {
  CalendarObject edited = base_;
  edited.components[0].summary = "Planning (destination)";
  source_.objects("cal").at("a.ics").object.components[0].summary = "Planning (source)";
  const int writes = source_.writes;
  const UpdateOutcome outcome = applyDestinationEdit(source_, update(AgentUpdate::Kind::EventUpdate, &edited));
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(outcome.conflict);
  EXPECT_FALSE(outcome.retryable);
  EXPECT_NE(outcome.error.find("summary"), std::string::npos) << outcome.error;
  EXPECT_EQ(source_.writes, writes);
  EXPECT_EQ(current().components[0].summary, "Planning (source)");
}

TEST_F(DestinationEditTest, ALostRaceAtTheSourceIsAConflictError) {
  CalendarObject edited = base_;
  edited.components[0].summary = "Planning (online)";
  source_.fail_writes = ErrorKind::Conflict;
  EXPECT_THROW(applyDestinationEdit(source_, update(AgentUpdate::Kind::EventUpdate, &edited)), ConnectorError);
}

}  // namespace
}  // namespace calsync::agent
