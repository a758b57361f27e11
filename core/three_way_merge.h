// Three-way merge of one calendar object, field by field: what the source and the destination
// each changed since the version both last agreed on (the base) is combined. A field that
// both changed to different values is a conflict, settled by a strategy or left for a person.
// Pure functions on the model, shared by the master (copies) and the agent (routed edits).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace calsync {

enum class ConflictStrategy { SourceWins, DestinationWins, LatestWins, Manual };

const char* toString(ConflictStrategy strategy);
// "source_wins", "destination_wins", "latest_wins", "manual"; nullopt for anything else.
std::optional<ConflictStrategy> conflictStrategyFromString(std::string_view text);

enum class MergeSide { Source, Destination };

// Every version is in the source's form: the source's UID on every component, no origin
// marker. Fields are compared the way calsync hashes them (text with line endings unified,
// times by instant, attendees and categories as sets), so a reformatted value is no change.
struct MergeInput {
  const CalendarObject& base;               // last version both sides agreed on
  // How the destination rendered `base` when it was last read back (a destination drops or
  // rewrites what it cannot store); null = the destination holds `base` as written. The
  // destination's changes are measured against this, so what it cannot store never looks
  // like an edit.
  const CalendarObject* base_rendering = nullptr;
  // The source version an edit routed to the source (and not yet applied there) was based
  // on; null = none in flight. A source field still equal to it has not changed: the edit
  // is on its way. A source field that changed to anything else conflicts with the edit.
  const CalendarObject* route_base = nullptr;
  const CalendarObject& source;
  const CalendarObject& destination;
};

struct MergeResult {
  // The source's object (identity, native id, etag, fields calsync does not merge) with the
  // merged fields.
  CalendarObject merged;
  // Field names: "summary", "start", ...; an overridden occurrence's fields carry its
  // RECURRENCE-ID in UTC ("summary@20260321T090000Z"); "occurrence@..." is an override
  // added or removed as a whole.
  std::vector<std::string> source_changed;
  std::vector<std::string> destination_changed;
  std::vector<std::string> conflicts;       // changed on both sides to different values
  // `merged` has values the destination does not hold yet: write it there.
  bool write_destination = false;
  // `merged` has values the source does not hold yet: send it to the source.
  bool update_source = false;
};

// `winner` settles conflicts. nullopt (manual) keeps the source's values in `merged` and only
// reports the conflicts; the caller must not write it then.
MergeResult threeWayMerge(const MergeInput& input, std::optional<MergeSide> winner);

// The fields that differ between two versions of one object, named as in MergeResult.
std::vector<std::string> changedFields(const CalendarObject& from, const CalendarObject& to);

// How the destination presumably rendered `base`, for a copy first read when it was already
// edited (so its own rendering of our write was never seen). Fields destinations commonly
// fill in or drop (status, transparency, class, organizer, attendees, reminders, categories,
// url) are taken as the destination shows them when either side has no value; all others
// as the base has them. A guess that errs towards "not an edit": a server's additions never
// travel to the source, at the price of missing a person's edit to those fields in that case.
CalendarObject assumedRendering(const CalendarObject& base, const CalendarObject& destination);

// latest_wins: the side whose LAST-MODIFIED is newer. A side's time counts only when it
// differs from the base's (a copy carries the source's LAST-MODIFIED until someone edits
// it with a client that updates it). A side without a time loses to one with a time; with
// neither, or equal times, the source wins.
MergeSide latestSide(const CalendarObject& base, const CalendarObject* base_rendering, const CalendarObject& source,
                     const CalendarObject& destination);

}  // namespace calsync
