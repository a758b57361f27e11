// Decoders for the nested (type 0x0D) values of an event file (olk15-format.md §3.3):
// the attendee list, the organiser's user record, the time-zone record and the recurrence
// record. They keep Outlook's own codes; event_mapping.cpp turns them into iCalendar terms.
// Every decoder throws FormatError on structure it cannot account for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calsync::olk15 {

struct OlkPerson {
  std::string email;
  std::string name;
};

struct OlkAttendee {
  OlkPerson person;
  int recipient_type = 0;          // 0 required, 1 optional, 2 resource
  int attendee_type = 0;           // 0 user, 2 contact group
  std::optional<int> response;     // 03:0C when present [S]: 0 none, 1 accepted, 2 tentative, 3 declined
};

// One transition rule of a time-zone record.
struct OlkZoneRule {
  std::optional<std::int32_t> start_minutes;   // local transition start, minutes since 1601
  std::string offset_from;                     // "-0500"
  std::string offset_to;
  std::string rrule;                           // iCalendar RRULE value
};

struct OlkTimeZone {
  std::string tzid;                            // CFtz: an IANA name in practice
  std::optional<std::int32_t> windows_id;      // TZID: Microsoft's numeric id
  std::string name;                            // Name: long name
  std::vector<OlkZoneRule> standard;
  std::vector<OlkZoneRule> daylight;
};

struct OlkRecurrence {
  int pattern = -1;       // 0 daily, 1 weekly, 2 monthly (day N), 3 monthly (nth weekday), 5 yearly, 6 yearly nth
  int interval = 0;       // daily: minutes; otherwise units of the pattern (yearly possibly months)
  int end_type = 0;       // 8225 end by date, 8226 end after count, 8227 no end
  int count = 0;
  int weekday_mask = 0;   // bit 0 = Sunday
  int day_of_month = 0;
  int nth_weekday_mask = 0;
  int nth = 0;            // 1..4, 5 = last
  std::optional<std::int32_t> series_start;   // minutes since 1601
  std::optional<std::int32_t> until;
  std::vector<std::int32_t> exception_dates;  // minutes since 1601
  std::vector<std::int32_t> extra_dates;
};

std::vector<OlkAttendee> decodeAttendees(std::string_view bytes);
// The user record of §3.3.2: a 28-byte preamble, then length-prefixed address and name.
OlkPerson decodeUserRecord(std::string_view bytes);
OlkTimeZone decodeTimeZone(std::string_view bytes);
OlkRecurrence decodeRecurrence(std::string_view bytes);

}  // namespace calsync::olk15
