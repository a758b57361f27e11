// The destination round trip against an in-memory destination with change tracking: the
// reader finds edits and deletions people made to copies, the reconciler merges them with
// what the sources did, and the results go to the agents' queues or back to the destination.
#include "incremental_connector.h"
#include "master/copy_identity.h"
#include "master/destination_reader.h"
#include "master/destination_writer.h"
#include "master_fixture.h"

namespace calsync::master {
namespace {

using testing::simpleObject;

class RoundTripTest : public MasterFixture {
 protected:
  RoundTripContext context() {
    return RoundTripContext{*store_, *db_.roundtrip, broker_, destination_, "dest", strategy_};
  }
  WriteReport write() {
    auto ctx = context();
    return DestinationWriter(ctx).run([] { return false; });
  }
  ReadReport read() {
    auto ctx = context();
    return DestinationReader(ctx, Window{kNow - 30 * 86400, kNow + 90 * 86400}).run([] { return false; });
  }
  std::vector<store::QueuedUpdate> updates() {
    auto all = db_.updates->list({});
    std::reverse(all.begin(), all.end());  // oldest first
    return all;
  }
  std::string copyId(const std::string& uid) { return copyUid({"agent-1", "work", "cal", uid + ".ics"}, uid); }
  const CalendarObject* copyOf(const std::string& uid) { return destination_.byUid(copyId(uid)); }
  std::string copyNativeId(const std::string& uid) { return copyOf(uid)->native_id; }
  // The source has `a` and it is mirrored; the reader has seen the copy once.
  void mirrored(const CalendarObject& a) {
    send({item(a)});
    ASSERT_EQ(write().created, 1u);
    ASSERT_EQ(read().edits, 0u);
  }
  // The agent took update `id`, or refused it for good.
  bool settle(std::int64_t id, bool ok) {
    UpdateOutcome outcome;
    outcome.id = id;
    outcome.ok = ok;
    outcome.retryable = false;
    outcome.error = ok ? "" : "not allowed";
    return settleRoutedUpdate(*store_, *db_.roundtrip, id, outcome, !ok);
  }

