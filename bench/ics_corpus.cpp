#include "ics_corpus.h"

#include <cstdio>

namespace calsync::bench {
namespace {

// "DTSTART;TZID=Europe/Berlin:20260305T090000" or "DTSTART:20260305T090000Z" for UTC.
std::string timeProperty(const char* name, const char* zone, int month, int day, int hour, int minute) {
  char buf[128];
  if (std::string(zone) == "UTC") {
    std::snprintf(buf, sizeof buf, "%s:2026%02d%02dT%02d%02d00Z\r\n", name, month, day, hour, minute);
  } else {
    std::snprintf(buf, sizeof buf, "%s;TZID=%s:2026%02d%02dT%02d%02d00\r\n", name, zone, month, day, hour, minute);
  }
  return buf;
}

}  // namespace

std::string makeIcsCorpus(std::size_t events) {
  static const char* kZones[] = {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"};
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calsync//bench//EN\r\nX-WR-CALNAME:Bench\r\n";
  std::size_t written = 0;
  for (std::size_t i = 0; written < events; ++i) {
    const std::string n = std::to_string(i);
    const int month = 1 + static_cast<int>(i % 12);
    const int day = 1 + static_cast<int>(i % 14);
    const int hour = 8 + static_cast<int>(i % 9);
    const char* zone = kZones[i % 4];
    if (i % 5 == 0) {
      // A weekly series; its second occurrence moved an hour later, its third cancelled.
      out += "BEGIN:VEVENT\r\nUID:series-" + n + "@bench\r\nDTSTAMP:20260101T000000Z\r\n";
      out += timeProperty("DTSTART", zone, month, day, hour, 0) + timeProperty("DTEND", zone, month, day, hour, 30);
      out += "RRULE:FREQ=WEEKLY;COUNT=20\r\n" + timeProperty("EXDATE", zone, month, day + 14, hour, 0);
      out += "SUMMARY:Weekly sync " + n + " – Überprüfung\r\nLOCATION:Room " + std::to_string(i % 40) + "\r\n";
      out += "ORGANIZER;CN=Boss:mailto:boss@example.com\r\n";
      out += "ATTENDEE;CN=Ann;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:ann@example.com\r\n";
      out += "ATTENDEE;CN=Bob;ROLE=OPT-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:bob@example.com\r\n";
      out += "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\n";
      out += "BEGIN:VEVENT\r\nUID:series-" + n + "@bench\r\nDTSTAMP:20260101T000000Z\r\n";
      out += timeProperty("RECURRENCE-ID", zone, month, day + 7, hour, 0);
      out += timeProperty("DTSTART", zone, month, day + 7, hour + 1, 0) +
             timeProperty("DTEND", zone, month, day + 7, hour + 1, 30);
      out += "SUMMARY:Weekly sync " + n + " (moved)\r\nEND:VEVENT\r\n";
      written += 2;
    } else if (i % 5 == 1) {
      char dates[96];
      std::snprintf(dates, sizeof dates, "DTSTART;VALUE=DATE:2026%02d%02d\r\nDTEND;VALUE=DATE:2026%02d%02d\r\n", month,
                    day, month, day + 1);
      out += "BEGIN:VEVENT\r\nUID:allday-" + n + "@bench\r\nDTSTAMP:20260101T000000Z\r\n" + dates;
      out += "SUMMARY:Holiday " + n + " 🎉\r\nTRANSP:TRANSPARENT\r\nCATEGORIES:Holiday,Team\r\nEND:VEVENT\r\n";
      written += 1;
    } else {
      out += "BEGIN:VEVENT\r\nUID:single-" + n + "@bench\r\nDTSTAMP:20260101T000000Z\r\n";
      out += timeProperty("DTSTART", zone, month, day, hour, 0) + timeProperty("DTEND", zone, month, day, hour, 45);
      out += "SUMMARY:Meeting " + n + "\r\nDESCRIPTION:Agenda:\\n1. Numbers\\n2. Risks\\n3. Next steps\r\n";
      out += "LOCATION:Building " + std::to_string(i % 7) + "\\, floor 2\r\nCLASS:" +
             std::string(i % 3 == 0 ? "PRIVATE" : "PUBLIC") + "\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\n";
      written += 1;
    }
  }
  out += "END:VCALENDAR\r\n";
  return out;
}

}  // namespace calsync::bench
