#include "ical/ical_time.h"

namespace calsync::ical {

DateTime fromIcalTime(const icaltimetype& time, const std::string& tzid) {
  DateTime v;
  v.year = time.year;
  v.month = time.month;
  v.day = time.day;
  v.is_date = time.is_date != 0;
  if (!v.is_date) {
    v.hour = time.hour;
    v.minute = time.minute;
    v.second = time.second;
    v.tzid = icaltime_is_utc(time) ? "UTC" : tzid;
  }
  return v;
}

icaltimetype toIcalTime(const DateTime& value) {
  icaltimetype t = icaltime_null_time();
  t.year = value.year;
  t.month = value.month;
  t.day = value.day;
  t.is_date = value.is_date ? 1 : 0;
  if (!value.is_date) {
    t.hour = value.hour;
    t.minute = value.minute;
    t.second = value.second;
    if (value.isUtc()) t.zone = icaltimezone_get_utc_timezone();
  }
  return t;
}

bool isValidCivil(const DateTime& v) {
  if (v.year < 1 || v.year > 9999 || v.month < 1 || v.month > 12 || v.day < 1) return false;
  if (v.day > icaltime_days_in_month(v.month, v.year)) return false;
  return v.is_date || (v.hour >= 0 && v.hour < 24 && v.minute >= 0 && v.minute < 60 && v.second >= 0 && v.second <= 60);
}

std::int64_t wallSeconds(const DateTime& v) {
  return v.is_date ? civilToEpoch(v.year, v.month, v.day, 0, 0, 0)
                   : civilToEpoch(v.year, v.month, v.day, v.hour, v.minute, v.second);
}

DateTime addWallSeconds(const DateTime& value, std::int64_t seconds) {
  DateTime moved = epochToUtc(wallSeconds(value) + seconds);
  moved.is_date = value.is_date;
  moved.tzid = value.tzid;
  moved.utc.reset();
  if (moved.is_date) moved.hour = moved.minute = moved.second = 0;
  return moved;
}

}  // namespace calsync::ical