  testing::IncrementalConnector destination_;
  UpdateBroker broker_{*db_.updates, {}};
  ConflictStrategy strategy_ = ConflictStrategy::SourceWins;
};

TEST_F(RoundTripTest, AnEditAtTheDestinationGoesToItsSourceAndItsEchoWritesNothing) {
  const CalendarObject a = simpleObject("a", kNow, "Planning");
  mirrored(a);

  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Planning (online)"; });
  const ReadReport report = read();
  EXPECT_EQ(report.edits, 1u);
  EXPECT_EQ(report.routed, 1u);
  const auto queued = updates();
  ASSERT_EQ(queued.size(), 1u);
  const AgentUpdate& u = queued[0].update;
  EXPECT_EQ(queued[0].agent_id, "agent-1");
  EXPECT_EQ(queued[0].created_by, "destination");
  EXPECT_EQ(u.kind, AgentUpdate::Kind::EventUpdate);
  EXPECT_EQ(u.source, "work");
  EXPECT_EQ(u.calendar_id, "cal");
  EXPECT_EQ(u.native_id, "a.ics");
  EXPECT_EQ(u.uid, "a");
  const CalendarObject edited = ical::parse(u.ical).objects.at(0);
  EXPECT_EQ(edited.uid, "a") << "mapped back to the source's UID";
  EXPECT_EQ(edited.components[0].uid, "a");
  EXPECT_TRUE(edited.origin.empty()) << "an original never carries the origin marker";
  EXPECT_EQ(edited.components[0].summary, "Planning (online)");
  EXPECT_EQ(ical::parse(u.base_ical).objects.at(0).components[0].summary, "Planning");
  // Journaled as the destination's doing.
  bool journaled = false;
  for (const auto& e : store_->recentJournal(20)) journaled |= e.actor == "destination" && e.action == "route-update";
  EXPECT_TRUE(journaled);

  // Nothing to write yet: the destination already has it.
  const int writes = destination_.writes;
  EXPECT_EQ(write().updated, 0u);
  EXPECT_TRUE(store_->pendingWrites(10).empty());
  // The source applies it and its next batch brings the same content back: no write, no
  // new update, no ping-pong.
  EXPECT_FALSE(settle(u.id, true));
  CalendarObject echoed = edited;
  echoed.native_id = "a.ics";
  send({item(echoed)});
  const WriteReport echo = write();
  EXPECT_EQ(echo.updated + echo.created + echo.adopted + echo.routed, 0u);
  EXPECT_EQ(destination_.writes, writes);
  EXPECT_EQ(read().edits, 0u);
  EXPECT_EQ(updates().size(), 1u);
  EXPECT_TRUE(store_->pendingWrites(10).empty());
}

TEST_F(RoundTripTest, AServerThatOnlyReformatsIsNotAnEditorAndCausesNoConflict) {
  mirrored(simpleObject("a", kNow, "Planning"));
  destination_.reformat(copyNativeId("a"));
  const ReadReport report = read();
  EXPECT_EQ(report.edits, 0u);
  EXPECT_TRUE(updates().empty());
  // The observed etag was recorded: the next write of the copy goes through at once.
  const int finds = destination_.finds;
  send({item(simpleObject("a", kNow, "Planning v2"))});
  const WriteReport w = write();
  EXPECT_EQ(w.updated, 1u);
  EXPECT_EQ(w.failed, 0u);
  EXPECT_EQ(destination_.finds, finds) << "no conditional write lost, no re-read";
  EXPECT_EQ(copyOf("a")->components[0].summary, "Planning v2");
}

TEST_F(RoundTripTest, EventsCalsyncDidNotWriteAreNeverTouchedOrRouted) {
  mirrored(simpleObject("a", kNow, "Planning"));
  CalendarObject mine = simpleObject("personal", kNow, "Dentist");
  destination_.putForeign(mine);
  // One that pretends to be a copy: our UID form and a marker, but not our record.
  CalendarObject imposter = simpleObject("calsync-0123456789abcdef0123456789abcdef", kNow, "Imposter");
  imposter.origin = "calsync:someone/else/cal/x";
  destination_.putForeign(imposter);
  // And one carrying our copy's UID but another deployment's marker.
  CalendarObject lookalike = simpleObject(copyId("a"), kNow, "Lookalike");
  lookalike.native_id = "lookalike.ics";
  lookalike.origin = "calsync:other-agent/work/cal/a";
  destination_.putForeign(lookalike);
  ReadReport report = read();
  EXPECT_EQ(report.foreign, 3u);
  EXPECT_TRUE(updates().empty());
  destination_.edit("personal.ics", [](CalendarObject& o) { o.components[0].summary = "Dentist (moved)"; });
  destination_.remove(imposter.native_id);
  report = read();
  EXPECT_EQ(report.edits + report.deletions + report.routed, 0u);
  EXPECT_TRUE(updates().empty());
  EXPECT_EQ(write().updated + write().deleted, 0u);
  EXPECT_EQ(destination_.byUid("personal")->components[0].summary, "Dentist (moved)");
}

TEST_F(RoundTripTest, AnExpiredCursorMeansAFullListingThatDeletesNothingStillThere) {
  mirrored(simpleObject("a", kNow, "A"));
  send({item(simpleObject("b", kNow, "B"))});
  write();
  const int full = destination_.full_listings;
  destination_.expire_cursors = true;
  const ReadReport report = read();
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(destination_.full_listings, full + 1);
  EXPECT_EQ(report.deletions, 0u);
  EXPECT_EQ(report.edits, 0u);
  EXPECT_TRUE(updates().empty());
}

TEST_F(RoundTripTest, AbsenceFromAnIncrementalOrEmptyListingIsNoDeletion) {
  for (const char* uid : {"a", "b", "c", "d", "e"}) send({item(simpleObject(uid, kNow, uid))});
  write();
  read();
  // Incremental pulls list only changes: the copies are absent from them, not deleted.
  EXPECT_EQ(read().deletions, 0u);
  // A full listing that comes back empty while five copies are known is not trusted.
  destination_.expire_cursors = true;
  destination_.hide_everything = true;
  const std::string cursor = db_.roundtrip->destinationCursor("dest");
  const ReadReport report = read();
  EXPECT_TRUE(report.deletions_held);
  EXPECT_EQ(report.deletions, 0u);
  EXPECT_TRUE(updates().empty());
  // The cursor did not move (the empty listing is read again next time); with the listing
  // back, nothing was lost.
  destination_.expire_cursors = false;
  destination_.hide_everything = false;
  EXPECT_EQ(db_.roundtrip->destinationCursor("dest"), cursor);
  EXPECT_EQ(read().deletions, 0u);
}

TEST_F(RoundTripTest, AFailedReadDeletesNothingAndKeepsTheCursor) {
  mirrored(simpleObject("a", kNow, "A"));
  destination_.remove(copyNativeId("a"));
  destination_.fail_next_pull = ErrorKind::Network;
  EXPECT_THROW(read(), ConnectorError);
  EXPECT_TRUE(updates().empty());
  // The next read sees the deletion from the same cursor.
  EXPECT_EQ(read().deletions, 1u);
}

TEST_F(RoundTripTest, ADeletedCopyDeletesTheSourceEventOrComesBackWhenRefused) {
  mirrored(simpleObject("a", kNow, "A"));
  mirrored(simpleObject("b", kNow, "B"));
  destination_.remove(copyNativeId("a"));
  destination_.remove(copyNativeId("b"));
  EXPECT_EQ(read().routed, 2u);
  auto queued = updates();
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[0].update.kind, AgentUpdate::Kind::EventDelete);
  EXPECT_EQ(queued[0].update.native_id, "a.ics");
  // Held while the sources decide: the writer does not put them back meanwhile.
  EXPECT_TRUE(store_->pendingWrites(10).empty());
  EXPECT_EQ(write().created, 0u);
  EXPECT_EQ(db_.roundtrip->heldObjects(10).size(), 2u);

