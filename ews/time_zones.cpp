#include "ews/time_zones.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <vector>

#include "ews/ews_time.h"
#include "ews/soap_xml.h"
#include "ical/windows_zones.h"

namespace calsync::ews {
namespace {

bool isUtcName(const std::string& name) {
  return name == "UTC" || name == "Etc/UTC" || name == "Etc/GMT" || name == "GMT" || name == "Etc/Universal" ||
         name == "Etc/Zulu" || name == "Etc/UCT" || name == "UCT";
}

// The day of month of the n-th (or last, n = -1 or 5) `weekday` in a month.
int nthWeekday(int year, int month, int occurrence, int weekday_wanted) {
  const int first = weekday(year, month, 1);
  int day = 1 + (weekday_wanted - first + 7) % 7;
  const int last_day = daysInMonth(year, month);
  if (occurrence < 0 || occurrence >= 5) {
    while (day + 7 <= last_day) day += 7;
    return day;
  }
  day += 7 * (occurrence - 1);
  while (day > last_day) day -= 7;
  return day;
}

std::int64_t switchInstant(int year, const ZoneRules::Switch& rule, std::int64_t offset_before) {
  const int day = nthWeekday(year, rule.month, rule.occurrence, rule.weekday);
  return civilToEpoch(year, rule.month, day, 0, 0, 0) + rule.time_of_day - offset_before;
}

std::string offsetText(std::int64_t seconds) {
  char buffer[16];
  const std::int64_t magnitude = seconds < 0 ? -seconds : seconds;
  std::snprintf(buffer, sizeof buffer, "%c%02d%02d", seconds < 0 ? '-' : '+', static_cast<int>(magnitude / 3600),
                static_cast<int>(magnitude % 3600 / 60));
  return buffer;
}

const char* kDayCodes[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

int weekdayNumber(const std::string& name) {
  static const std::map<std::string, int> days = {{"Sunday", 0},   {"Monday", 1}, {"Tuesday", 2}, {"Wednesday", 3},
                                                  {"Thursday", 4}, {"Friday", 5}, {"Saturday", 6}};
  auto found = days.find(name);
  return found == days.end() ? -1 : found->second;
}

std::string onset(const char* kind, const ZoneRules::Switch& rule, std::int64_t from, std::int64_t to) {
  // The first onset from 1970 on, so DTSTART is itself an instance of the rule.
  const int day = nthWeekday(1970, rule.month, rule.occurrence, rule.weekday);
  char start[32];
  std::snprintf(start, sizeof start, "1970%02d%02dT%02d%02d%02d", rule.month, day, rule.time_of_day / 3600,
                rule.time_of_day % 3600 / 60, rule.time_of_day % 60);
  std::string text = std::string("BEGIN:") + kind + "\r\nDTSTART:" + start + "\r\nTZOFFSETFROM:" + offsetText(from) +
                     "\r\nTZOFFSETTO:" + offsetText(to) + "\r\nRRULE:FREQ=YEARLY;BYMONTH=" + std::to_string(rule.month) +
                     ";BYDAY=" + (rule.occurrence < 0 || rule.occurrence >= 5 ? std::string("-1") : std::to_string(rule.occurrence)) +
                     kDayCodes[rule.weekday] + "\r\nEND:" + kind + "\r\n";
  return text;
}

}  // namespace

std::int64_t ZoneRules::offsetAt(std::int64_t instant) const {
  if (!to_daylight || !to_standard) return standard_offset;
  const int year = epochToUtc(instant + standard_offset).year;
  const std::int64_t dst_start = switchInstant(year, *to_daylight, standard_offset);
  const std::int64_t dst_end = switchInstant(year, *to_standard, daylight_offset);
  const bool daylight = dst_start < dst_end ? (instant >= dst_start && instant < dst_end)
                                            : (instant >= dst_start || instant < dst_end);
  return daylight ? daylight_offset : standard_offset;
}

std::string ZoneRules::vtimezone(const std::string& tzid) const {
  std::string text = "BEGIN:VTIMEZONE\r\nTZID:" + tzid + "\r\n";
  if (to_daylight && to_standard) {
    text += onset("STANDARD", *to_standard, daylight_offset, standard_offset);
    text += onset("DAYLIGHT", *to_daylight, standard_offset, daylight_offset);
  } else {
    text += "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:" + offsetText(standard_offset) +
            "\r\nTZOFFSETTO:" + offsetText(standard_offset) + "\r\nEND:STANDARD\r\n";
  }
  return text + "END:VTIMEZONE\r\n";
}

std::shared_ptr<const Zone> Zone::utc() {
  static const std::shared_ptr<const Zone> zone = [] {
    auto z = std::make_shared<Zone>();
    z->tzid_ = "UTC";
    return std::shared_ptr<const Zone>(z);
  }();
  return zone;
}

std::shared_ptr<const Zone> Zone::iana(const std::string& name) {
  if (isUtcName(name)) return utc();
  if (!isIanaZone(name)) return nullptr;
  auto zone = std::make_shared<Zone>();
  zone->tzid_ = name;
  zone->iana_ = name;
  return zone;
}

std::shared_ptr<const Zone> Zone::custom(std::string label, ZoneRules rules) {
  auto zone = std::make_shared<Zone>();
  zone->tzid_ = std::move(label);
  zone->rules_ = std::move(rules);
  return zone;
}

std::int64_t Zone::offsetAt(std::int64_t instant) const {
  if (rules_) return rules_->offsetAt(instant);
  if (iana_.empty()) return 0;
  try {
    const date::time_zone* zone = date::locate_zone(iana_);
    auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{instant}});
    return info.offset.count();
  } catch (const std::exception&) {
    return 0;
  }
}

