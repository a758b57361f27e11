// What a listing of an Outlook for Mac profile yields, whichever way it was read (the
// Outlook.sqlite index, a copy of it, or a walk over the event files): the calendars and,
// for every event record, what is known without opening its file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/connector.h"

namespace calsync::olk15 {

// One CalendarEvents row (or, in scan mode, what an event file's header says).
struct EventRow {
  std::int64_t record_id = 0;
  std::string path;                 // relative to Data/, percent-decoded
  std::string raw_path;             // PathToDataFile as stored, for messages
  std::int64_t mod_date = 0;        // Record_ModDate, Unix seconds (0 in scan mode)
  std::int64_t folder_id = 0;
  std::int64_t account_uid = 0;
  std::int64_t start_minutes = 0;   // minutes since 1601, UTC
  std::int64_t end_minutes = 0;
  bool is_recurring = false;
  std::string uid;
  std::int64_t master_id = 0;       // 0 unless a modified occurrence
  std::int64_t recurrence_id = 0;
  // Scan mode: the file was seen but could not be read now; its last good facts are kept so
  // the event is neither updated nor taken for deleted.
  std::string failure;
  // Scan mode: the file's size and mtime at listing time (index mode stats at pull time).
  std::int64_t file_size = -1;
  std::int64_t file_mtime_ns = 0;
};

// A folder that holds events: one calendar.
struct CalendarFolder {
  std::int64_t folder_id = 0;
  std::string name;                 // Folder_Name; empty when unknown
  int special_type = 0;             // Folder_SpecialFolderType (4 = the account's Calendar)
  std::int64_t account_uid = 0;
  std::string account;              // the account's address, or a stand-in
  std::size_t event_count = 0;
};

enum class ListingSource { Index, IndexCopy, Scan };

struct StoreListing {
  ListingSource source = ListingSource::Index;
  std::int64_t schema_version = 0;  // PRAGMA user_version (index), 0 in scan mode
  std::vector<CalendarFolder> calendars;
  // Index mode: every folder of the Folders table that could be a calendar (not excluded),
  // with or without events, so a calendar whose last event was deleted stays listable.
  std::map<std::int64_t, CalendarFolder> folders;
  // Index mode: folders that hold events but are never synced (Deleted Items, Junk, ...),
  // remembered so scan mode can leave them out too.
  std::vector<CalendarFolder> excluded;
  std::vector<EventRow> rows;
  std::vector<ReadWarning> warnings;   // files the listing had to skip
};

const char* toString(ListingSource source);

// "folder-<id>": stable in index and scan mode alike.
std::string calendarIdFor(std::int64_t folder_id);

}  // namespace calsync::olk15