  // a: the source deleted it; its batch says so; the copy's record goes, nothing is written.
  settle(queued[0].update.id, true);
  send({}, {"a.ics"});
  const int writes = destination_.writes;
  EXPECT_EQ(write().deleted, 1u);
  EXPECT_EQ(destination_.writes, writes) << "already gone at the destination";
  EXPECT_FALSE(store_->copy({"agent-1", "work", "cal", "a.ics"}));

  // b: the source refused (allow_event_updates = false): the copy is written again.
  EXPECT_TRUE(settle(queued[1].update.id, false));
  EXPECT_EQ(write().created, 1u);
  ASSERT_NE(copyOf("b"), nullptr);
  EXPECT_EQ(copyOf("b")->components[0].summary, "B");
}

TEST_F(RoundTripTest, ACopyDeletedAfterItsSourceChangedIsWrittenAgain) {
  mirrored(simpleObject("a", kNow, "A"));
  send({item(simpleObject("a", kNow, "A changed"))});
  destination_.remove(copyNativeId("a"));
  const ReadReport report = read();
  EXPECT_EQ(report.deletions, 1u);
  EXPECT_TRUE(updates().empty()) << "a change is never lost to a deletion";
  ASSERT_NE(copyOf("a"), nullptr);
  EXPECT_EQ(copyOf("a")->components[0].summary, "A changed");
}

TEST_F(RoundTripTest, DifferentFieldsChangedAtBothEndsAreMerged) {
  CalendarObject a = simpleObject("a", kNow, "Planning");
  a.components[0].location = "Room 1";
  mirrored(a);
  CalendarObject at_source = a;
  at_source.components[0].location = "Room 2";
  send({item(at_source)});
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Planning Q3"; });
  const ReadReport report = read();
  EXPECT_EQ(report.routed, 1u);
  EXPECT_EQ(report.held, 0u);
  EXPECT_EQ(copyOf("a")->components[0].summary, "Planning Q3");
  EXPECT_EQ(copyOf("a")->components[0].location, "Room 2");
  const auto sent = ical::parse(updates().at(0).update.ical).objects.at(0);
  EXPECT_EQ(sent.components[0].summary, "Planning Q3");
  EXPECT_EQ(sent.components[0].location, "Room 2");
  EXPECT_TRUE(store_->pendingWrites(10).empty());
}

TEST_F(RoundTripTest, ManualConflictsWaitForAPersonThenBothEndsGetTheResolution) {
  strategy_ = ConflictStrategy::Manual;
  mirrored(simpleObject("a", kNow, "Planning"));
  send({item(simpleObject("a", kNow, "Planning (source)"))});
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Planning (dest)"; });
  const int writes = destination_.writes;
  EXPECT_EQ(read().held, 1u);
  const auto open = db_.roundtrip->conflicts("open", 10);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].fields, std::vector<std::string>{"summary"});
  EXPECT_EQ(open[0].id.rfind("cfl_", 0), 0u);
  EXPECT_EQ(open[0].id.size(), 20u);
  EXPECT_NE(open[0].source_ical.find("Planning (source)"), std::string::npos);
  EXPECT_NE(open[0].destination_ical.find("Planning (dest)"), std::string::npos);
  EXPECT_EQ(open[0].destination_ical.find("X-CALSYNC-ORIGIN"), std::string::npos);
  // Held: nothing written, nothing routed, however often the writer runs.
  EXPECT_TRUE(store_->pendingWrites(10).empty());
  write();
  write();
  EXPECT_EQ(destination_.writes, writes);
  EXPECT_TRUE(updates().empty());
  EXPECT_EQ(copyOf("a")->components[0].summary, "Planning (dest)");

  CalendarObject chosen = simpleObject("a", kNow, "Planning (agreed)");
  ASSERT_TRUE(db_.roundtrip->resolveConflict(open[0].id, "merged", ical::serialize(chosen), "admin", kNow));
  EXPECT_FALSE(db_.roundtrip->resolveConflict(open[0].id, "merged", ical::serialize(chosen), "admin", kNow));
  const WriteReport applied = write();
  EXPECT_EQ(applied.resolved, 1u);
  EXPECT_EQ(copyOf("a")->components[0].summary, "Planning (agreed)");
  ASSERT_EQ(updates().size(), 1u);
  EXPECT_EQ(ical::parse(updates()[0].update.ical).objects.at(0).components[0].summary, "Planning (agreed)");
  EXPECT_TRUE(db_.roundtrip->conflicts("open", 10).empty());
  EXPECT_TRUE(db_.roundtrip->conflict(open[0].id)->applied);
  // The source takes it; its echo changes nothing anywhere.
  settle(updates()[0].update.id, true);
  send({item(chosen)});
  const int after = destination_.writes;
  write();
  read();
  EXPECT_EQ(destination_.writes, after);
  EXPECT_EQ(updates().size(), 1u);
}

