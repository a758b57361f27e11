// Internal to store/: how DestinationCopy maps to rows of `destination_copies`, both ways,
// shared by the master store and the round-trip store.
#pragma once

#include <string>
#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "store/master_store.h"

namespace calsync::store::sqlite {

// Selected columns, no table alias, in the order fetchCopies reads them.
inline constexpr const char* kCopyColumns =
    "agent_id, source, calendar_id, native_id, copy_uid, dest_calendar, dest_native_id, dest_etag, written_hash, "
    "base_ical, base_rendering, dest_ical, route_base, routed_update_id, dest_deleted";

// Executes a statement that selects kCopyColumns (SQL and parameters already set).
std::vector<DestinationCopy> fetchCopies(Poco::Data::Statement& statement);

// Inserts the copy or replaces every column of the existing row.
void writeCopyRow(Poco::Data::Session& session, const DestinationCopy& copy);

}  // namespace calsync::store::sqlite
