// Free/busy from the store: which occurrences make someone busy, and how overlapping busy
// times merge into one list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/event.h"
#include "store/master_store.h"

namespace calsync::master {

// Ordered by weight: where intervals overlap, the heavier status wins.
enum class BusyStatus { Tentative = 0, Busy = 1, OutOfOffice = 2 };
const char* toString(BusyStatus status);

struct BusyInterval {
  std::int64_t start_utc = 0;
  std::int64_t end_utc = 0;   // exclusive
  BusyStatus status = BusyStatus::Busy;
  bool operator==(const BusyInterval&) const = default;
};

// How an event blocks time; nullopt when it does not (cancelled, TRANSP:TRANSPARENT, or
// Outlook's busy status FREE / WORKINGELSEWHERE). Outlook's X-MICROSOFT-CDO-BUSYSTATUS wins
// over STATUS:TENTATIVE when both are present, as Outlook shows it.
std::optional<BusyStatus> busyStatusOf(const Event& event);

// Sorted, non-overlapping intervals: overlaps are split where the status changes and
// adjacent pieces of equal status are joined.
std::vector<BusyInterval> mergeBusy(std::vector<BusyInterval> intervals);

struct FreeBusyResult {
  std::vector<BusyInterval> busy;
  bool too_many = false;          // more than `limit` occurrences: the answer would be partial
};

// Busy time in [from, to) from every active object, or only those of `calendars` (public
// cal_ ids) when it is not empty. Series are expanded; intervals are clipped to the range.
FreeBusyResult freeBusy(store::MasterStore& store, std::int64_t from, std::int64_t to,
                        const std::set<std::string>& calendars, std::size_t limit);

}  // namespace calsync::master