TEST_F(RoundTripTest, AnEditTheSourceRefusesIsUndoneAtTheDestination) {
  mirrored(simpleObject("a", kNow, "Planning"));
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Renamed"; });
  read();
  ASSERT_EQ(updates().size(), 1u);
  EXPECT_TRUE(settle(updates()[0].update.id, false));
  EXPECT_EQ(write().updated, 1u);
  EXPECT_EQ(copyOf("a")->components[0].summary, "Planning") << "the source's version is the truth";
  EXPECT_EQ(read().edits, 0u) << "our own rewrite is not an edit";
}

TEST_F(RoundTripTest, ASourceCanChooseItsOwnStrategy) {
  // The master says source_wins; this source asked for destination_wins.
  send({item(simpleObject("a", kNow, "Planning"))}, {}, "epoch-1", "destination_wins");
  write();
  read();
  EXPECT_EQ(db_.roundtrip->sourcePolicy("agent-1", "work"), "destination_wins");
  send({item(simpleObject("a", kNow, "Planning (source)"))});
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Planning (dest)"; });
  read();
  EXPECT_EQ(copyOf("a")->components[0].summary, "Planning (dest)");
  ASSERT_EQ(updates().size(), 1u);
  // An unknown strategy from an agent is ignored, not stored.
  send({}, {}, "epoch-1", "coin_flip");
  EXPECT_EQ(db_.roundtrip->sourcePolicy("agent-1", "work"), "destination_wins");
  send({}, {}, "epoch-1", "inherit");
  EXPECT_EQ(db_.roundtrip->sourcePolicy("agent-1", "work"), "inherit");
}

