// Small RAII wrappers over the sqlite3 C API for the read-only index reader: a connection
// and a prepared statement. Errors carry SQLite's primary result code so the caller can tell
// "locked, try a copy" from "not an Outlook database".
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace calsync::olk15 {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }             // extended result code
  int primary() const { return code_ & 0xFF; }
  bool busy() const { return primary() == SQLITE_BUSY || primary() == SQLITE_LOCKED; }

 private:
  int code_;
};

class SqliteDb {
 public:
  // `uri` is a file: URI; `flags` as for sqlite3_open_v2 (SQLITE_OPEN_URI is added).
  SqliteDb(const std::string& uri, int flags);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  sqlite3* get() const { return db_; }
  void exec(const std::string& sql);
  // The first column of the first row as an integer (PRAGMA user_version and the like).
  std::int64_t scalar(const std::string& sql);
  [[noreturn]] void fail(int rc, const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStatement {
 public:
  SqliteStatement(SqliteDb& db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // True while a row is available.
  bool step();
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  // Text or blob bytes as they are stored.
  std::string text(int column) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// A file: URI for `path`, with `query` ("mode=ro") appended; '%', '?' and '#' are escaped.
std::string sqliteUri(const std::string& path, const std::string& query);

}  // namespace calsync::olk15
