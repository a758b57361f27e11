// Internal to store/: the SQLite implementations that share the master store's connection.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <utility>

#include <Poco/Data/Session.h>

#include "store/audit_log.h"
#include "store/auth_store.h"
#include "store/round_trip_store.h"
#include "store/sqlite_database.h"
#include "store/sync_control.h"
#include "store/update_queue.h"

namespace calsync::store::sqlite {

std::unique_ptr<AuthStore> makeAuthStore(std::shared_ptr<Database> db);
std::unique_ptr<UpdateQueue> makeUpdateQueue(std::shared_ptr<Database> db);
std::unique_ptr<AuditLog> makeAuditLog(std::shared_ptr<Database> db);
std::unique_ptr<SyncControl> makeSyncControl(std::shared_ptr<Database> db);

// (source, calendar_id) of the agent's calendars taken out of the sync; ingest skips them.
std::set<std::pair<std::string, std::string>> excludedCalendars(Poco::Data::Session& session,
                                                                const std::string& agent_id);
std::unique_ptr<RoundTripStore> makeRoundTripStore(std::shared_ptr<Database> db);

}  // namespace calsync::store::sqlite
