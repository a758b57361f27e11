// calsyncd in standalone mode, as a real process, with an EWS source (alice's mailbox) and an
// EWS destination (the office mailbox) on the in-process EWS test server. Items are made and
// edited at the source "as a user would" between runs; the destination is checked item by item
// on the server. Written so the master's round trip (edits at the destination flowing back to
// the source) can be added as one more test on the same fixture.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "child_process.h"
#include "core/date_time.h"
#include "ews_test_server.h"
#include "process.h"

namespace calsync {
namespace {

namespace fs = std::filesystem;
using testing::ews::EwsTestServer;
using testing::ews::ItemSpec;
using testing::ews::ItemState;
using testing::ews::OccurrenceEdit;
using testing::ews::Pattern;

const std::string kCalsyncd = std::string(CALSYNC_BINARY_DIR) + "/daemon/calsyncd";
const std::string kOriginKey = "3d7b0f2e-6c1a-4f55-9b8e-2a61c4d9e7f3/CalsyncOrigin";
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;

class EwsEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("calsync-ews-e2e-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    today_ = now - now % kDay;
    server_ = std::make_unique<EwsTestServer>(EwsTestServer::Options{EwsTestServer::Transport::Http, EwsTestServer::Auth::Basic});
    server_->addUser("alice", "alice-pw", "alice@example.com");
    server_->addUser("office", "office-pw", "office@example.com");
    source_ = server_->calendarFolderId("alice@example.com");
    destination_ = server_->calendarFolderId("office@example.com");
    writeConfig();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void writeConfig() {
    std::ofstream f(dir_ / "calsyncd.ini");
    f << "[daemon]\nmode = standalone\ndata_dir = " << (dir_ / "data").string() << "\nlog_level = info\n\n"
      << "[agent]\nid = e2e-agent\nsync_interval = 1h\nwindow_past = 30d\nwindow_future = 120d\n\n"
      << "[master]\nlisten = 127.0.0.1:" << testing::pickFreePort() << "\nallow_plain_http = true\n\n"
      << "[destination]\ntype = ews\nurl = " << server_->url() << "\nusername = office\npassword = office-pw\n"
      << "time_zone = Europe/Berlin\n\n"
      << "[source.work]\ntype = ews\nurl = " << server_->url() << "\nusername = alice\npassword = alice-pw\n"
      << "allow_event_updates = true\n";
  }

  int runOnce() {
    return testing::runProcess({kCalsyncd, "--config", (dir_ / "calsyncd.ini").string(), "--once"},
                               (dir_ / "calsyncd.log").string());
  }
  std::string log() { return testing::readFile((dir_ / "calsyncd.log").string()); }

  const ItemState* copyOf(const std::vector<ItemState>& copies, const std::string& subject) {
    for (const auto& copy : copies) {
      if (copy.spec.subject == subject) return &copy;
    }
    return nullptr;
  }

  // A weekly series (one occurrence moved, one deleted), an all-day event with non-ASCII text,
  // and a one-off meeting.
  void fillSource() {
    ItemSpec standup;
    standup.subject = "Stand-up";
    standup.start = today_ - 7 * kDay + 8 * kHour;
    standup.end = standup.start + kHour / 2;
    standup.time_zone = "W. Europe Standard Time";
    standup.recurrence = Pattern{};
    standup.recurrence->days = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    standup.recurrence->range = Pattern::Range::Numbered;
    standup.recurrence->count = 14;
    standup_ = server_->createItem(source_, standup);
    OccurrenceEdit moved;
    moved.subject = "Stand-up (moved)";
    moved.start = today_ + 2 * kDay + 13 * kHour;
    moved.end = *moved.start + kHour;
    server_->modifyOccurrence(standup_, 9, moved);
    server_->deleteOccurrence(standup_, 11);

    ItemSpec offsite;
    offsite.subject = "Betriebsausflug – Grüße aus Köln 🎉";
    offsite.all_day = true;
    offsite.time_zone = "W. Europe Standard Time";
    offsite.start = today_ + 5 * kDay - berlinOffset(today_ + 5 * kDay);  // midnight in Berlin
    offsite.end = offsite.start + kDay;
    offsite_ = server_->createItem(source_, offsite);

    ItemSpec review;
    review.subject = "Design review";
    review.location = "Raum 4";
    review.body = "Agenda: <alles>";
    review.start = today_ + 3 * kDay + 14 * kHour;
    review.end = review.start + kHour;
    review_ = server_->createItem(source_, review);
  }

  static std::int64_t berlinOffset(std::int64_t instant) {
    DateTime probe = epochToUtc(instant);
    probe.tzid = "Europe/Berlin";
    return instant - resolveWithIana(probe).value_or(instant);
  }

  fs::path dir_;
  std::int64_t today_ = 0;
  std::unique_ptr<EwsTestServer> server_;
  std::string source_, destination_;
  std::string standup_, offsite_, review_;
};

TEST_F(EwsEndToEnd, SourceEventsArriveWithSeriesExceptionsAndOriginMarkers) {
  fillSource();
  ASSERT_EQ(runOnce(), 0) << log();
  const auto copies = server_->items(destination_);
  ASSERT_EQ(copies.size(), 3u) << log();
  for (const auto& copy : copies) {
    EXPECT_EQ(copy.spec.uid.rfind("calsync-", 0), 0u) << copy.spec.subject;
    ASSERT_TRUE(copy.extended_properties.count(kOriginKey)) << copy.spec.subject;
    EXPECT_EQ(copy.extended_properties.at(kOriginKey).rfind("calsync:e2e-agent/work/calendar/", 0), 0u);
  }

  const ItemState* standup = copyOf(copies, "Stand-up");
  ASSERT_NE(standup, nullptr);
  ASSERT_TRUE(standup->spec.recurrence.has_value());
  EXPECT_EQ(standup->spec.recurrence->count, 14);
  EXPECT_EQ(standup->spec.start, today_ - 7 * kDay + 8 * kHour);
  EXPECT_EQ(standup->deleted_occurrences, std::vector<int>{11});
  ASSERT_EQ(standup->exceptions.count(9), 1u);
  EXPECT_EQ(*standup->exceptions.at(9).subject, "Stand-up (moved)");
  EXPECT_EQ(*standup->exceptions.at(9).start, today_ + 2 * kDay + 13 * kHour);

  const ItemState* offsite = copyOf(copies, "Betriebsausflug – Grüße aus Köln 🎉");
  ASSERT_NE(offsite, nullptr);
  EXPECT_TRUE(offsite->spec.all_day);
  EXPECT_EQ(offsite->spec.start, server_->item(offsite_)->spec.start);

  const ItemState* review = copyOf(copies, "Design review");
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(review->spec.location, "Raum 4");
  EXPECT_EQ(review->spec.body, "Agenda: <alles>");
  EXPECT_EQ(review->spec.start, today_ + 3 * kDay + 14 * kHour);

  // Nothing was sent to anyone, and the source was only read.
  for (const auto& write : server_->writes()) EXPECT_EQ(write.send_invitations, "SendToNone") << write.operation;
  EXPECT_EQ(server_->items(source_).size(), 3u);

  // A second run with nothing changed rewrites nothing.
  std::map<std::string, std::string> keys;
  for (const auto& copy : copies) keys[copy.id] = copy.change_key;
  ASSERT_EQ(runOnce(), 0) << log();
  for (const auto& copy : server_->items(destination_)) EXPECT_EQ(copy.change_key, keys[copy.id]) << copy.spec.subject;
}

TEST_F(EwsEndToEnd, EditsAndDeletionsAtTheSourceArrive) {
  fillSource();
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(server_->items(destination_).size(), 3u) << log();

  server_->updateItem(review_, [&](ItemSpec& spec) {
    spec.subject = "Design review (moved)";
    spec.start += kDay;
    spec.end += kDay;
  });
  server_->deleteItem(offsite_);
  OccurrenceEdit renamed;
  renamed.subject = "Stand-up (retro)";
  server_->modifyOccurrence(standup_, 12, renamed);

  ASSERT_EQ(runOnce(), 0) << log();
  const auto copies = server_->items(destination_);
  EXPECT_EQ(copies.size(), 2u) << log();
  EXPECT_EQ(copyOf(copies, "Betriebsausflug – Grüße aus Köln 🎉"), nullptr);
  EXPECT_EQ(copyOf(copies, "Design review"), nullptr);
  const ItemState* review = copyOf(copies, "Design review (moved)");
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(review->spec.start, today_ + 4 * kDay + 14 * kHour);
  const ItemState* standup = copyOf(copies, "Stand-up");
  ASSERT_NE(standup, nullptr);
  ASSERT_EQ(standup->exceptions.count(12), 1u) << log();
  EXPECT_EQ(*standup->exceptions.at(12).subject, "Stand-up (retro)");
  EXPECT_EQ(standup->exceptions.count(9), 1u);
  EXPECT_EQ(standup->deleted_occurrences, std::vector<int>{11});
}

TEST_F(EwsEndToEnd, ADestinationThatLostItsMappingAdoptsTheCopiesInsteadOfDuplicating) {
  fillSource();
  ASSERT_EQ(runOnce(), 0) << log();
  ASSERT_EQ(server_->items(destination_).size(), 3u);
  // The whole state directory is gone (a reinstall): the copies are found again by UID.
  fs::remove_all(dir_ / "data");
  ASSERT_EQ(runOnce(), 0) << log();
  EXPECT_EQ(server_->items(destination_).size(), 3u) << log();
}

TEST_F(EwsEndToEnd, EditsAndDeletionsAtTheDestinationReachTheSource) {
  fillSource();
  ASSERT_EQ(runOnce(), 0) << log();
  const auto copies = server_->items(destination_);
  const ItemState* review = copyOf(copies, "Design review");
  const ItemState* offsite = copyOf(copies, "Betriebsausflug – Grüße aus Köln 🎉");
  ASSERT_TRUE(review && offsite) << log();
  // Someone working in the office mailbox moves the review to another room and renames it,
  // and deletes the offsite.
  server_->updateItem(review->id, [](ItemSpec& spec) {
    spec.subject = "Design review (Raum 5)";
    spec.location = "Raum 5";
  });
  server_->deleteItem(offsite->id);

  ASSERT_EQ(runOnce(), 0) << log();
  const auto source_review = server_->item(review_);
  ASSERT_TRUE(source_review.has_value());
  EXPECT_EQ(source_review->spec.subject, "Design review (Raum 5)") << log();
  EXPECT_EQ(source_review->spec.location, "Raum 5");
  EXPECT_EQ(source_review->spec.body, "Agenda: <alles>") << "fields nobody edited stay as they were";
  EXPECT_EQ(source_review->spec.start, today_ + 3 * kDay + 14 * kHour);
  EXPECT_TRUE(source_review->extended_properties.empty() ||
              !source_review->extended_properties.count(kOriginKey))
      << "an original never gets the origin marker";
  EXPECT_FALSE(server_->item(offsite_).has_value()) << "deleted at the source too\n" << log();
  EXPECT_TRUE(server_->item(standup_).has_value());

  // The source's next read brings the edit back; nothing is written again after that.
  ASSERT_EQ(runOnce(), 0) << log();
  std::map<std::string, std::string> keys;
  for (const auto& folder : {source_, destination_}) {
    for (const auto& item : server_->items(folder)) keys[item.id] = item.change_key;
  }
  ASSERT_EQ(runOnce(), 0) << log();
  for (const auto& folder : {source_, destination_}) {
    for (const auto& item : server_->items(folder)) {
      EXPECT_EQ(item.change_key, keys[item.id]) << item.spec.subject << " was written again";
    }
  }
  EXPECT_EQ(server_->items(destination_).size(), 2u);
  EXPECT_EQ(server_->items(source_).size(), 2u);
  for (const auto& write : server_->writes()) {
    EXPECT_TRUE(write.send_invitations.empty() || write.send_invitations == "SendToNone") << write.operation;
  }
}

}  // namespace
}  // namespace calsync
