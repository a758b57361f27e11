#include "store/sqlite_database.h"

#include <chrono>
#include <filesystem>
#include <system_error>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>

#include "core/log.h"
#include "store/store_error.h"

namespace calsync::store::sqlite {

using namespace Poco::Data::Keywords;

namespace {

constexpr std::string_view kLogComponent = "store";
constexpr int kBusyTimeoutMilliseconds = 10000;

std::string describeCurrentException() {
  try {
    throw;
  } catch (const Poco::Exception& e) {
    return e.displayText();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

Poco::Data::Session openSession(const std::string& kind, const std::string& path) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  try {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    return Poco::Data::Session(Poco::Data::SQLite::Connector::KEY, path);
  } catch (...) {
    throw StoreError(kind + " " + path + ": cannot open: " + describeCurrentException());
  }
}

int userVersion(Poco::Data::Session& session) {
  int version = 0;
  session << "PRAGMA user_version", into(version), now;
  return version;
}

}  // namespace

Database::Database(std::string kind, const std::string& path, const std::vector<Migration>& migrations)
    : kind_(std::move(kind)), path_(path), session_(openSession(kind_, path)) {
  run("open", [&](Poco::Data::Session&) {
    configure();
    migrate(migrations);
  });
}

void Database::configure() {
  // busy_timeout first, so switching the journal mode waits for another connection's lock.
  session_ << "PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMilliseconds), now;
  std::string journal_mode;
  session_ << "PRAGMA journal_mode = WAL", into(journal_mode), now;
  if (journal_mode != "wal") {
    // Still durable (synchronous=FULL covers the rollback journal too), only less concurrent.
    log::warn(kLogComponent, kind_ + " " + path_ + ": WAL unavailable, journal mode is " + journal_mode);
  }
  // FULL: the WAL is synced at every commit, so an acknowledged write survives power loss.
  session_ << "PRAGMA synchronous = FULL", now;
  session_ << "PRAGMA foreign_keys = ON", now;
}

void Database::migrate(const std::vector<Migration>& migrations) {
  const int known = static_cast<int>(migrations.size());
  const int found = userVersion(session_);
  if (found > known) {
    throw StoreError("schema version " + std::to_string(found) + " is newer than this calsync knows (" +
                     std::to_string(known) + "); refusing to open it. Upgrade calsync or use a matching backup");
  }
  for (int version = found; version < known; ++version) {
    Transaction transaction(session_);
    migrations[static_cast<std::size_t>(version)](session_);
    // PRAGMA takes no bound parameters; the value is our own integer.
    session_ << "PRAGMA user_version = " + std::to_string(version + 1), now;
    transaction.commit();
    log::info(kLogComponent, kind_ + " " + path_ + ": migrated to schema version " + std::to_string(version + 1));
  }
}

void Database::rethrowAsStoreError(std::string_view what) const {
  throw StoreError(kind_ + " " + path_ + ": " + std::string(what) + ": " + describeCurrentException());
}

Transaction::Transaction(Poco::Data::Session& session) : session_(session) {
  session_ << "BEGIN IMMEDIATE", now;
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    session_ << "ROLLBACK", now;
  } catch (...) {
    // SQLite may already have rolled back on its own (e.g. after an I/O error); the caller
    // is unwinding with the original error, which is the one worth reporting.
    log::warn(kLogComponent, "rollback failed: " + describeCurrentException());
  }
}

void Transaction::commit() {
  session_ << "COMMIT", now;
  open_ = false;
}

std::int64_t nowEpochSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t lastInsertRowId(Poco::Data::Session& session) {
  std::int64_t id = 0;
  session << "SELECT last_insert_rowid()", into(id), now;
  return id;
}

}  // namespace calsync::store::sqlite
