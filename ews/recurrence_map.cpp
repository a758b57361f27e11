#include "ews/recurrence_map.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "core/errors.h"
#include "ews/ews_time.h"
#include "ews/soap_xml.h"

namespace calsync::ews {
namespace {

const char* kDayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* kDayCodes[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                             "July",    "August",   "September", "October", "November", "December"};
const char* kIndexNames[] = {"First", "Second", "Third", "Fourth"};

[[noreturn]] void unreadable(const std::string& why) {
  throw ConnectorError(ErrorKind::BadData, "recurrence: " + why);
}

[[noreturn]] void inexpressible(const std::string& rrule, const std::string& why) {
  throw ConnectorError(ErrorKind::BadData, "recurrence rule " + rrule + " cannot be written to Exchange: " + why);
}

int dayIndex(const std::string& name) {
  for (int i = 0; i < 7; ++i) {
    if (name == kDayNames[i]) return i;
  }
  return -1;
}

int monthIndex(const std::string& name) {
  for (int i = 0; i < 12; ++i) {
    if (name == kMonthNames[i]) return i + 1;
  }
  return 0;
}

int intChild(const pugi::xml_node& node, const char* name, int low, int high) {
  std::string text = childText(node, name);
  try {
    std::size_t used = 0;
    int value = std::stoi(text, &used);
    if (used == text.size() && value >= low && value <= high) return value;
  } catch (const std::exception&) {
  }
  unreadable(std::string(name) + " '" + text + "' is not a number in " + std::to_string(low) + ".." + std::to_string(high));
}

// DayOfWeekIndex as an RRULE ordinal: First..Fourth = 1..4, Last = -1.
int ordinal(const std::string& index) {
  for (int i = 0; i < 4; ++i) {
    if (index == kIndexNames[i]) return i + 1;
  }
  if (index == "Last") return -1;
  unreadable("DayOfWeekIndex '" + index + "'");
}

// BYDAY/BYSETPOS/BYMONTHDAY parts for a relative pattern's DaysOfWeek + DayOfWeekIndex.
std::string relativeParts(const std::string& days, int n) {
  if (days == "Day") return "BYMONTHDAY=" + std::to_string(n);
  if (days == "Weekday") return "BYDAY=MO,TU,WE,TH,FR;BYSETPOS=" + std::to_string(n);
  if (days == "WeekendDay") return "BYDAY=SA,SU;BYSETPOS=" + std::to_string(n);
  int day = dayIndex(days);
  if (day < 0) unreadable("DaysOfWeek '" + days + "' in a relative pattern");
  return "BYDAY=" + std::to_string(n) + kDayCodes[day];
}

// Outlook puts a monthly "day 29/30/31" on the last day of shorter months; RRULE's plain
// BYMONTHDAY would skip those months instead.
std::string monthDayParts(int day) {
  if (day == 31) return "BYMONTHDAY=-1";
  if (day == 30) return "BYMONTHDAY=28,29,30;BYSETPOS=-1";
  if (day == 29) return "BYMONTHDAY=28,29;BYSETPOS=-1";
  return "BYMONTHDAY=" + std::to_string(day);
}

std::string withInterval(const std::string& freq, int interval) {
  return "FREQ=" + freq + (interval > 1 ? ";INTERVAL=" + std::to_string(interval) : std::string());
}

std::map<std::string, std::string> ruleParts(const std::string& rrule) {
  std::map<std::string, std::string> parts;
  std::stringstream stream(rrule);
  std::string part;
  while (std::getline(stream, part, ';')) {
    if (part.empty()) continue;
    auto equals = part.find('=');
    if (equals == std::string::npos) inexpressible(rrule, "malformed part '" + part + "'");
    std::string key = part.substr(0, equals);
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    parts[key] = part.substr(equals + 1);
  }
  return parts;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string piece;
  while (std::getline(stream, piece, separator)) {
    if (!piece.empty()) out.push_back(piece);
  }
  return out;
}

int parseInt(const std::string& rrule, const std::string& text, int low, int high) {
  try {
    std::size_t used = 0;
    int value = std::stoi(text, &used);
    if (used == text.size() && value >= low && value <= high) return value;
  } catch (const std::exception&) {
  }
  inexpressible(rrule, "'" + text + "' is out of range");
}

struct ByDay {
  int ordinal = 0;   // 0 = every
  int day = 0;       // 0 = Sunday
};

std::vector<ByDay> parseByDay(const std::string& rrule, const std::string& text) {
  std::vector<ByDay> days;
  for (const auto& item : split(text, ',')) {
    if (item.size() < 2) inexpressible(rrule, "BYDAY '" + item + "'");
    ByDay entry;
    std::string code = item.substr(item.size() - 2);
    auto found = std::find_if(std::begin(kDayCodes), std::end(kDayCodes), [&](const char* c) { return code == c; });
    if (found == std::end(kDayCodes)) inexpressible(rrule, "BYDAY '" + item + "'");
    entry.day = static_cast<int>(found - std::begin(kDayCodes));
    if (item.size() > 2) entry.ordinal = parseInt(rrule, item.substr(0, item.size() - 2), -53, 53);
    days.push_back(entry);
  }
  return days;
}

std::string indexName(const std::string& rrule, int n) {
  if (n >= 1 && n <= 4) return kIndexNames[n - 1];
  if (n == -1) return "Last";
  inexpressible(rrule, "only the first to fourth or the last weekday of a month can be written");
}

std::string element(const std::string& name, const std::string& value) {
  return "<t:" + name + ">" + escape(value) + "</t:" + name + ">";
}

// The relative pattern body (DaysOfWeek + DayOfWeekIndex) for BYDAY/BYSETPOS, or "" when the
// parts do not describe one.
std::string relativeBody(const std::string& rrule, const std::map<std::string, std::string>& parts) {
  auto byday = parts.find("BYDAY");
  if (byday == parts.end()) return {};
  auto days = parseByDay(rrule, byday->second);
  auto setpos = parts.find("BYSETPOS");
  if (days.size() == 1 && setpos == parts.end()) {
    if (days[0].ordinal == 0) inexpressible(rrule, "every weekday of a month");
    return element("DaysOfWeek", kDayNames[days[0].day]) + element("DayOfWeekIndex", indexName(rrule, days[0].ordinal));
  }
  if (setpos == parts.end()) inexpressible(rrule, "several weekdays of a month");
  int n = parseInt(rrule, setpos->second, -366, 366);
  std::vector<int> list;
  for (const auto& d : days) {
    if (d.ordinal != 0) inexpressible(rrule, "BYDAY ordinals with BYSETPOS");
    list.push_back(d.day);
  }
  std::sort(list.begin(), list.end());
  std::string kind;
  if (list == std::vector<int>{1, 2, 3, 4, 5}) kind = "Weekday";
  else if (list == std::vector<int>{0, 6}) kind = "WeekendDay";
  else if (list == std::vector<int>{0, 1, 2, 3, 4, 5, 6}) kind = "Day";
  else inexpressible(rrule, "this set of weekdays with BYSETPOS");
  return element("DaysOfWeek", kind) + element("DayOfWeekIndex", indexName(rrule, n));
}

// The monthly day for BYMONTHDAY (with Outlook's last-day forms), 0 when absent.
int absoluteDay(const std::string& rrule, const std::map<std::string, std::string>& parts, int fallback) {
  auto bymonthday = parts.find("BYMONTHDAY");
  if (bymonthday == parts.end()) return fallback;
  auto setpos = parts.find("BYSETPOS");
  if (setpos == parts.end()) {
    int day = parseInt(rrule, bymonthday->second, -1, 31);
    if (day == 0) inexpressible(rrule, "BYMONTHDAY=0");
    return day == -1 ? 31 : day;
  }
  if (setpos->second == "-1" && bymonthday->second == "28,29,30") return 30;
  if (setpos->second == "-1" && bymonthday->second == "28,29") return 29;
  inexpressible(rrule, "BYMONTHDAY with BYSETPOS");
}

}  // namespace

std::string rruleFromRecurrence(const pugi::xml_node& recurrence, const Zone& zone, bool all_day) {
  std::string rule;
  std::string range;
  for (pugi::xml_node node = recurrence.first_child(); node; node = node.next_sibling()) {
    if (node.type() != pugi::node_element) continue;
    const std::string name(localName(node));
    if (name == "DailyRecurrence") {
      rule = withInterval("DAILY", intChild(node, "Interval", 1, 999));
    } else if (name == "WeeklyRecurrence") {
      rule = withInterval("WEEKLY", intChild(node, "Interval", 1, 99));
      std::vector<int> days;
      for (const auto& day : split(childText(node, "DaysOfWeek"), ' ')) {
        int index = dayIndex(day);
        if (index < 0) unreadable("weekly DaysOfWeek '" + day + "'");
        days.push_back(index);
      }
      if (days.empty()) unreadable("weekly pattern without DaysOfWeek");
      // Exchange lists days Sunday first; so does this (stable text, stable hashes).
      std::sort(days.begin(), days.end());
      days.erase(std::unique(days.begin(), days.end()), days.end());
      rule += ";BYDAY=";
      for (std::size_t i = 0; i < days.size(); ++i) {
        if (i) rule += ',';
        rule += kDayCodes[days[i]];
      }
      int first = dayIndex(childText(node, "FirstDayOfWeek"));
      if (first >= 0 && intChild(node, "Interval", 1, 99) > 1) rule += ";WKST=" + std::string(kDayCodes[first]);
    } else if (name == "AbsoluteMonthlyRecurrence") {
      rule = withInterval("MONTHLY", intChild(node, "Interval", 1, 99)) + ";" +
             monthDayParts(intChild(node, "DayOfMonth", 1, 31));
    } else if (name == "RelativeMonthlyRecurrence") {
      rule = withInterval("MONTHLY", intChild(node, "Interval", 1, 99)) + ";" +
             relativeParts(childText(node, "DaysOfWeek"), ordinal(childText(node, "DayOfWeekIndex")));
    } else if (name == "AbsoluteYearlyRecurrence") {
      int month = monthIndex(childText(node, "Month"));
      if (month == 0) unreadable("yearly Month '" + childText(node, "Month") + "'");
      rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(month) + ";" + monthDayParts(intChild(node, "DayOfMonth", 1, 31));
    } else if (name == "RelativeYearlyRecurrence") {
      int month = monthIndex(childText(node, "Month"));
      if (month == 0) unreadable("yearly Month '" + childText(node, "Month") + "'");
      rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(month) + ";" +
             relativeParts(childText(node, "DaysOfWeek"), ordinal(childText(node, "DayOfWeekIndex")));
    } else if (name == "NumberedRecurrence") {
      range = ";COUNT=" + std::to_string(intChild(node, "NumberOfOccurrences", 1, 999999));
    } else if (name == "EndDateRecurrence") {
      auto end = parseDate(childText(node, "EndDate"));
      if (!end) unreadable("EndDate '" + childText(node, "EndDate") + "'");
      if (all_day) {
        range = ";UNTIL=" + DateTime{end->year, end->month, end->day, 0, 0, 0, true, "", std::nullopt}.toIcalValue();
      } else {
        // EndDate is the last day an occurrence may start on, in the series' own zone.
        std::int64_t until = zone.toUtc(end->year, end->month, end->day, 23, 59, 59);
        range = ";UNTIL=" + epochToUtc(until).toIcalValue();  // a UTC value: ends in Z
      }
    } else if (name == "NoEndRecurrence") {
      range.clear();
    } else {
      unreadable("unsupported pattern <" + name + ">");
    }
  }
  if (rule.empty()) unreadable("no recurrence pattern");
  return rule + range;
}

std::string recurrenceFromRrule(const std::string& rrule, const DateTime& dtstart, const Zone& zone) {
  auto parts = ruleParts(rrule);
  static const std::vector<std::string> known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH",
                                                 "BYSETPOS", "COUNT", "UNTIL", "WKST"};
  for (const auto& [key, value] : parts) {
    if (std::find(known.begin(), known.end(), key) == known.end()) inexpressible(rrule, key + " has no Exchange form");
  }
  const std::string freq = parts.count("FREQ") ? parts["FREQ"] : "";
  const int interval = parts.count("INTERVAL") ? parseInt(rrule, parts["INTERVAL"], 1, 999) : 1;
  std::string pattern;
  if (freq == "DAILY" && !parts.count("BYDAY")) {
    if (parts.count("BYMONTHDAY") || parts.count("BYMONTH") || parts.count("BYSETPOS")) inexpressible(rrule, "filtered daily rule");
    pattern = "<t:DailyRecurrence>" + element("Interval", std::to_string(interval)) + "</t:DailyRecurrence>";
  } else if (freq == "WEEKLY" || (freq == "DAILY" && interval == 1)) {
    if (parts.count("BYMONTHDAY") || parts.count("BYMONTH") || parts.count("BYSETPOS")) inexpressible(rrule, "filtered weekly rule");
    std::vector<int> days;
    if (parts.count("BYDAY")) {
      for (const auto& d : parseByDay(rrule, parts["BYDAY"])) {
        if (d.ordinal != 0) inexpressible(rrule, "weekly rule with ordinals");
        days.push_back(d.day);
      }
    } else {
      days.push_back(weekday(dtstart.year, dtstart.month, dtstart.day));
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    std::string list;
    for (int d : days) list += (list.empty() ? "" : " ") + std::string(kDayNames[d]);
    pattern = "<t:WeeklyRecurrence>" + element("Interval", std::to_string(freq == "DAILY" ? 1 : interval)) +
              element("DaysOfWeek", list);
    if (parts.count("WKST")) {
      auto wkst = parseByDay(rrule, parts["WKST"]);
      if (wkst.size() == 1) pattern += element("FirstDayOfWeek", kDayNames[wkst[0].day]);
    }
    pattern += "</t:WeeklyRecurrence>";
  } else if (freq == "MONTHLY" || (freq == "YEARLY" && interval > 1)) {
    int months = freq == "YEARLY" ? interval * 12 : interval;
    if (months > 99) inexpressible(rrule, "an interval over 99 months");
    if (freq == "YEARLY" && parts.count("BYMONTH") && parseInt(rrule, parts["BYMONTH"], 1, 12) != dtstart.month) {
      inexpressible(rrule, "a multi-year rule in another month than its start");
    }
    if (freq == "MONTHLY" && parts.count("BYMONTH")) inexpressible(rrule, "monthly rule limited to some months");
    std::string relative = relativeBody(rrule, parts);
    if (!relative.empty()) {
      if (parts.count("BYMONTHDAY")) inexpressible(rrule, "BYDAY with BYMONTHDAY");
      pattern = "<t:RelativeMonthlyRecurrence>" + element("Interval", std::to_string(months)) + relative +
                "</t:RelativeMonthlyRecurrence>";
    } else {
      pattern = "<t:AbsoluteMonthlyRecurrence>" + element("Interval", std::to_string(months)) +
                element("DayOfMonth", std::to_string(absoluteDay(rrule, parts, dtstart.day))) +
                "</t:AbsoluteMonthlyRecurrence>";
    }
  } else if (freq == "YEARLY") {
    if (parts.count("BYMONTH") && parts["BYMONTH"].find(',') != std::string::npos) inexpressible(rrule, "several months");
    int month = parts.count("BYMONTH") ? parseInt(rrule, parts["BYMONTH"], 1, 12) : dtstart.month;
    std::string relative = relativeBody(rrule, parts);
    if (!relative.empty()) {
      if (parts.count("BYMONTHDAY")) inexpressible(rrule, "BYDAY with BYMONTHDAY");
      pattern = "<t:RelativeYearlyRecurrence>" + relative + element("Month", kMonthNames[month - 1]) +
                "</t:RelativeYearlyRecurrence>";
    } else {
      pattern = "<t:AbsoluteYearlyRecurrence>" +
                element("DayOfMonth", std::to_string(absoluteDay(rrule, parts, dtstart.day))) +
                element("Month", kMonthNames[month - 1]) + "</t:AbsoluteYearlyRecurrence>";
    }
  } else {
    inexpressible(rrule, "FREQ=" + freq);
  }

  const std::string start = element("StartDate", formatDate(dtstart.year, dtstart.month, dtstart.day));
  std::string range;
  if (parts.count("COUNT")) {
    range = "<t:NumberedRecurrence>" + start +
            element("NumberOfOccurrences", std::to_string(parseInt(rrule, parts["COUNT"], 1, 999999))) +
            "</t:NumberedRecurrence>";
  } else if (parts.count("UNTIL")) {
    auto until = DateTime::fromIcalValue(parts["UNTIL"]);
    if (!until) inexpressible(rrule, "UNTIL '" + parts["UNTIL"] + "'");
    int year = until->year, month = until->month, day = until->day;
    if (!until->is_date) {
      auto instant = resolveWithIana(*until);
      if (!instant) inexpressible(rrule, "UNTIL '" + parts["UNTIL"] + "'");
      DateTime wall = zone.wallTime(*instant);
      year = wall.year;
      month = wall.month;
      day = wall.day;
    }
    range = "<t:EndDateRecurrence>" + start + element("EndDate", formatDate(year, month, day)) + "</t:EndDateRecurrence>";
  } else {
    range = "<t:NoEndRecurrence>" + start + "</t:NoEndRecurrence>";
  }
  return "<t:Recurrence>" + pattern + range + "</t:Recurrence>";
}

}  // namespace calsync::ews
