// Internal to store/: one SQLite connection set up the way every calsync database needs it
// (WAL, synchronous=FULL, foreign keys, busy timeout) and brought to its current schema by
// an ordered list of migrations. Not part of the store's public interface.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Data/Session.h>

namespace calsync::store::sqlite {

// One step of a schema's history. Step i takes the database from version i to i+1; it runs
// inside its own transaction together with the version bump, so a crash mid-migration
// leaves the previous version intact.
using Migration = std::function<void(Poco::Data::Session&)>;

class Database {
 public:
  // `kind` names the database in errors ("master store", "agent state"). Creates parent
  // directories and the file as needed, then migrates. Throws StoreError naming the file.
  Database(std::string kind, const std::string& path, const std::vector<Migration>& migrations);

  // Runs `work(session)` under the connection's mutex, turning any failure into a
  // StoreError that names the file and `what`. One connection, one mutex: calls from the
  // sync thread and the HTTP thread simply take turns.
  template <class Work>
  auto run(std::string_view what, Work&& work) -> decltype(work(std::declval<Poco::Data::Session&>())) {
    std::lock_guard lock(mutex_);
    try {
      return work(session_);
    } catch (...) {
      rethrowAsStoreError(what);
    }
  }

  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void rethrowAsStoreError(std::string_view what) const;
  void configure();
  void migrate(const std::vector<Migration>& migrations);

  std::string kind_;
  std::string path_;
  std::mutex mutex_;
  Poco::Data::Session session_;
};

// BEGIN IMMEDIATE on construction (the write lock is taken up front, so a transaction never
// fails half-way for lack of it), ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Poco::Data::Session& session);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Poco::Data::Session& session_;
  bool open_ = true;
};

std::int64_t nowEpochSeconds();
std::int64_t lastInsertRowId(Poco::Data::Session& session);

}  // namespace calsync::store::sqlite
