// The test server's own reading of EWS recurrence patterns, done on wall-clock dates in the
// item's zone as Exchange does. Deliberately independent of the connector's RRULE mapping,
// so the two check each other.
#include <date/tz.h>

#include <algorithm>
#include <chrono>

#include "core/date_time.h"
#include "ical/windows_zones.h"
#include "server_state.h"

namespace calsync::testing::ews {
namespace {

constexpr std::int64_t kDay = 86400;

const date::time_zone* zoneFor(const std::string& windows) {
  if (windows.empty() || windows == "UTC") return nullptr;
  auto iana = ical::windowsToIana(windows);
  try {
    return date::locate_zone(iana.value_or(windows));
  } catch (const std::exception&) {
    return nullptr;
  }
}

int daysIn(int year, int month) {
  return static_cast<int>(static_cast<unsigned>(
      date::year_month_day_last{date::year{year}, date::month_day_last{date::month{static_cast<unsigned>(month)}}}.day()));
}

int weekdayOf(int year, int month, int day) {
  return static_cast<int>(date::weekday{date::sys_days{date::year{year} / month / day}}.c_encoding());
}

int dayNumber(const std::string& name) {
  static const char* names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  for (int i = 0; i < 7; ++i) {
    if (name == names[i]) return i;
  }
  return -1;
}

int indexNumber(const std::string& name) {
  if (name == "First") return 1;
  if (name == "Second") return 2;
  if (name == "Third") return 3;
  if (name == "Fourth") return 4;
  return -1;  // Last
}

bool matchesDays(const std::string& days, int weekday) {
  if (days == "Day") return true;
  if (days == "Weekday") return weekday >= 1 && weekday <= 5;
  if (days == "WeekendDay") return weekday == 0 || weekday == 6;
  return dayNumber(days) == weekday;
}

// The relative day (e.g. the last weekday) of a month, 0 when there is none.
int relativeDay(int year, int month, const std::string& days, const std::string& index) {
  std::vector<int> matching;
  for (int d = 1; d <= daysIn(year, month); ++d) {
    if (matchesDays(days, weekdayOf(year, month, d))) matching.push_back(d);
  }
  if (matching.empty()) return 0;
  int n = indexNumber(index);
  if (n < 0) return matching.back();
  return n <= static_cast<int>(matching.size()) ? matching[n - 1] : 0;
}

struct Civil {
  int year, month, day;
};

Civil civilOf(std::int64_t local_seconds) {
  DateTime t = epochToUtc(local_seconds);
  return {t.year, t.month, t.day};
}

std::int64_t dayStart(const Civil& c) { return civilToEpoch(c.year, c.month, c.day, 0, 0, 0); }

}  // namespace

std::int64_t zoneOffset(const std::string& windows_zone, std::int64_t instant) {
  const date::time_zone* zone = zoneFor(windows_zone);
  if (!zone) return 0;
  return zone->get_info(date::sys_seconds{std::chrono::seconds{instant}}).offset.count();
}

std::int64_t zoneToUtc(const std::string& windows_zone, int year, int month, int day, std::int64_t seconds_of_day) {
  const std::int64_t local = civilToEpoch(year, month, day, 0, 0, 0) + seconds_of_day;
  const date::time_zone* zone = zoneFor(windows_zone);
  if (!zone) return local;
  auto sys = zone->to_sys(date::local_seconds{std::chrono::seconds{local}}, date::choose::earliest);
  return sys.time_since_epoch().count();
}

std::vector<Instance> expandSeries(const StoredItem& item, std::int64_t until, int max_index) {
  std::vector<Instance> out;
  if (!item.spec.recurrence) return out;
  const Pattern& p = *item.spec.recurrence;
  const std::string zone = item.spec.custom_zone_xml.empty() ? item.spec.time_zone : "UTC";
  const std::int64_t local_start = item.spec.start + zoneOffset(zone, item.spec.start);
  const Civil first = civilOf(local_start);
  const std::int64_t time_of_day = local_start - dayStart(first);
  const std::int64_t duration = item.spec.end - item.spec.start;
  std::optional<Civil> last_day;
  if (p.range == Pattern::Range::EndDate && p.end_date.size() >= 10) {
    last_day = Civil{std::stoi(p.end_date.substr(0, 4)), std::stoi(p.end_date.substr(5, 2)), std::stoi(p.end_date.substr(8, 2))};
  }
  const int interval = std::max(1, p.interval);

  int index = 0;
  bool finished = false;
  // Each candidate date in order; returns false to stop.
  auto emit = [&](const Civil& date) {
    if (dayStart(date) < dayStart(first)) return true;
    if (last_day && dayStart(date) > dayStart(*last_day)) return false;
    if (p.range == Pattern::Range::Numbered && index >= p.count) return false;
    if (index >= max_index) return false;
    const std::int64_t start = zoneToUtc(zone, date.year, date.month, date.day, time_of_day);
    if (start >= until) return false;
    Instance instance;
    instance.index = ++index;
    instance.original_start = start;
    instance.start = start;
    instance.end = start + duration;
    instance.deleted = item.deleted.count(instance.index) > 0;
    if (auto edit = item.exceptions.find(instance.index); edit != item.exceptions.end()) {
      instance.modified = true;
      if (edit->second.start) instance.start = *edit->second.start;
      instance.end = edit->second.end ? *edit->second.end : instance.start + duration;
    }
    out.push_back(instance);
    return true;
  };

  switch (p.kind) {
    case Pattern::Kind::Daily:
      for (std::int64_t day = dayStart(first); !finished; day += interval * kDay) finished = !emit(civilOf(day));
      break;
    case Pattern::Kind::Weekly: {
      std::vector<int> days;
      for (const auto& name : p.days) days.push_back(dayNumber(name));
      int week_start = std::max(0, dayNumber(p.first_day_of_week));
      // Days in week order, counted from the configured first day of the week.
      std::sort(days.begin(), days.end(), [&](int a, int b) { return (a - week_start + 7) % 7 < (b - week_start + 7) % 7; });
      std::int64_t week = dayStart(first) - ((weekdayOf(first.year, first.month, first.day) - week_start + 7) % 7) * kDay;
      for (; !finished; week += interval * 7 * kDay) {
        for (int d : days) {
          if (!emit(civilOf(week + ((d - week_start + 7) % 7) * kDay))) {
            finished = true;
            break;
          }
        }
      }
      break;
    }
    case Pattern::Kind::AbsoluteMonthly:
    case Pattern::Kind::RelativeMonthly:
    case Pattern::Kind::AbsoluteYearly:
    case Pattern::Kind::RelativeYearly: {
      const bool yearly = p.kind == Pattern::Kind::AbsoluteYearly || p.kind == Pattern::Kind::RelativeYearly;
      const bool relative = p.kind == Pattern::Kind::RelativeMonthly || p.kind == Pattern::Kind::RelativeYearly;
      const int step = yearly ? 12 : interval;
      int year = first.year;
      int month = yearly ? p.month : first.month;
      if (yearly && month < first.month) ++year;
      for (int round = 0; !finished && round < 12000; ++round) {
        int day = relative ? relativeDay(year, month, p.days.empty() ? "Day" : p.days.front(), p.day_index)
                           : std::min(p.day_of_month, daysIn(year, month));  // Outlook: the last day of shorter months
        if (day > 0) finished = !emit(Civil{year, month, day});
        month += step;
        while (month > 12) {
          month -= 12;
          ++year;
        }
      }
      break;
    }
  }
  return out;
}

}  // namespace calsync::testing::ews
