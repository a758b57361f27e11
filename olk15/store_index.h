// Reads the Outlook.sqlite index of a profile (olk15-format.md §4): read-only with
// query_only and a busy timeout, never immutable=1 on the live file, never the Files virtual
// table. When Outlook holds the database locked, the listing comes from a consistent copy
// (database, -wal and -shm copied until stable, checkpointed in the copy).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "olk15/store_listing.h"

namespace calsync::olk15 {

struct IndexOptions {
  int busy_timeout_ms = 2000;
  std::filesystem::path scratch_dir;   // where a copy of a locked database is made
};

// The index is missing or is not an Outlook database this reader understands: the caller
// falls back to reading the event files directly. what() says why.
class IndexUnusable : public std::runtime_error {
 public:
  explicit IndexUnusable(const std::string& why) : std::runtime_error(why) {}
};

// The schema version this reader was built against (16.103.2: 0x260000, schema 38).
inline constexpr std::int64_t kKnownSchemaVersion = 0x260000;

// Lists the calendars and event rows. Throws IndexUnusable (read the files instead),
// ConnectorError(Permission) when the file cannot be read (Full Disk Access on macOS), or
// ConnectorError(Throttled) when the database stays locked and no stable copy could be made.
StoreListing readIndex(const std::filesystem::path& data_dir, const IndexOptions& options);

// The name Outlook gives special folders that are no calendar (Deleted Items, Junk,
// temporary items) and the scaffolding rows New Outlook leaves: events there are not synced.
bool isExcludedFolder(int special_type, const std::string& name);

}  // namespace calsync::olk15
