#include "tests/unit/caldav/test_events.h"

namespace calsync::caldav::testing {

DateTime utc(int year, int month, int day, int hour, int minute) {
  DateTime value;
  value.year = year;
  value.month = month;
  value.day = day;
  value.hour = hour;
  value.minute = minute;
  value.tzid = "UTC";
  value.utc = civilToEpoch(year, month, day, hour, minute, 0);
  return value;
}

CalendarObject singleEvent(const std::string& uid, const std::string& summary, int day) {
  Event event;
  event.uid = uid;
  event.summary = summary;
  event.start = utc(2026, 3, day, 9);
  event.end = utc(2026, 3, day, 10);
  CalendarObject object;
  object.uid = uid;
  object.components.push_back(event);
  return object;
}

std::string icalText(const std::string& uid, const std::string& summary) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
         "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260310T090000Z\r\nDTEND:20260310T100000Z\r\nSUMMARY:" + summary +
         "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

Window year2026() { return Window{civilToEpoch(2026, 1, 1, 0, 0, 0), civilToEpoch(2027, 1, 1, 0, 0, 0)}; }

}  // namespace calsync::caldav::testing
