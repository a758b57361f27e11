#include "master/free_busy.h"

#include <algorithm>
#include <map>

#include "core/log.h"
#include "ical/ical_codec.h"
#include "master/public_ids.h"

namespace calsync::master {
namespace {

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

const char* toString(BusyStatus status) {
  switch (status) {
    case BusyStatus::Tentative: return "tentative";
    case BusyStatus::Busy: return "busy";
    case BusyStatus::OutOfOffice: return "oof";
  }
  return "busy";
}

std::optional<BusyStatus> busyStatusOf(const Event& event) {
  if (event.status == EventStatus::Cancelled) return std::nullopt;
  for (const auto& p : event.extra_properties) {
    if (upper(p.name) != "X-MICROSOFT-CDO-BUSYSTATUS") continue;
    const std::string value = upper(p.value);
    if (value == "FREE" || value == "WORKINGELSEWHERE") return std::nullopt;
    if (value == "TENTATIVE") return BusyStatus::Tentative;
    if (value == "OOF") return BusyStatus::OutOfOffice;
    if (value == "BUSY") return BusyStatus::Busy;
  }
  if (event.transparency == Transparency::Transparent) return std::nullopt;
  if (event.status == EventStatus::Tentative) return BusyStatus::Tentative;
  return BusyStatus::Busy;
}

std::vector<BusyInterval> mergeBusy(std::vector<BusyInterval> intervals) {
  // Sweep over every boundary; between two boundaries the heaviest covering status holds.
  std::vector<std::int64_t> points;
  for (const auto& i : intervals) {
    if (i.end_utc <= i.start_utc) continue;
    points.push_back(i.start_utc);
    points.push_back(i.end_utc);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  std::sort(intervals.begin(), intervals.end(),
            [](const BusyInterval& a, const BusyInterval& b) { return a.start_utc < b.start_utc; });
  // Open intervals by end, to find the heaviest one covering each piece.
  std::multimap<std::int64_t, BusyStatus> open;
  std::vector<BusyInterval> merged;
  std::size_t next = 0;
  for (std::size_t p = 0; p + 1 < points.size(); ++p) {
    const std::int64_t from = points[p];
    const std::int64_t to = points[p + 1];
    while (next < intervals.size() && intervals[next].start_utc <= from) {
      if (intervals[next].end_utc > intervals[next].start_utc) open.emplace(intervals[next].end_utc, intervals[next].status);
      ++next;
    }
    while (!open.empty() && open.begin()->first <= from) open.erase(open.begin());
    if (open.empty()) continue;
    BusyStatus status = BusyStatus::Tentative;
    for (const auto& [end, s] : open) status = std::max(status, s);
    if (!merged.empty() && merged.back().end_utc == from && merged.back().status == status) {
      merged.back().end_utc = to;
    } else {
      merged.push_back({from, to, status});
    }
  }
  return merged;
}

FreeBusyResult freeBusy(store::MasterStore& store, std::int64_t from, std::int64_t to,
                        const std::set<std::string>& calendars, std::size_t limit) {
  FreeBusyResult result;
  std::vector<BusyInterval> intervals;
  std::size_t occurrences = 0;
  const Window window{from, to};
  for (const auto& stored : store.activeObjectsInRange(from, to)) {
    if (!calendars.empty() &&
        !calendars.count(publicCalendarId(stored.key.agent_id, stored.key.source, stored.key.calendar_id))) {
      continue;
    }
    const ical::ParsedCalendar parsed = ical::parse(stored.ical);
    if (parsed.objects.size() != 1) {
      log::warn("master", "stored object " + stored.key.source + "/" + stored.key.native_id + " does not parse");
      continue;
    }
    for (const auto& occ : ical::expand(parsed.objects.front(), window, limit + 1)) {
      if (++occurrences > limit) {
        result.too_many = true;
        return result;
      }
      const auto status = busyStatusOf(*occ.event);
      if (!status) continue;
      intervals.push_back({std::max(occ.start_utc, from), std::min(occ.end_utc, to), *status});
    }
  }
  result.busy = mergeBusy(std::move(intervals));
  return result;
}

}  // namespace calsync::master
