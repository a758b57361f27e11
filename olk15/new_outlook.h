// Recognises a profile that New Outlook has taken over (olk15-format.md §8): New Outlook keeps
// its data in HxStore.hxd at the profile root and stops writing the legacy store, which stays
// behind empty or frozen. Reading such a store would sync stale data, so the connector
// reports this state as one clear error instead.
#pragma once

#include <cstdint>
#include <string>

#include "olk15/profiles.h"

namespace calsync::olk15 {

struct StoreTimes {
  bool hxstore = false;              // HxStore.hxd exists next to Data/
  std::int64_t hxstore_mtime = 0;    // epoch seconds
  std::int64_t legacy_mtime = 0;     // newest of Outlook.sqlite and its -wal, epoch seconds
};

StoreTimes storeTimes(const Profile& profile);

// The explanation to show when New Outlook has taken the profile over, or "" when the legacy
// store is the live one. `legacy_events` counts the legacy store's events; `newest_file` is
// the newest event file mtime seen (0 when unknown). The legacy store counts as stale when
// HxStore.hxd is newer than it by more than `stale_after_seconds`.
std::string newOutlookVerdict(const Profile& profile, const StoreTimes& times, std::size_t legacy_events,
                              std::int64_t newest_file, std::int64_t stale_after_seconds);

}  // namespace calsync::olk15
