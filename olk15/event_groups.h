// Groups a calendar's event rows into calendar objects (a series master with its modified
// occurrences, or a single event) and names each with a native id that is the same whether
// the rows came from Outlook.sqlite or from the event files, and survives Outlook's database
// rebuilds: the iCalendar UID, made unique within the calendar.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "olk15/store_listing.h"

namespace calsync::olk15 {

struct EventGroup {
  std::int64_t id = 0;                 // the master's (or single event's) record id
  std::string uid;                     // the object's UID
  std::string native_id;
  std::vector<const EventRow*> rows;   // the head row (when present) first, then by record id
  bool recurring = false;              // a series: its span needs the file's rule
};

// Modified occurrences join their master by Calendar_MasterRecordID, or by UID when that is
// 0 but a recurrence id is set. A UID that two separate objects share (a copied meeting)
// stays the native id of the one with the lowest record id; the others get "#<record id>".
std::vector<EventGroup> groupRows(const std::vector<const EventRow*>& rows);

// The UID of an event that has none (stable, from its record id).
std::string standInUid(std::int64_t record_id);

}  // namespace calsync::olk15
