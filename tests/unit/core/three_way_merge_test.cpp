#include "core/three_way_merge.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace calsync {
namespace {

constexpr std::int64_t kStart = 1790000000;  // 2026-09-21T...Z
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

Event event(const std::string& summary, std::int64_t start = kStart) {
  Event e;
  e.uid = "src-uid";
  e.summary = summary;
  e.start = epochToUtc(start);
  e.end = epochToUtc(start + kHour);
  return e;
}

CalendarObject object(std::vector<Event> components) {
  CalendarObject o;
  o.uid = "src-uid";
  o.native_id = "/cal/src-uid.ics";
  o.etag = "\"7\"";
  o.components = std::move(components);
  return o;
}

CalendarObject single(const std::string& summary) { return object({event(summary)}); }

Event override(const std::string& summary, std::int64_t occurrence, std::int64_t moved_to) {
  Event e = event(summary, moved_to);
  e.recurrence_id = epochToUtc(occurrence);
  return e;
}

CalendarObject weekly(std::vector<Event> overrides = {}) {
  Event master = event("Stand-up");
  master.recurrence.rrule = "FREQ=WEEKLY;COUNT=8";
  std::vector<Event> all{master};
  for (auto& o : overrides) all.push_back(std::move(o));
  return object(std::move(all));
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

MergeResult merge(const CalendarObject& base, const CalendarObject& source, const CalendarObject& destination,
                  std::optional<MergeSide> winner = std::nullopt) {
  return threeWayMerge({base, nullptr, nullptr, source, destination}, winner);
}

TEST(ThreeWayMerge, FieldsChangedOnOneSideEachAreCombined) {
  CalendarObject base = single("Planning");
  base.components[0].location = "Room 1";
  CalendarObject source = base;
  source.components[0].location = "Room 2";          // the source moved rooms
  CalendarObject destination = base;
  destination.components[0].summary = "Planning Q3";  // the destination renamed it

  const MergeResult r = merge(base, source, destination);
  EXPECT_TRUE(r.conflicts.empty());
  ASSERT_EQ(r.merged.components.size(), 1u);
  EXPECT_EQ(r.merged.components[0].summary, "Planning Q3");
  EXPECT_EQ(r.merged.components[0].location, "Room 2");
  EXPECT_TRUE(r.write_destination) << "the destination lacks the new room";
  EXPECT_TRUE(r.update_source) << "the source lacks the new title";
  EXPECT_EQ(r.source_changed, std::vector<std::string>{"location"});
  EXPECT_EQ(r.destination_changed, std::vector<std::string>{"summary"});
  // The merged object is the source's: its identity survives.
  EXPECT_EQ(r.merged.native_id, "/cal/src-uid.ics");
  EXPECT_EQ(r.merged.etag, "\"7\"");
  EXPECT_EQ(r.merged.components[0].uid, "src-uid");
}

TEST(ThreeWayMerge, AnEditOnlyAtTheDestinationGoesToTheSourceOnly) {
  const CalendarObject base = single("Planning");
  CalendarObject destination = base;
  destination.components[0].summary = "Planning (moved online)";
  const MergeResult r = merge(base, base, destination);
  EXPECT_TRUE(r.update_source);
  EXPECT_FALSE(r.write_destination);
  EXPECT_EQ(r.merged.components[0].summary, "Planning (moved online)");
}

TEST(ThreeWayMerge, TheSameFieldChangedDifferentlyIsAConflictSettledByTheWinner) {
  const CalendarObject base = single("Planning");
  CalendarObject source = base, destination = base;
  source.components[0].summary = "From the source";
  destination.components[0].summary = "From the destination";

  const MergeResult manual = merge(base, source, destination);
  EXPECT_EQ(manual.conflicts, std::vector<std::string>{"summary"});

  const MergeResult source_wins = merge(base, source, destination, MergeSide::Source);
  EXPECT_EQ(source_wins.merged.components[0].summary, "From the source");
  EXPECT_TRUE(source_wins.write_destination);
  EXPECT_FALSE(source_wins.update_source);

  const MergeResult destination_wins = merge(base, source, destination, MergeSide::Destination);
  EXPECT_EQ(destination_wins.merged.components[0].summary, "From the destination");
  EXPECT_TRUE(destination_wins.update_source);
  EXPECT_FALSE(destination_wins.write_destination);
}

TEST(ThreeWayMerge, BothSidesMakingTheSameChangeIsNoConflict) {
  const CalendarObject base = single("Planning");
  CalendarObject source = base, destination = base;
  source.components[0].summary = destination.components[0].summary = "Same";
  const MergeResult r = merge(base, source, destination);
  EXPECT_TRUE(r.conflicts.empty());
  EXPECT_FALSE(r.write_destination);
  EXPECT_FALSE(r.update_source);
}

TEST(ThreeWayMerge, AFieldDeletedOnOneSideIsDeletedInTheMerge) {
  CalendarObject base = single("Planning");
  base.components[0].location = "Room 1";
  base.components[0].description = "Agenda";
  CalendarObject source = base, destination = base;
  destination.components[0].location.clear();          // removed at the destination
  source.components[0].description.clear();            // removed at the source
  const MergeResult r = merge(base, source, destination);
  EXPECT_TRUE(r.conflicts.empty());
  EXPECT_EQ(r.merged.components[0].location, "");
  EXPECT_EQ(r.merged.components[0].description, "");
  EXPECT_TRUE(r.update_source);
  EXPECT_TRUE(r.write_destination);
}

TEST(ThreeWayMerge, ReformattedTextAndTimesAreNoChange) {
  CalendarObject base = single("Planning");
  base.components[0].description = "line one\nline two";
  CalendarObject destination = base;
  destination.components[0].description = "line one\r\nline two  \r\n";   // CRLF, padding
  // Same instant, written in another zone.
  DateTime berlin;
  berlin.year = 2026, berlin.month = base.components[0].start.month, berlin.day = base.components[0].start.day;
  berlin.hour = base.components[0].start.hour + 2, berlin.minute = base.components[0].start.minute;
  berlin.second = base.components[0].start.second;
  berlin.tzid = "Europe/Berlin";
  berlin.utc = base.components[0].start.utc;
  destination.components[0].start = berlin;
  EXPECT_TRUE(changedFields(base, destination).empty());
  const MergeResult r = merge(base, base, destination);
  EXPECT_FALSE(r.update_source);
  EXPECT_FALSE(r.write_destination);
}

TEST(ThreeWayMerge, AllDayAndTimedAreDifferentStarts) {
  const CalendarObject base = single("Offsite");
  CalendarObject destination = base;
  DateTime day = base.components[0].start;
  day.is_date = true;
  day.hour = day.minute = day.second = 0;
  day.tzid.clear();
  DateTime next = day;
  next.day += 1;
  destination.components[0].start = day;
  destination.components[0].end = next;
  const auto changed = changedFields(base, destination);
  EXPECT_TRUE(has(changed, "start"));
  EXPECT_TRUE(has(changed, "end"));
  const MergeResult r = merge(base, base, destination);
  EXPECT_TRUE(r.merged.components[0].isAllDay());
  EXPECT_TRUE(r.update_source);
}

TEST(ThreeWayMerge, WhatTheDestinationCannotStoreIsNoEdit) {
  // The source has categories and a reminder; the destination drops them when it stores
  // the copy. Measured against its own rendering, only the real edit is one.
  CalendarObject base = single("Planning");
  base.components[0].categories = {"Work"};
  base.components[0].reminders = {Reminder{-900, false, "DISPLAY", "soon"}};
  CalendarObject rendering = base;
  rendering.components[0].categories.clear();
  rendering.components[0].reminders.clear();
  CalendarObject destination = rendering;
  destination.components[0].summary = "Planning!";

  const MergeResult r = threeWayMerge({base, &rendering, nullptr, base, destination}, std::nullopt);
  EXPECT_EQ(r.destination_changed, std::vector<std::string>{"summary"});
  EXPECT_EQ(r.merged.components[0].categories, std::vector<std::string>{"Work"}) << "kept, not deleted";
  EXPECT_EQ(r.merged.components[0].reminders.size(), 1u);
  EXPECT_EQ(r.merged.components[0].summary, "Planning!");
}

TEST(ThreeWayMerge, ARoutedEditInFlightIsNotUndoneByTheOldSourceVersion) {
  // The destination renamed the event; the merged version went to the source but has not
  // been applied yet. Meanwhile the source changed its location.
  const CalendarObject route_base = single("Planning");
  CalendarObject base = route_base;
  base.components[0].summary = "Planning (renamed)";
  CalendarObject source = route_base;
  source.components[0].location = "Room 9";
  const MergeResult r = threeWayMerge({base, nullptr, &route_base, source, base}, std::nullopt);
  EXPECT_TRUE(r.conflicts.empty());
  EXPECT_EQ(r.merged.components[0].summary, "Planning (renamed)") << "the edit in flight stays";
  EXPECT_EQ(r.merged.components[0].location, "Room 9");
  EXPECT_TRUE(r.write_destination);
  EXPECT_FALSE(r.update_source) << "the rename is already on its way";

  // Once applied, the source echoes the merged version: nothing to do anywhere.
  CalendarObject echoed = base;
  const MergeResult echo = threeWayMerge({base, nullptr, nullptr, echoed, base}, std::nullopt);
  EXPECT_FALSE(echo.write_destination);
  EXPECT_FALSE(echo.update_source);
}

TEST(ThreeWayMerge, RecurrenceOverridesMergePerOccurrence) {
  const std::int64_t second = kStart + 7 * kDay;
  const std::int64_t third = kStart + 14 * kDay;
  const CalendarObject base = weekly({override("Stand-up (moved)", second, second + kDay)});
  // The destination renames the moved occurrence and cancels the third one (EXDATE).
  CalendarObject destination = base;
  destination.components[1].summary = "Stand-up (moved, room B)";
  destination.components[0].recurrence.exdates.push_back(epochToUtc(third));
  // The source renames the series and cancels the fourth one.
  CalendarObject source = base;
  source.components[0].summary = "Daily";
  source.components[0].recurrence.exdates.push_back(epochToUtc(kStart + 21 * kDay));

  const MergeResult r = merge(base, source, destination);
  EXPECT_TRUE(r.conflicts.empty());
  ASSERT_EQ(r.merged.components.size(), 2u);
  EXPECT_FALSE(r.merged.components[0].recurrence_id) << "the master comes first";
  EXPECT_EQ(r.merged.components[0].summary, "Daily");
  EXPECT_EQ(r.merged.components[0].recurrence.exdates.size(), 2u) << "both cancellations stay";
  EXPECT_EQ(r.merged.components[1].summary, "Stand-up (moved, room B)");
  EXPECT_TRUE(has(r.destination_changed, "summary@" + epochToUtc(second).toIcalValue()));
  EXPECT_TRUE(has(r.destination_changed, "exdates"));
}

TEST(ThreeWayMerge, AnOccurrenceMovedAtTheDestinationAddsAnOverride) {
  const std::int64_t second = kStart + 7 * kDay;
  const CalendarObject base = weekly();
  CalendarObject destination = base;
  destination.components.push_back(override("Stand-up", second, second + 2 * kHour));
  destination.components[1].uid = "src-uid";
  const MergeResult r = merge(base, base, destination);
  ASSERT_EQ(r.merged.components.size(), 2u);
  EXPECT_EQ(r.merged.components[1].start.utc, second + 2 * kHour);
  EXPECT_EQ(r.merged.components[1].uid, "src-uid");
  EXPECT_TRUE(r.update_source);
  EXPECT_TRUE(has(r.destination_changed, "occurrence@" + epochToUtc(second).toIcalValue()));
}

TEST(ThreeWayMerge, AnOverrideRemovedOnOneSideAndEditedOnTheOtherConflicts) {
  const std::int64_t second = kStart + 7 * kDay;
  const CalendarObject base = weekly({override("Moved", second, second + kDay)});
  CalendarObject source = weekly();                 // the source dropped the override
  CalendarObject destination = base;
  destination.components[1].summary = "Moved and renamed";
  const MergeResult manual = merge(base, source, destination);
  EXPECT_EQ(manual.conflicts, std::vector<std::string>{"occurrence@" + epochToUtc(second).toIcalValue()});
  const MergeResult keep = merge(base, source, destination, MergeSide::Destination);
  ASSERT_EQ(keep.merged.components.size(), 2u);
  EXPECT_EQ(keep.merged.components[1].summary, "Moved and renamed");
  EXPECT_TRUE(keep.update_source);
  const MergeResult drop = merge(base, source, destination, MergeSide::Source);
  EXPECT_EQ(drop.merged.components.size(), 1u);
  EXPECT_TRUE(drop.write_destination);
}

TEST(ThreeWayMerge, LatestWinsComparesOnlyTimesThatMoved) {
  CalendarObject base = single("x");
  base.components[0].last_modified = epochToUtc(kStart - kDay);
  CalendarObject source = base, destination = base;
  source.components[0].last_modified = epochToUtc(kStart);
  destination.components[0].last_modified = epochToUtc(kStart + 60);
  EXPECT_EQ(latestSide(base, nullptr, source, destination), MergeSide::Destination);
  destination.components[0].last_modified = epochToUtc(kStart - 60);
  EXPECT_EQ(latestSide(base, nullptr, source, destination), MergeSide::Source);
  // The destination kept the base's time (its client did not update it): it counts as none.
  destination.components[0].last_modified = base.components[0].last_modified;
  EXPECT_EQ(latestSide(base, nullptr, source, destination), MergeSide::Source);
  // Only the destination has a new time: it wins.
  source.components[0].last_modified = base.components[0].last_modified;
  destination.components[0].last_modified = epochToUtc(kStart - 3600);
  EXPECT_EQ(latestSide(base, nullptr, source, destination), MergeSide::Destination);
  // Neither: the source.
  source.components[0].last_modified.reset();
  destination.components[0].last_modified.reset();
  EXPECT_EQ(latestSide(base, nullptr, source, destination), MergeSide::Source);
}

TEST(ThreeWayMerge, ASourceChangeToAFieldWhoseEditIsInFlightConflicts) {
  const CalendarObject route_base = single("Planning");
  CalendarObject base = route_base;
  base.components[0].summary = "Planning (destination)";   // routed, not applied yet
  CalendarObject source = route_base;
  source.components[0].summary = "Planning (source)";      // changed at the source meanwhile
  const MergeInput in{base, nullptr, &route_base, source, base};
  EXPECT_EQ(threeWayMerge(in, std::nullopt).conflicts, std::vector<std::string>{"summary"});
  const MergeResult source_wins = threeWayMerge(in, MergeSide::Source);
  EXPECT_EQ(source_wins.merged.components[0].summary, "Planning (source)");
  EXPECT_TRUE(source_wins.write_destination);
  EXPECT_FALSE(source_wins.update_source);
  const MergeResult destination_wins = threeWayMerge(in, MergeSide::Destination);
  EXPECT_EQ(destination_wins.merged.components[0].summary, "Planning (destination)");
  EXPECT_TRUE(destination_wins.update_source) << "the source kept its own value: send the edit again";
  EXPECT_FALSE(destination_wins.write_destination);
}

TEST(ThreeWayMerge, AnAssumedRenderingTakesWhatServersFillInOrDrop) {
  CalendarObject base = single("Planning");
  base.components[0].categories = {"Work"};
  base.components[0].location = "Room 1";
  CalendarObject seen = base;
  seen.components[0].status = EventStatus::Confirmed;         // filled in
  seen.components[0].organizer = Person{"owner@example.com", ""};
  seen.components[0].categories.clear();                      // dropped
  seen.components[0].location.clear();                        // a person's edit
  seen.components[0].summary = "Planning!";                   // a person's edit
  const CalendarObject rendering = assumedRendering(base, seen);
  std::vector<std::string> changed = changedFields(rendering, seen);
  std::sort(changed.begin(), changed.end());
  EXPECT_EQ(changed, (std::vector<std::string>{"location", "summary"}));
  // A status a person changed from one value to another is still an edit.
  CalendarObject tentative = base;
  tentative.components[0].status = EventStatus::Confirmed;
  CalendarObject edited = tentative;
  edited.components[0].status = EventStatus::Tentative;
  EXPECT_EQ(changedFields(assumedRendering(tentative, edited), edited), std::vector<std::string>{"status"});
}

TEST(ThreeWayMerge, StrategyNamesRoundTrip) {
  for (auto s : {ConflictStrategy::SourceWins, ConflictStrategy::DestinationWins, ConflictStrategy::LatestWins,
                 ConflictStrategy::Manual}) {
    EXPECT_EQ(conflictStrategyFromString(toString(s)), s);
  }
  EXPECT_FALSE(conflictStrategyFromString("inherit"));
  EXPECT_FALSE(conflictStrategyFromString(""));
}

}  // namespace
}  // namespace calsync
