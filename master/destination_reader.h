// Reads the destination calendar for edits people made to calsync's copies there, and hands
// each to the copy reconciler, which sends it on to the source that owns the event.
//
// Incremental: the connector's cursor is kept in the master store; a cursor the server no
// longer accepts makes the connector list everything again. Only a complete listing lets
// absence mean "deleted", and an empty complete listing while copies are known is not
// trusted. A copy written since the last read must show up in the next incremental one; one
// that does not is looked up by UID, and counts as deleted only when the destination
// positively says it has no such event. Events calsync did not write (no origin marker of ours, no copy record) are
// never looked at twice. A copy whose etag is the one we wrote is our own write: the
// destination's rendering of it is noted, so a server that merely reformats is never taken
// for an editor.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/connector.h"
#include "master/copy_reconciler.h"

namespace calsync::master {

struct ReadReport {
  std::size_t seen = 0;          // objects the pull returned
  std::size_t foreign = 0;       // events calsync did not write, left alone
  std::size_t edits = 0;         // copies edited at the destination
  std::size_t deletions = 0;     // copies deleted at the destination
  std::size_t routed = 0;        // edits and deletions sent to sources
  std::size_t held = 0;          // conflicts waiting for a person
  std::size_t failed = 0;        // copies whose edit could not be merged now (kept for the next pass)
  bool complete = false;         // the pull was a complete listing
  bool deletions_held = false;   // an empty complete listing was not trusted
  std::string first_error;
};

// A complete listing that comes back empty while this many copies or more are known is not
// taken to mean "everything was deleted".
inline constexpr std::size_t kEmptyDestinationGuard = 5;

class DestinationReader {
 public:
  DestinationReader(RoundTripContext& context, Window window) : ctx_(context), window_(window) {}
  // One pull and what follows from it. Connection-level errors (and a failed pull) throw
  // ConnectorError; the cursor then stays where it was.
  ReadReport run(const std::function<bool()>& stop_requested);

 private:
  void upserted(const CalendarObject& object, ReadReport& report);
  void deleted(const std::string& native_id, ReadReport& report);
  void count(CopyReconciler::Outcome outcome, ReadReport& report);

  RoundTripContext& ctx_;
  Window window_;
};

}  // namespace calsync::master
