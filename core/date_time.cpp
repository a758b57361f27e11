#include "core/date_time.h"

#include <date/tz.h>

#include <cstdio>

namespace calsync {

bool DateTime::sameValue(const DateTime& o) const {
  return year == o.year && month == o.month && day == o.day && hour == o.hour && minute == o.minute &&
         second == o.second && is_date == o.is_date && tzid == o.tzid;
}

std::string DateTime::toIcalValue() const {
  char buf[32];
  if (is_date) {
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
  } else {
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d%s", year, month, day, hour, minute, second,
                  isUtc() ? "Z" : "");
  }
  return buf;
}

std::optional<DateTime> DateTime::fromIcalValue(const std::string& text, const std::string& tzid) {
  DateTime v;
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    if (pos + n > text.size()) return false;
    int r = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      r = r * 10 + (text[i] - '0');
    }
    out = r;
    return true;
  };
  if (!digits(0, 4, v.year) || !digits(4, 2, v.month) || !digits(6, 2, v.day)) return std::nullopt;
  if (text.size() == 8) {
    v.is_date = true;
  } else {
    if (text.size() < 15 || text[8] != 'T') return std::nullopt;
    if (!digits(9, 2, v.hour) || !digits(11, 2, v.minute) || !digits(13, 2, v.second)) return std::nullopt;
    if (text.size() == 16 && text[15] == 'Z') {
      v.tzid = "UTC";
    } else if (text.size() == 15) {
      v.tzid = tzid;
    } else {
      return std::nullopt;
    }
  }
  if (v.month < 1 || v.month > 12 || v.day < 1 || v.day > 31 || v.hour > 23 || v.minute > 59 || v.second > 60)
    return std::nullopt;
  return v;
}

std::int64_t civilToEpoch(int y, int m, int d, int hh, int mm, int ss) {
  const auto days = date::sys_days{date::year{y} / m / d}.time_since_epoch().count();
  return static_cast<std::int64_t>(days) * 86400 + hh * 3600 + mm * 60 + ss;
}

DateTime epochToUtc(std::int64_t t) {
  std::int64_t days = t / 86400;
  std::int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  DateTime v;
  v.year = static_cast<int>(ymd.year());
  v.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  v.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  v.hour = static_cast<int>(rem / 3600);
  v.minute = static_cast<int>(rem % 3600 / 60);
  v.second = static_cast<int>(rem % 60);
  v.tzid = "UTC";
  v.utc = t;
  return v;
}

bool isIanaZone(const std::string& tzid) {
  if (tzid.empty()) return false;
  try {
    return date::locate_zone(tzid) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

std::optional<std::int64_t> resolveWithIana(const DateTime& v) {
  const std::int64_t wall = civilToEpoch(v.year, v.month, v.day, v.is_date ? 0 : v.hour, v.is_date ? 0 : v.minute,
                                         v.is_date ? 0 : v.second);
  if (v.is_date || v.tzid.empty() || v.isUtc()) return wall;
  try {
    const date::time_zone* zone = date::locate_zone(v.tzid);
    // The system's zone files list transitions only up to 2037 and leave later years to a
    // rule footer that date/tz does not read. The Gregorian calendar repeats every 28 years
    // between 1901 and 2099 (same weekdays, same leap years), so a later wall time takes the
    // offset of the same wall time in an equivalent year that the table still covers.
    int year = v.year;
    while (year > 2037) year -= 28;
    const std::int64_t probe = year == v.year ? wall
                                              : civilToEpoch(year, v.month, v.day, v.hour, v.minute, v.second);
    const date::local_seconds local{std::chrono::seconds{probe}};
    // A wall time in a DST gap or overlap still names one instant: RFC 5545 section 3.3.5
    // reads a nonexistent time with the offset from before the gap, and an ambiguous one
    // as the first occurrence.
    // get_info's `first` is the offset in force before a gap and the first of an overlap.
    return wall - zone->get_info(local).first.offset.count();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace calsync
