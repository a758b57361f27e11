// A real master database in a temporary directory, and helpers to feed it as an agent would.
#pragma once

#include <gtest/gtest.h>

#include "core/hash.h"
#include "ical/ical_codec.h"
#include "in_memory_connector.h"
#include "master/ingest.h"
#include "protocol/batch.h"
#include "store/master_store.h"
#include "store/round_trip_store.h"
#include "tests/support/temp_dir.h"

namespace calsync::master {

class MasterFixture : public ::testing::Test {
 protected:
  protocol::BatchObject item(const CalendarObject& o, bool in_window = true) {
    return {o.native_id, o.uid, contentHash(o), ical::serialize(o), o.span_start_utc, o.span_end_utc, in_window};
  }
  // Sends one batch for source "work", calendar "cal" as agent "agent-1".
  HeartbeatResponse send(std::vector<protocol::BatchObject> upserts, std::vector<std::string> deletions = {},
                         std::string epoch = "epoch-1", std::string conflict_resolution = "") {
    protocol::SourceBatch batch{"work", "memory", {"cal", "Calendar", "", "", true}, std::move(upserts),
                                std::move(deletions), false, {}, std::move(conflict_resolution)};
    HeartbeatRequest request{"agent-1", "Agent one", std::move(epoch), {{++sequence_, protocol::encodeBatch(batch)}}, "", {}};
    Ingest ingest(*store_, db_.roundtrip.get());
    return ingest.handle(request);
  }
  // A fresh database, as after the master lost its state.
  void loseState(const std::string& file) {
    db_ = store::openSqliteMasterDatabase((dir_ / file).string());
    sequence_ = 0;
  }

  static constexpr std::int64_t kNow = 1790000000;
  calsync::testing::TempDir temp_;
  const std::filesystem::path dir_ = temp_.path();
  store::MasterDatabase db_ = store::openSqliteMasterDatabase((dir_ / "master.db").string());
  std::unique_ptr<store::MasterStore>& store_ = db_.objects;
  std::int64_t sequence_ = 0;
};

}  // namespace calsync::master