TEST_F(RoundTripTest, LatestWinsGoesByLastModified) {
  strategy_ = ConflictStrategy::LatestWins;
  CalendarObject a = simpleObject("a", kNow, "Planning");
  a.components[0].last_modified = epochToUtc(kNow - 86400);
  mirrored(a);
  CalendarObject at_source = a;
  at_source.components[0].summary = "Planning (source, older)";
  at_source.components[0].last_modified = epochToUtc(kNow - 3600);
  send({item(at_source)});
  destination_.edit(copyNativeId("a"), [&](CalendarObject& o) {
    o.components[0].summary = "Planning (dest, newer)";
    o.components[0].last_modified = epochToUtc(kNow - 60);
  });
  read();
  EXPECT_EQ(copyOf("a")->components[0].summary, "Planning (dest, newer)");
  ASSERT_EQ(updates().size(), 1u);
}

TEST_F(RoundTripTest, ANewerSourceEditWhileAnEditIsInFlightKeepsBoth) {
  CalendarObject a = simpleObject("a", kNow, "Planning");
  mirrored(a);
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Renamed"; });
  read();
  ASSERT_EQ(updates().size(), 1u);
  // Before the agent applies the rename, the source changes the location.
  CalendarObject moved = a;
  moved.components[0].location = "Room 7";
  send({item(moved)});
  write();
  EXPECT_EQ(copyOf("a")->components[0].summary, "Renamed") << "the edit on its way is not undone";
  EXPECT_EQ(copyOf("a")->components[0].location, "Room 7");
  EXPECT_EQ(updates().size(), 1u);
}

TEST_F(RoundTripTest, AnEditTheSourceRacedOnTheSameFieldIsAConflictForTheStrategy) {
  // The destination renamed the event and the merge went to the source; the source renamed
  // it too before applying, so the agent reports a conflict instead of overwriting.
  strategy_ = ConflictStrategy::Manual;
  mirrored(simpleObject("a", kNow, "Planning"));
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Planning (dest)"; });
  read();
  ASSERT_EQ(updates().size(), 1u);
  send({item(simpleObject("a", kNow, "Planning (source)"))});
  UpdateOutcome conflict;
  conflict.id = updates()[0].update.id;
  conflict.ok = false;
  conflict.retryable = false;
  conflict.conflict = true;
  conflict.error = "the source changed summary since the edit was made";
  EXPECT_TRUE(settleRoutedUpdate(*store_, *db_.roundtrip, conflict.id, conflict, true));
  const int writes = destination_.writes;
  EXPECT_EQ(write().held, 1u);
  EXPECT_EQ(destination_.writes, writes) << "neither edit is lost while a person decides";
  const auto open = db_.roundtrip->conflicts("open", 10);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].fields, std::vector<std::string>{"summary"});
  EXPECT_NE(open[0].base_ical.find("SUMMARY:Planning\r\n"), std::string::npos) << "the base is before the edit";
  EXPECT_NE(open[0].destination_ical.find("Planning (dest)"), std::string::npos);
  EXPECT_NE(open[0].source_ical.find("Planning (source)"), std::string::npos);
}

