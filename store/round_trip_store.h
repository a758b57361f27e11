// What the master keeps for the destination round trip beyond the copies themselves: the
// destination's read cursor, lookups of copies by where they live, conflicts waiting for a
// person, and each source's conflict strategy. Shares the master store's connection; every
// method is one transaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/master_store.h"

namespace calsync::store {

// A change made at both ends that the configured strategy left to a person (manual).
struct ConflictRecord {
  std::string id;                 // "cfl_" + 16 hex digits
  ObjectKey key;
  std::string uid;                // the source's UID
  std::string status = "open";    // "open" | "resolved"
  std::int64_t detected_at = 0;
  std::int64_t resolved_at = 0;
  std::string resolved_by;        // the API caller ("admin")
  std::vector<std::string> fields;
  std::string resolution;         // "" | "source_wins" | "destination_wins" | "merged"
  // iCalendar, every one in the source's form (source UID, no origin marker).
  std::string base_ical;
  std::string base_rendering;     // how the destination rendered the base; empty = unknown
  std::string source_ical;
  std::string destination_ical;
  std::string destination_etag;   // of the destination version above
  std::string resolved_ical;      // the version both sides get
  bool applied = false;           // the resolution reached the destination and the source's queue
};

// Where a copy lives in the destination, for inferring deletions from a complete listing.
struct CopyLocation {
  ObjectKey key;
  std::string dest_native_id;
};

class RoundTripStore {
 public:
  virtual ~RoundTripStore() = default;

  // The destination calendar's read cursor; empty = none (read everything).
  virtual std::string destinationCursor(const std::string& dest_calendar) = 0;
  virtual void setDestinationCursor(const std::string& dest_calendar, const std::string& cursor) = 0;

  virtual std::optional<DestinationCopy> copyByUid(const std::string& dest_calendar, const std::string& copy_uid) = 0;
  virtual std::optional<DestinationCopy> copyAt(const std::string& dest_calendar, const std::string& dest_native_id) = 0;
  virtual std::optional<DestinationCopy> copyByRoutedUpdate(std::int64_t update_id) = 0;
  virtual std::vector<CopyLocation> copyLocations(const std::string& dest_calendar) = 0;
  // Copies written since the destination was last read (their rendering is not known yet),
  // with no edit or deletion of theirs pending.
  virtual std::vector<DestinationCopy> unobservedCopies(const std::string& dest_calendar) = 0;
  // Records what the round trip learned about a copy (base, rendering, etag, edits in flight)
  // without journaling a write; `journal` is appended in the same transaction when given.
  virtual void updateCopyState(const DestinationCopy& copy, const JournalEntry* journal) = 0;

  // Stores a new open conflict for the object, or refreshes the one already open (same id),
  // and returns its id.
  virtual std::string openConflict(const ConflictRecord& conflict) = 0;
  virtual std::optional<ConflictRecord> conflict(const std::string& id) = 0;
  virtual std::optional<ConflictRecord> openConflictFor(const ObjectKey& key) = 0;
  // Newest first. `status`: "open", "resolved" or "all".
  virtual std::vector<ConflictRecord> conflicts(const std::string& status, std::size_t limit) = 0;
  // Open -> resolved with the version both sides get. False when it is not open.
  virtual bool resolveConflict(const std::string& id, const std::string& resolution, const std::string& resolved_ical,
                               const std::string& actor, std::int64_t at) = 0;
  // Resolved conflicts whose resolution the destination writer has not applied yet, oldest first.
  virtual std::vector<ConflictRecord> unappliedResolutions(std::size_t limit) = 0;
  virtual void markConflictApplied(const std::string& id) = 0;
  // The destination changed again before a resolution could be applied: open again with
  // the new destination version, for a person to look at once more.
  virtual void reopenConflict(const std::string& id, const std::string& destination_ical,
                              const std::string& destination_etag) = 0;

  // Objects whose copy the writer leaves alone for now: an open conflict, or a deletion made
  // at the destination on its way to the source (GET /sync/plan shows them as held).
  virtual std::vector<StoredObject> heldObjects(std::size_t limit) = 0;

  // The conflict strategy a source asked for ("inherit" = the master's).
  virtual void setSourcePolicy(const std::string& agent_id, const std::string& source,
                               const std::string& conflict_resolution) = 0;
  virtual std::string sourcePolicy(const std::string& agent_id, const std::string& source) = 0;
};

}  // namespace calsync::store
