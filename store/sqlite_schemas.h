// Internal to store/: the schema history of each SQLite database, oldest step first.
// Append new steps; never edit one that has shipped.
#pragma once

#include <vector>

#include "store/sqlite_database.h"

namespace calsync::store::sqlite {

const std::vector<Migration>& masterStoreMigrations();
const std::vector<Migration>& agentStateMigrations();

}  // namespace calsync::store::sqlite
