#include "olk15/store_index.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <system_error>

#include "core/errors.h"
#include "core/log.h"
#include "olk15/data_path.h"
#include "olk15/sqlite_handle.h"

namespace calsync::olk15 {
namespace {

namespace fs = std::filesystem;
constexpr const char* kLog = "olk15";

std::set<std::string> columnsOf(SqliteDb& db, const std::string& table) {
  std::set<std::string> out;
  SqliteStatement s(db, "PRAGMA table_info(\"" + table + "\")");
  while (s.step()) out.insert(s.text(1));
  return out;
}

bool hasTable(SqliteDb& db, const std::string& table) {
  SqliteStatement s(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'");
  // A virtual table (Files) is never opened: touching it fails without Outlook's module.
  return s.step() && s.text(0).find("VIRTUAL") == std::string::npos;
}

void requireColumns(SqliteDb& db, const std::string& table, const std::vector<std::string>& needed) {
  if (!hasTable(db, table)) throw IndexUnusable("Outlook.sqlite has no " + table + " table");
  const auto columns = columnsOf(db, table);
  for (const auto& c : needed) {
    if (!columns.count(c)) throw IndexUnusable("Outlook.sqlite " + table + " has no column " + c);
  }
}

// Account addresses by Record_AccountUID (§4.3): AccountsExchange by Account_MailAccountUID,
// AccountsMail by the low 32 bits, 0 = "On My Computer".
std::map<std::int64_t, std::string> accountAddresses(SqliteDb& db, const std::set<std::int64_t>& uids) {
  std::map<std::int64_t, std::string> exchange_by_uid;
  std::map<std::int64_t, std::string> mail_by_id;
  if (hasTable(db, "AccountsExchange")) {
    const auto cols = columnsOf(db, "AccountsExchange");
    if (cols.count("Account_MailAccountUID") && cols.count("Account_EmailAddress")) {
      SqliteStatement s(db, "SELECT Account_MailAccountUID, Account_EmailAddress FROM AccountsExchange");
      while (s.step()) exchange_by_uid[s.integer(0)] = s.text(1);
    }
  }
  if (hasTable(db, "AccountsMail")) {
    const auto cols = columnsOf(db, "AccountsMail");
    if (cols.count("Record_RecordID") && cols.count("Account_EmailAddress")) {
      SqliteStatement s(db, "SELECT Record_RecordID, Account_EmailAddress FROM AccountsMail");
      while (s.step()) mail_by_id[s.integer(0)] = s.text(1);
    }
  }
  std::map<std::int64_t, std::string> out;
  for (const std::int64_t uid : uids) {
    if (uid == 0) {
      out[uid] = "On My Computer";
    } else if (auto it = exchange_by_uid.find(uid); it != exchange_by_uid.end() && !it->second.empty()) {
      out[uid] = it->second;
    } else if (auto jt = mail_by_id.find(uid & 0xFFFFFFFF); jt != mail_by_id.end() && !jt->second.empty()) {
      out[uid] = jt->second;
    } else {
      out[uid] = "account " + std::to_string(uid);
    }
  }
  return out;
}

StoreListing readFrom(SqliteDb& db) {
  StoreListing listing;
  listing.schema_version = db.scalar("PRAGMA user_version");
  if (listing.schema_version == 0) throw IndexUnusable("Outlook.sqlite has no schema version (user_version 0)");
  requireColumns(db, "CalendarEvents",
                 {"Record_RecordID", "PathToDataFile", "Record_ModDate", "Record_FolderID", "Record_AccountUID",
                  "Calendar_StartDateUTC", "Calendar_EndDateUTC", "Calendar_IsRecurring", "Calendar_UID",
                  "Calendar_MasterRecordID", "Calendar_RecurrenceID"});
  requireColumns(db, "Folders", {"Record_RecordID", "Folder_Name", "Folder_SpecialFolderType", "Record_AccountUID"});

  SqliteStatement rows(db,
                       "SELECT Record_RecordID, PathToDataFile, Record_ModDate, Record_FolderID, Record_AccountUID, "
                       "Calendar_StartDateUTC, Calendar_EndDateUTC, Calendar_IsRecurring, Calendar_UID, "
                       "Calendar_MasterRecordID, Calendar_RecurrenceID FROM CalendarEvents");
  std::map<std::int64_t, std::size_t> per_folder;
  while (rows.step()) {
    EventRow r;
    r.record_id = rows.integer(0);
    r.raw_path = rows.text(1);
    r.mod_date = rows.integer(2);
    r.folder_id = rows.integer(3);
    r.account_uid = rows.integer(4);
    r.start_minutes = rows.integer(5);
    r.end_minutes = rows.integer(6);
    r.is_recurring = rows.integer(7) != 0;
    r.uid = rows.text(8);
    r.master_id = rows.isNull(9) ? 0 : rows.integer(9);
    r.recurrence_id = rows.isNull(10) ? 0 : rows.integer(10);
    const DataPath path = checkEventPath(r.raw_path);
    r.path = path.relative;
    r.failure = path.refusal;
    ++per_folder[r.folder_id];
    listing.rows.push_back(std::move(r));
  }

  std::map<std::int64_t, CalendarFolder> folders;
  SqliteStatement f(db, "SELECT Record_RecordID, Folder_Name, Folder_SpecialFolderType, Record_AccountUID FROM Folders");
  while (f.step()) {
    const std::int64_t id = f.integer(0);
    CalendarFolder c;
    c.folder_id = id;
    c.name = f.text(1);
    c.special_type = static_cast<int>(f.integer(2));
    c.account_uid = f.integer(3);
    folders[id] = c;
  }
  std::set<std::int64_t> account_uids;
  for (const auto& [id, c] : folders) account_uids.insert(c.account_uid);
  for (const auto& [id, count] : per_folder) {
    auto it = folders.find(id);
    if (it == folders.end()) {
      // Events whose folder row is missing still form a calendar: their account comes from the events.
      CalendarFolder c;
      c.folder_id = id;
      for (const auto& r : listing.rows) {
        if (r.folder_id == id) {
          c.account_uid = r.account_uid;
          break;
        }
      }
      it = folders.emplace(id, c).first;
    }
    it->second.event_count = count;
    account_uids.insert(it->second.account_uid);
  }
  const auto accounts = accountAddresses(db, account_uids);
  for (auto& [id, c] : folders) {
    c.account = accounts.at(c.account_uid);
    if (isExcludedFolder(c.special_type, c.name)) {
      if (c.event_count > 0) listing.excluded.push_back(c);
      continue;
    }
    listing.folders[id] = c;
    // A calendar: a folder holding events, or an account's Calendar folder even when empty.
    if (c.event_count > 0 || c.special_type == 4) listing.calendars.push_back(c);
  }
  return listing;
}

struct FileStamp {
  std::int64_t size = -1;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp stamp(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return {};
  return {static_cast<std::int64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

std::string randomSuffix() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> d;
  const std::uint64_t v = d(rd);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) out.push_back(hex[(v >> (i * 4)) & 15]);
  return out;
}

// Copies the database with its -wal and -shm until a copy starts and ends with the same sizes
// and mtimes (Outlook wrote nothing meanwhile), checkpoints the copy and reads it.
StoreListing readCopy(const fs::path& db_path, const IndexOptions& options) {
  const fs::path scratch = options.scratch_dir.empty() ? fs::temp_directory_path() : options.scratch_dir;
  const fs::path dir = scratch / ("olk15-index-copy-" + randomSuffix());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw ConnectorError(ErrorKind::Config, "cannot create " + dir.string() + " for a copy of Outlook.sqlite: " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};

  const std::vector<std::string> suffixes{"", "-wal", "-shm"};
  const fs::path copy = dir / "Outlook.sqlite";
  bool stable = false;
  for (int attempt = 0; attempt < 3 && !stable; ++attempt) {
    std::vector<FileStamp> before;
    for (const auto& s : suffixes) before.push_back(stamp(db_path.string() + s));
    for (std::size_t i = 0; i < suffixes.size(); ++i) {
      const fs::path from = db_path.string() + suffixes[i];
      const fs::path to = copy.string() + suffixes[i];
      fs::remove(to, ec);
      if (before[i].size < 0) continue;  // no -wal / -shm: nothing to copy
      if (!fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec)) {
        throw ConnectorError(ErrorKind::Protocol, "cannot copy " + from.string() + ": " + ec.message());
      }
    }
    std::vector<FileStamp> after;
    for (const auto& s : suffixes) after.push_back(stamp(db_path.string() + s));
    stable = before == after;
  }
  if (!stable) {
    throw ConnectorError(ErrorKind::Throttled,
                         "Outlook.sqlite is locked and kept changing while it was copied; will try again later", 60);
  }
  try {
    {
      // The copy is ours: fold its WAL into it so the read below sees every committed change.
      SqliteDb rw(sqliteUri(copy.string(), ""), SQLITE_OPEN_READWRITE);
      rw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      rw.exec("PRAGMA journal_mode=DELETE");
    }
    SqliteDb ro(sqliteUri(copy.string(), "mode=ro&immutable=1"), SQLITE_OPEN_READONLY);
    StoreListing listing = readFrom(ro);
    listing.source = ListingSource::IndexCopy;
    return listing;
  } catch (const SqliteError& e) {
    if (e.primary() == SQLITE_NOTADB || e.primary() == SQLITE_CORRUPT) throw IndexUnusable(e.what());
    throw ConnectorError(ErrorKind::Protocol, std::string("reading a copy of Outlook.sqlite: ") + e.what());
  }
}

}  // namespace

bool isExcludedFolder(int special_type, const std::string& name) {
  return special_type == 9 || special_type == 12 || special_type == 103 || name.rfind("Placeholder_", 0) == 0;
}

const char* toString(ListingSource source) {
  switch (source) {
    case ListingSource::Index: return "index";
    case ListingSource::IndexCopy: return "index copy";
    case ListingSource::Scan: return "file scan";
  }
  return "?";
}

std::string calendarIdFor(std::int64_t folder_id) { return "folder-" + std::to_string(folder_id); }

StoreListing readIndex(const fs::path& data_dir, const IndexOptions& options) {
  const fs::path db_path = data_dir / "Outlook.sqlite";
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) throw IndexUnusable("Outlook.sqlite is missing");
  if (::access(db_path.c_str(), R_OK) != 0) {
    throw ConnectorError(ErrorKind::Permission,
                         "cannot read " + db_path.string() +
                             ": permission denied (on macOS, give calsyncd Full Disk Access in System Settings > "
                             "Privacy & Security)");
  }
  try {
    SqliteDb db(sqliteUri(db_path.string(), "mode=ro"), SQLITE_OPEN_READONLY);
    sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
    db.exec("PRAGMA query_only=1");
    // One read transaction: every query sees the same state of the database.
    db.exec("BEGIN");
    StoreListing listing = readFrom(db);
    db.exec("COMMIT");
    return listing;
  } catch (const SqliteError& e) {
    const int p = e.primary();
    if (p == SQLITE_NOTADB || p == SQLITE_CORRUPT) throw IndexUnusable(std::string("Outlook.sqlite: ") + e.what());
    if (e.busy() || p == SQLITE_READONLY || p == SQLITE_CANTOPEN || p == SQLITE_PROTOCOL) {
      log::info(kLog, std::string("Outlook.sqlite is not readable in place (") + e.what() + "); reading a copy");
      return readCopy(db_path, options);
    }
    if (p == SQLITE_ERROR) throw IndexUnusable(std::string("Outlook.sqlite: ") + e.what());
    throw ConnectorError(ErrorKind::Protocol, std::string("reading Outlook.sqlite: ") + e.what());
  }
}

}  // namespace calsync::olk15