TEST_F(RoundTripTest, ACopyDeletedBeforeItWasEverReadIsLookedUpNotForgotten) {
  destination_.fold_create_and_delete = true;
  read();  // the cursor is from before the copy exists
  send({item(simpleObject("a", kNow, "A"))});
  send({item(simpleObject("b", kNow, "B"))});
  write();
  destination_.remove(copyNativeId("a"));  // the server will not report this deletion
  const int finds = destination_.finds;
  const ReadReport report = read();
  EXPECT_EQ(report.deletions, 1u);
  EXPECT_EQ(destination_.finds, finds + 1) << "only the copy the pull did not show is looked up";
  ASSERT_EQ(updates().size(), 1u);
  EXPECT_EQ(updates()[0].update.kind, AgentUpdate::Kind::EventDelete);
  EXPECT_EQ(updates()[0].update.native_id, "a.ics");
  // b was seen in that pull: nothing to look up next time either.
  EXPECT_EQ(read().deletions, 0u);
  EXPECT_EQ(destination_.finds, finds + 1);
}

TEST_F(RoundTripTest, WhatAServerAddsToACopyNobodyReadBackYetDoesNotTravelToTheSource) {
  CalendarObject a = simpleObject("a", kNow, "Planning");
  a.components[0].categories = {"Work"};
  send({item(a)});
  write();
  // Edited before the reader ever saw our write: the server also set a status, made the
  // calendar's owner the organizer and dropped the categories.
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) {
    o.components[0].summary = "Planning (online)";
    o.components[0].status = EventStatus::Confirmed;
    o.components[0].organizer = Person{"owner@example.com", "Owner"};
    o.components[0].categories.clear();
  });
  const ReadReport report = read();
  EXPECT_EQ(report.edits, 1u);
  ASSERT_EQ(updates().size(), 1u);
  const CalendarObject sent = ical::parse(updates()[0].update.ical).objects.at(0);
  EXPECT_EQ(sent.components[0].summary, "Planning (online)");
  EXPECT_EQ(sent.components[0].status, EventStatus::None);
  EXPECT_FALSE(sent.components[0].organizer) << "no organizer (and no invitations) for the source";
  EXPECT_EQ(sent.components[0].categories, std::vector<std::string>{"Work"});
}

TEST_F(RoundTripTest, AConflictAboutAnEventItsSourceDeletedIsSettled) {
  strategy_ = ConflictStrategy::Manual;
  mirrored(simpleObject("a", kNow, "Planning"));
  send({item(simpleObject("a", kNow, "Planning (source)"))});
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Planning (dest)"; });
  ASSERT_EQ(read().held, 1u);
  send({}, {"a.ics"});
  EXPECT_EQ(write().deleted, 1u);
  EXPECT_EQ(copyOf("a"), nullptr);
  EXPECT_TRUE(db_.roundtrip->conflicts("open", 10).empty());
  const auto settled = db_.roundtrip->conflicts("resolved", 10);
  ASSERT_EQ(settled.size(), 1u);
  EXPECT_EQ(settled[0].resolution, "source_wins");
}

TEST_F(RoundTripTest, WhatADestinationCannotStoreIsNeverTakenForADeletion) {
  destination_.drop_descriptions = true;
  CalendarObject a = simpleObject("a", kNow, "Planning");
  a.components[0].description = "Agenda: budget";
  send({item(a)});
  write();
  EXPECT_EQ(read().edits, 0u) << "our own write, as the server stored it";
  EXPECT_TRUE(updates().empty());
  destination_.edit(copyNativeId("a"), [](CalendarObject& o) { o.components[0].summary = "Planning (online)"; });
  EXPECT_EQ(read().edits, 1u);
  ASSERT_EQ(updates().size(), 1u);
  const CalendarObject sent = ical::parse(updates()[0].update.ical).objects.at(0);
  EXPECT_EQ(sent.components[0].summary, "Planning (online)");
  EXPECT_EQ(sent.components[0].description, "Agenda: budget") << "kept at the source";
}

}  // namespace
}  // namespace calsync::master
