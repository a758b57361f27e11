// Internal to store/: the SQLite implementations that share the master store's connection.
#pragma once

#include <memory>

#include "store/audit_log.h"
#include "store/auth_store.h"
#include "store/round_trip_store.h"
#include "store/sqlite_database.h"
#include "store/update_queue.h"

namespace calsync::store::sqlite {

std::unique_ptr<AuthStore> makeAuthStore(std::shared_ptr<Database> db);
std::unique_ptr<UpdateQueue> makeUpdateQueue(std::shared_ptr<Database> db);
std::unique_ptr<AuditLog> makeAuditLog(std::shared_ptr<Database> db);
std::unique_ptr<RoundTripStore> makeRoundTripStore(std::shared_ptr<Database> db);

}  // namespace calsync::store::sqlite