DateTime Zone::wallTime(std::int64_t instant) const {
  DateTime wall = epochToUtc(instant + offsetAt(instant));
  wall.tzid = tzid_;
  wall.utc = instant;
  return wall;
}

std::int64_t Zone::toUtc(int year, int month, int day, int hour, int minute, int second) const {
  const std::int64_t local = civilToEpoch(year, month, day, hour, minute, second);
  // The offsets in force a day either side cover any single transition near `local`.
  const std::int64_t before = offsetAt(local - 86400);
  const std::int64_t after = offsetAt(local + 86400);
  std::optional<std::int64_t> best;
  for (std::int64_t offset : {before, after}) {
    const std::int64_t candidate = local - offset;
    if (offsetAt(candidate) == offset && (!best || candidate < *best)) best = candidate;  // a fold: the earlier
  }
  // A gap (the wall time never happens): read it with the offset before, i.e. moved forward.
  return best ? *best : local - before;
}

std::optional<ZoneRules> rulesFromDefinition(const pugi::xml_node& definition) {
  std::map<std::string, std::int64_t> offsets;  // period id -> seconds east of UTC
  for (pugi::xml_node period : child(definition, "Periods").children()) {
    if (localName(period) != "Period") continue;
    auto bias = parseDuration(period.attribute("Bias").value());
    if (!bias) return std::nullopt;
    offsets[period.attribute("Id").value()] = -*bias;  // Windows bias: UTC = local + bias
  }
  if (offsets.empty()) return std::nullopt;

  // The rules in force last (the definition lists historic groups first).
  pugi::xml_node target;
  for (pugi::xml_node transition : child(definition, "Transitions").children()) {
    if (pugi::xml_node to = child(transition, "To")) target = to;
  }
  ZoneRules rules;
  auto periodOffset = [&](const std::string& id) -> std::optional<std::int64_t> {
    auto found = offsets.find(id);
    if (found == offsets.end()) return std::nullopt;
    return found->second;
  };
  if (!target) {
    if (offsets.size() != 1) return std::nullopt;
    rules.standard_offset = rules.daylight_offset = offsets.begin()->second;
    return rules;
  }
  const std::string kind = target.attribute("Kind").value();
  const std::string to = target.child_value();
  if (kind == "Period") {
    auto offset = periodOffset(to);
    if (!offset) return std::nullopt;
    rules.standard_offset = rules.daylight_offset = *offset;
    return rules;
  }
  pugi::xml_node group;
  for (pugi::xml_node candidate : child(definition, "TransitionsGroups").children()) {
    if (localName(candidate) == "TransitionsGroup" && candidate.attribute("Id").value() == to) group = candidate;
  }
  if (!group) return std::nullopt;
  struct Yearly {
    ZoneRules::Switch when;
    std::int64_t offset_after = 0;
  };
  std::vector<Yearly> yearly;
  std::optional<std::int64_t> fixed;
  for (pugi::xml_node transition : group.children()) {
    auto offset = periodOffset(childText(transition, "To"));
    if (!offset) return std::nullopt;
    if (localName(transition) == "Transition") {
      fixed = *offset;
      continue;
    }
    if (localName(transition) != "RecurringDayTransition") return std::nullopt;
    Yearly entry;
    entry.offset_after = *offset;
    auto time = parseDuration(childText(transition, "TimeOffset"));
    entry.when.weekday = weekdayNumber(childText(transition, "DayOfWeek"));
    try {
      entry.when.month = std::stoi(childText(transition, "Month"));
      entry.when.occurrence = std::stoi(childText(transition, "Occurrence"));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (!time || entry.when.weekday < 0 || entry.when.month < 1 || entry.when.month > 12 || entry.when.occurrence == 0 ||
        entry.when.occurrence < -1 || entry.when.occurrence > 5) {
      return std::nullopt;
    }
    entry.when.time_of_day = static_cast<int>(*time);
    yearly.push_back(entry);
  }
  if (yearly.size() == 2 && yearly[0].offset_after != yearly[1].offset_after) {
    // Daylight time is the period with the larger offset east of UTC.
    const bool first_is_daylight = yearly[0].offset_after > yearly[1].offset_after;
    const Yearly& daylight = first_is_daylight ? yearly[0] : yearly[1];
    const Yearly& standard = first_is_daylight ? yearly[1] : yearly[0];
    rules.standard_offset = standard.offset_after;
    rules.daylight_offset = daylight.offset_after;
    rules.to_daylight = daylight.when;
    rules.to_standard = standard.when;
    return rules;
  }
  if (fixed && yearly.empty()) {
    rules.standard_offset = rules.daylight_offset = *fixed;
    return rules;
  }
  return std::nullopt;
}

std::shared_ptr<const Zone> zoneFromDefinition(const pugi::xml_node& definition) {
  if (!definition) return nullptr;
  const std::string id = definition.attribute("Id").value();
  if (!id.empty()) {
    if (auto iana = ical::windowsToIana(id)) {
      if (auto zone = Zone::iana(*iana)) return zone;
    }
    if (auto zone = Zone::iana(id)) return zone;  // EWS sometimes answers with an IANA id
  }
  auto rules = rulesFromDefinition(definition);
  if (!rules) return nullptr;
  std::string label = definition.attribute("Name").value();
  if (label.empty()) label = id.empty() ? std::string("Custom") : id;
  return Zone::custom(label, *rules);
}

std::optional<std::string> windowsIdFor(const std::string& tzid) {
  if (isUtcName(tzid) || tzid.empty()) return std::string("UTC");
  if (auto windows = ical::ianaToWindows(tzid)) return windows;
  if (ical::windowsToIana(tzid)) return tzid;
  return std::nullopt;
}

std::shared_ptr<const Zone> zoneForTzid(const std::string& tzid) {
  if (tzid.empty() || isUtcName(tzid)) return Zone::utc();
  if (auto zone = Zone::iana(tzid)) return zone;
  if (auto iana = ical::windowsToIana(tzid)) return Zone::iana(*iana);
  return nullptr;
}

}  // namespace calsync::ews
