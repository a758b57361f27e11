// What an .olk15Event file says, decoded from its property collection by the key map of
// olk15-format.md §3.1, still in Outlook's terms (minutes since 1601, Outlook enums).
// decodeEventFile() is the whole file parser: header checks, then the properties.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "olk15/nested_records.h"

namespace calsync::olk15 {

struct OlkEvent {
  std::uint32_t record_id = 0;         // header 0x0C (= Record_RecordID)
  std::string subject;                 // 1F:02
  std::string location;                // 1F:04
  std::string html_body;               // 1F:01, HTML
  std::string uid;                     // 1E:04, iCalendar UID shared by a series
  std::string organizer_address;       // 1E:01
  std::optional<OlkPerson> organizer;  // 0D:0D
  std::vector<OlkAttendee> attendees;  // 0D:0B
  bool all_day = false;                // 0B:07
  bool is_recurring = false;           // 0B:03
  bool cancelled = false;              // 0B:14
  std::optional<std::int32_t> start_utc, end_utc;      // 03:13, 03:14
  std::optional<std::int32_t> start_local, end_local;  // 03:17, 03:18
  std::optional<OlkTimeZone> zone;     // 0D:09 (or its copy 0D:0F)
  std::optional<std::int32_t> reminder_minutes;  // 03:06
  std::optional<bool> has_reminder;    // 0B:09
  std::optional<int> busy_status;      // 03:1D: 0 busy, 1 free, 2 tentative, 3 out of office
  std::optional<int> sensitivity;      // 02:80: 0 normal, 1 personal, 2 private, 3 confidential
  std::optional<int> priority;         // 02:81: 1 high .. 3 normal .. 5 low
  std::optional<OlkRecurrence> recurrence;  // 0D:02, optional and version-dependent
  std::int64_t master_record_id = 0;   // 03:1A, on modified occurrences
  std::int64_t recurrence_id = 0;      // 03:1E, original start in minutes since 1601 [S]
  std::optional<std::int64_t> folder_id;    // 03:5201 (= Record_FolderID)
  std::optional<std::int64_t> account_uid;  // 14:3001 (= Record_AccountUID)
  std::optional<double> modified_cf;   // 4D:04
  std::optional<double> created_cf;    // 4D:12
  std::string online_meeting_url;      // 1F:0A
};

// Parses one .olk15Event file: magic, kind, class 8, the CRLC tag, the size invariant, then
// the properties. Throws FormatError naming what is wrong.
OlkEvent decodeEventFile(std::string_view bytes);

}  // namespace calsync::olk15
