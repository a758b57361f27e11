#include "master/events_query.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/log.h"
#include "ical/ical_codec.h"

namespace calsync::master {

EventsResult queryEvents(store::MasterStore& store, std::int64_t from_utc, std::int64_t to_utc, std::size_t limit) {
  EventsResult result;
  std::map<std::string, std::string> calendar_names;
  for (const auto& c : store.calendars()) {
    calendar_names[c.agent_id + '\x1f' + c.source + '\x1f' + c.calendar.id] = c.calendar.name;
  }
  const Window window{from_utc, to_utc};
  for (const auto& stored : store.activeObjectsInRange(from_utc, to_utc)) {
    ical::ParsedCalendar parsed = ical::parse(stored.ical);
    if (parsed.objects.size() != 1) {
      ++result.unreadable;
      log::warn("master", "stored object " + stored.key.source + "/" + stored.key.native_id + " does not parse");
      continue;
    }
    const CalendarObject& object = parsed.objects.front();
    const std::string name =
        calendar_names[stored.key.agent_id + '\x1f' + stored.key.source + '\x1f' + stored.key.calendar_id];
    for (const auto& occ : ical::expand(object, window, limit + 1)) {
      OccurrenceView view;
      view.key = stored.key;
      view.calendar_name = name;
      view.uid = occ.uid;
      view.recurrence_id = occ.recurrence_id;
      view.event = *occ.event;
      view.start = occ.start;
      view.end = occ.end;
      view.start_utc = occ.start_utc;
      view.end_utc = occ.end_utc;
      result.occurrences.push_back(std::move(view));
    }
  }
  std::sort(result.occurrences.begin(), result.occurrences.end(), [](const auto& a, const auto& b) {
    return a.start_utc != b.start_utc ? a.start_utc < b.start_utc : a.uid < b.uid;
  });
  if (result.occurrences.size() > limit) {
    result.occurrences.resize(limit);
    result.truncated = true;
  }
  return result;
}

std::optional<std::int64_t> parseIsoInstant(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  if (text.size() == 10) return civilToEpoch(y, mo, d, 0, 0, 0);
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  int more = 0;
  if (std::sscanf(text.c_str() + 11, "%2d:%2d:%2d%n", &h, &mi, &s, &more) != 3 || more != 8) return std::nullopt;
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  }
  const std::int64_t wall = civilToEpoch(y, mo, d, h, mi, s);
  const std::string zone = text.substr(pos);
  if (zone == "Z" || zone == "z") return wall;
  int oh = 0, om = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
      std::sscanf(zone.c_str() + 1, "%2d:%2d", &oh, &om) == 2 && oh <= 23 && om <= 59) {
    const std::int64_t offset = (oh * 3600 + om * 60) * (zone[0] == '+' ? 1 : -1);
    return wall - offset;
  }
  return std::nullopt;
}

std::string formatIsoUtc(std::int64_t epoch_seconds) {
  const DateTime t = epochToUtc(epoch_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
  return buf;
}

}  // namespace calsync::master
