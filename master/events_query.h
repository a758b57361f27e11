// Answers "what happens between A and B" from the master store, with recurring series
// expanded into their occurrences.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "store/master_store.h"

namespace calsync::master {

struct OccurrenceView {
  store::ObjectKey key;
  std::string calendar_name;
  std::string uid;
  std::optional<DateTime> recurrence_id;
  Event event;                  // the master or override that defines this occurrence
  DateTime start;
  DateTime end;
  std::int64_t start_utc = 0;
  std::int64_t end_utc = 0;
};

struct EventsResult {
  std::vector<OccurrenceView> occurrences;  // sorted by start
  bool truncated = false;                   // more than `limit` occurrences matched
  std::size_t unreadable = 0;               // stored objects that failed to parse (logged)
};

EventsResult queryEvents(store::MasterStore& store, std::int64_t from_utc, std::int64_t to_utc, std::size_t limit);

// "2026-03-01T09:00:00Z", "2026-03-01T09:00:00+01:00", "2026-03-01T09:00:00.000Z", "2026-03-01".
std::optional<std::int64_t> parseIsoInstant(const std::string& text);
// "2026-03-01T08:00:00Z"
std::string formatIsoUtc(std::int64_t epoch_seconds);

}  // namespace calsync::master
