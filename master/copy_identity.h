// How a source object's copy in the destination is named and marked. Both are derived from
// the provenance alone, so a writer that lost its mapping finds the same copy again.
#pragma once

#include <optional>
#include <string>

#include "store/master_store.h"

namespace calsync::master {

// "calsync-" + 32 hex digits of SHA-256 over agent, source, calendar and UID.
std::string copyUid(const store::ObjectKey& key, const std::string& uid);

// "calsync:AGENT/SOURCE/CALENDAR/UID" with each part percent-encoded; written as
// X-CALSYNC-ORIGIN on every copy.
std::string originMarker(const store::ObjectKey& key, const std::string& uid);

}  // namespace calsync::master
