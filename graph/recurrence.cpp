#include "graph/recurrence.h"

#include <algorithm>
#include <map>
#include <vector>

#include "core/errors.h"
#include "ical/zone_lookup.h"
#include "oauth/rfc3339.h"

namespace calsync::graph {
namespace {

using json::Array;
using json::Object;

const std::vector<std::pair<std::string, std::string>> kDays = {
    {"SU", "sunday"}, {"MO", "monday"}, {"TU", "tuesday"}, {"WE", "wednesday"},
    {"TH", "thursday"}, {"FR", "friday"}, {"SA", "saturday"}};
const std::vector<std::pair<int, std::string>> kIndexes = {
    {1, "first"}, {2, "second"}, {3, "third"}, {4, "fourth"}, {-1, "last"}};

std::string dayName(const std::string& code) {
  for (const auto& [c, name] : kDays) {
    if (c == code) return name;
  }
  throw ConnectorError(ErrorKind::BadData, "graph: unknown weekday " + code + " in RRULE");
}

std::string dayCode(const std::string& name) {
  for (const auto& [c, n] : kDays) {
    if (n == name) return c;
  }
  throw ConnectorError(ErrorKind::BadData, "graph: unknown weekday " + name + " in a recurrence pattern");
}

int weekday(const DateTime& d) {  // 0 = Sunday
  const std::int64_t days = civilToEpoch(d.year, d.month, d.day, 0, 0, 0) / 86400;
  return static_cast<int>(((days % 7) + 11) % 7);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t at = text.find(separator, start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return out;
}

}  // namespace

std::string rruleFromPattern(const json::Object::Ptr& recurrence, const DateTime& start) {
  auto pattern = json::object(recurrence, "pattern");
  auto range = json::object(recurrence, "range");
  if (!pattern) throw ConnectorError(ErrorKind::BadData, "graph: recurrence without a pattern");
  const std::string type = json::text(pattern, "type");
  const std::int64_t interval = std::max<std::int64_t>(1, json::integer(pattern, "interval", 1));
  std::string rule;
  auto days = [&]() {
    std::string list;
    for (const auto& d : json::strings(pattern, "daysOfWeek")) list += (list.empty() ? "" : ",") + dayCode(d);
    return list;
  };
  auto setpos = [&]() -> std::string {
    const std::string index = json::text(pattern, "index", "first");
    for (const auto& [n, name] : kIndexes) {
      if (name == index) return std::to_string(n);
    }
    throw ConnectorError(ErrorKind::BadData, "graph: unknown week index " + index);
  };
  if (type == "daily") {
    rule = "FREQ=DAILY";
  } else if (type == "weekly") {
    rule = "FREQ=WEEKLY";
    if (auto list = days(); !list.empty()) rule += ";BYDAY=" + list;
    if (auto first = json::text(pattern, "firstDayOfWeek"); !first.empty() && first != "monday") rule += ";WKST=" + dayCode(first);
  } else if (type == "absoluteMonthly") {
    rule = "FREQ=MONTHLY;BYMONTHDAY=" + std::to_string(json::integer(pattern, "dayOfMonth", start.day));
  } else if (type == "relativeMonthly") {
    rule = "FREQ=MONTHLY;BYDAY=" + days() + ";BYSETPOS=" + setpos();
  } else if (type == "absoluteYearly") {
    rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(json::integer(pattern, "month", start.month)) +
           ";BYMONTHDAY=" + std::to_string(json::integer(pattern, "dayOfMonth", start.day));
  } else if (type == "relativeYearly") {
    rule = "FREQ=YEARLY;BYMONTH=" + std::to_string(json::integer(pattern, "month", start.month)) + ";BYDAY=" + days() +
           ";BYSETPOS=" + setpos();
  } else {
    throw ConnectorError(ErrorKind::BadData, "graph: unknown recurrence pattern type " + type);
  }
  if (interval > 1) rule += ";INTERVAL=" + std::to_string(interval);
  const std::string range_type = json::text(range, "type", "noEnd");
  if (range_type == "numbered") {
    rule += ";COUNT=" + std::to_string(std::max<std::int64_t>(1, json::integer(range, "numberOfOccurrences", 1)));
  } else if (range_type == "endDate") {
    auto end = web::parseDate(json::text(range, "endDate"));
    if (!end) throw ConnectorError(ErrorKind::BadData, "graph: recurrence range without a usable endDate");
    if (start.is_date) {
      rule += ";UNTIL=" + end->toIcalValue();
    } else {
      // The last day counts whole, in the series' own zone.
      DateTime last = *end;
      last.is_date = false;
      last.hour = 23;
      last.minute = 59;
      last.second = 59;
      last.tzid = start.tzid;
      const std::int64_t instant = ical::instantOf(last).value_or(civilToEpoch(end->year, end->month, end->day, 23, 59, 59));
      DateTime utc = epochToUtc(instant);
      utc.tzid = "UTC";
      rule += ";UNTIL=" + utc.toIcalValue();
    }
  }
  return rule;
}

json::Object::Ptr patternFromRrule(const std::string& rrule, const DateTime& start, const std::string& windows_zone) {
  std::map<std::string, std::string> parts;
  for (const auto& part : split(rrule, ';')) {
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos) continue;
    parts[part.substr(0, eq)] = part.substr(eq + 1);
  }
  auto refuse = [&](const std::string& why) {
    return ConnectorError(ErrorKind::BadData, "graph: the recurrence " + rrule + " cannot be written to Graph (" + why + ")");
  };
  for (const auto& [name, value] : parts) {
    if (name != "FREQ" && name != "INTERVAL" && name != "COUNT" && name != "UNTIL" && name != "BYDAY" &&
        name != "BYMONTHDAY" && name != "BYMONTH" && name != "BYSETPOS" && name != "WKST") {
      throw refuse(name + " has no Graph equivalent");
    }
  }
  Object::Ptr pattern = new Object;
  const std::string freq = parts["FREQ"];
  pattern->set("interval", parts.count("INTERVAL") ? std::stoi(parts["INTERVAL"]) : 1);
  const std::string start_day = kDays[static_cast<std::size_t>(weekday(start))].second;
  // BYDAY entries: "MO", or "2TU"/"-1FR" (an ordinal folded in).
  std::vector<std::string> days;
  std::optional<int> ordinal;
  if (parts.count("BYDAY")) {
    for (const auto& entry : split(parts["BYDAY"], ',')) {
      std::size_t letters = entry.find_first_not_of("+-0123456789");
      if (letters == std::string::npos || entry.size() - letters != 2) throw refuse("BYDAY " + entry);
      if (letters > 0) {
        const int n = std::stoi(entry.substr(0, letters));
        if (ordinal && *ordinal != n) throw refuse("mixed BYDAY ordinals");
        ordinal = n;
      }
      days.push_back(dayName(entry.substr(letters)));
    }
  }
  if (parts.count("BYSETPOS")) {
    if (ordinal) throw refuse("BYSETPOS with ordinal BYDAY");
    ordinal = std::stoi(parts["BYSETPOS"]);
  }
  auto indexName = [&](int n) {
    for (const auto& [value, name] : kIndexes) {
      if (value == n) return name;
    }
    throw refuse("week index " + std::to_string(n));
  };
  auto setDays = [&](const std::vector<std::string>& list) {
    Array::Ptr array = new Array;
    for (const auto& d : list) array->add(d);
    pattern->set("daysOfWeek", array);
  };
  if (parts.count("BYMONTHDAY") && parts["BYMONTHDAY"].find(',') != std::string::npos) throw refuse("several month days");
  if (freq == "DAILY") {
    if (!days.empty() || parts.count("BYMONTHDAY") || parts.count("BYMONTH")) throw refuse("daily with BY rules");
    pattern->set("type", "daily");
  } else if (freq == "WEEKLY") {
    if (ordinal || parts.count("BYMONTHDAY")) throw refuse("weekly with positions");
    pattern->set("type", "weekly");
    setDays(days.empty() ? std::vector<std::string>{start_day} : days);
    std::string first = "monday";
    if (parts.count("WKST")) first = dayName(parts["WKST"]);
    pattern->set("firstDayOfWeek", first);
  } else if (freq == "MONTHLY") {
    if (!days.empty()) {
      pattern->set("type", "relativeMonthly");
      setDays(days);
      pattern->set("index", indexName(ordinal.value_or(1)));
    } else {
      pattern->set("type", "absoluteMonthly");
      pattern->set("dayOfMonth", parts.count("BYMONTHDAY") ? std::stoi(parts["BYMONTHDAY"]) : start.day);
    }
  } else if (freq == "YEARLY") {
    const int month = parts.count("BYMONTH") ? std::stoi(parts["BYMONTH"]) : start.month;
    pattern->set("month", month);
    if (!days.empty()) {
      pattern->set("type", "relativeYearly");
      setDays(days);
      pattern->set("index", indexName(ordinal.value_or(1)));
    } else {
      pattern->set("type", "absoluteYearly");
      pattern->set("dayOfMonth", parts.count("BYMONTHDAY") ? std::stoi(parts["BYMONTHDAY"]) : start.day);
    }
  } else {
    throw refuse("FREQ=" + freq);
  }
  Object::Ptr range = new Object;
  DateTime first_day = start;
  range->set("startDate", web::formatDate(first_day));
  range->set("recurrenceTimeZone", windows_zone);
  if (parts.count("COUNT")) {
    range->set("type", "numbered");
    range->set("numberOfOccurrences", std::stoi(parts["COUNT"]));
  } else if (parts.count("UNTIL")) {
    auto until = DateTime::fromIcalValue(parts["UNTIL"]);
    if (!until) throw refuse("UNTIL");
    DateTime last = *until;
    if (!until->is_date && until->isUtc() && !start.tzid.empty() && !start.isUtc()) {
      // The end date is read in the series' zone.
      if (auto local = ical::wallTimeAt(civilToEpoch(until->year, until->month, until->day, until->hour, until->minute,
                                                     until->second),
                                        start.tzid)) {
        last = *local;
      }
    }
    range->set("type", "endDate");
    range->set("endDate", web::formatDate(last));
  } else {
    range->set("type", "noEnd");
  }
  Object::Ptr recurrence = new Object;
  recurrence->set("pattern", pattern);
  recurrence->set("range", range);
  return recurrence;
}

}  // namespace calsync::graph
