#include "master/ingest.h"

#include "master_fixture.h"

namespace calsync::master {
namespace {

using testing::simpleObject;
using IngestTest = MasterFixture;

TEST_F(IngestTest, AcknowledgesAndIgnoresReplays) {
  auto a = simpleObject("a", kNow, "A");
  auto response = send({item(a)});
  EXPECT_EQ(response.acknowledged_sequence, 1);
  EXPECT_TRUE(response.error.empty());
  // The same batch again (a retry after a lost response) is acknowledged, not stored twice.
  protocol::SourceBatch batch{"work", "memory", {"cal", "Calendar", "", "", true}, {item(a)}, {}, false, {}, ""};
  Ingest ingest(*store_);
  auto replay = ingest.handle({"agent-1", "Agent one", "epoch-1", {{1, protocol::encodeBatch(batch)}}, "", {}});
  EXPECT_EQ(replay.acknowledged_sequence, 1);
  EXPECT_EQ(store_->counts()["objects.active"], 1);
  EXPECT_EQ(store_->counts()["journal"], 1);
}

TEST_F(IngestTest, AMalformedBatchStopsTheRunButKeepsWhatCameBefore) {
  auto a = simpleObject("a", kNow, "A");
  protocol::SourceBatch good{"work", "memory", {"cal", "Calendar", "", "", true}, {item(a)}, {}, false, {}, ""};
  Ingest ingest(*store_);
  auto response = ingest.handle(
      {"agent-1", "Agent one", "e", {{1, protocol::encodeBatch(good)}, {2, "{\"v\":1,\"source\":7}"}, {3, "{}"}}, "", {}});
  EXPECT_EQ(response.acknowledged_sequence, 1);
  EXPECT_NE(response.error.find("batch 2"), std::string::npos) << response.error;
  EXPECT_EQ(store_->counts()["objects.active"], 1);
}

TEST_F(IngestTest, OutOfWindowKeepsTheStoredContent) {
  auto a = simpleObject("a", kNow, "A");
  send({item(a)});
  protocol::BatchObject gone{"a.ics", "a", contentHash(a), "", 0, 0, false};
  send({gone});
  auto stored = store_->object({"agent-1", "work", "cal", "a.ics"});
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, store::ObjectState::OutOfWindow);
  EXPECT_NE(stored->ical.find("SUMMARY:A"), std::string::npos);
  EXPECT_EQ(stored->span_start_utc, kNow);
}

TEST(BatchCodec, RejectsDocumentsThatAreNotBatches) {
  for (const std::string bad : {"", "[]", "nonsense", "{\"v\":2}", "{\"v\":1,\"source\":\"s\"}",
                                "{\"v\":1,\"source\":\"s\",\"source_type\":\"t\",\"calendar\":[]}"}) {
    EXPECT_THROW(protocol::decodeBatch(bad), protocol::ProtocolError) << bad;
  }
}

TEST(BatchCodec, RoundTripsEveryField) {
  protocol::SourceBatch batch{"work", "caldav", {"/c/", "Café ☕", "#ff0000", "d\n\"q\"", true},
                              {{"n", "u", "h", "BEGIN:VCALENDAR\r\n", -5, 9223372036854775807LL, false}},
                              {"x", "y"},
                              false,
                              {},
                              "manual"};
  auto back = protocol::decodeBatch(protocol::encodeBatch(batch));
  EXPECT_EQ(back.calendar.name, "Café ☕");
  EXPECT_EQ(back.conflict_resolution, "manual");
  EXPECT_EQ(back.calendar.description, "d\n\"q\"");
  ASSERT_EQ(back.upserts.size(), 1u);
  EXPECT_EQ(back.upserts[0].span_start_utc, -5);
  EXPECT_EQ(back.upserts[0].span_end_utc, 9223372036854775807LL);
  EXPECT_FALSE(back.upserts[0].in_window);
  EXPECT_EQ(back.deletions, (std::vector<std::string>{"x", "y"}));
}

}  // namespace
}  // namespace calsync::master
