// Reading a Graph calendar with calendarView/delta. A round starts with the window (plus a
// margin, so it lasts while the sync window moves on) and ends in a deltaLink, kept in the
// cursor; later pulls follow it. @removed entries are not trusted as deletions: calendarView
// delta also reports events that merely left the window, so each one is looked up, and only a
// 404 counts. An expired link (410, syncStateNotFound) starts a new round, which asks about
// every object it no longer lists in the same way. Listings are never "complete": the
// calendarView shows only the window, and absence from it proves nothing.
#include <set>

#include "core/log.h"
#include "graph/graph_connector.h"
#include "oauth/encoding.h"
#include "oauth/rfc3339.h"

namespace calsync::graph {
namespace {

constexpr std::string_view kLog = "graph";
constexpr int kMaxPages = 100000;
constexpr std::int64_t kDay = 86400;
// Instances are listed this far around the checked window, so an occurrence moved just
// outside it is still seen (and not mistaken for a cancelled one).
constexpr std::int64_t kInstanceMargin = 31 * kDay;

bool deltaExpired(int status, const GraphError& error) {
  if (status == 410) return true;
  std::string code = error.code;
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return code == "syncstatenotfound" || code == "resyncrequired" || code == "syncstateinvalid";
}

}  // namespace

std::optional<GraphConnector::DeltaListing> GraphConnector::followDelta(const std::string& first,
                                                                        const std::string& context) {
  DeltaListing listing;
  std::string next = first;
  std::set<std::string> seen;
  for (int round = 0; round < kMaxPages; ++round) {
    auto response = api_->send("GET", next, {}, {}, config_.page_size);
    if (response.status != 200) {
      if (deltaExpired(response.status, graphErrorOf(response))) {
        log::info(kLog, context + ": the delta state expired (" + std::to_string(response.status) + ")");
        return std::nullopt;
      }
      throw api_->errorFor(response, context);
    }
    auto body = json::parseObject(response.body, context);
    for (auto& item : json::objects(body, "value")) listing.items.push_back(item);
    // An empty page may still carry a nextLink: keep following.
    next = json::text(body, "@odata.nextLink");
    if (next.empty()) {
      listing.delta_link = json::text(body, "@odata.deltaLink");
      if (listing.delta_link.empty()) throw ConnectorError(ErrorKind::Protocol, context + ": last page without a deltaLink");
      return listing;
    }
    if (!seen.insert(next).second) throw ConnectorError(ErrorKind::Protocol, context + ": nextLink repeated");
  }
  throw ConnectorError(ErrorKind::Protocol, context + ": paging never ended");
}

std::vector<json::Object::Ptr> GraphConnector::instancesAround(const std::string& master_id, std::int64_t from,
                                                               std::int64_t to) {
  return collect(eventPath(master_id) + "/instances?startDateTime=" + oauth::urlEncode(web::formatUtc(from)) +
                     "&endDateTime=" + oauth::urlEncode(web::formatUtc(to)),
                 "GET instances of " + master_id);
}

std::optional<CalendarObject> GraphConnector::readSeries(const json::Object::Ptr& master, const Window& window,
                                                         std::vector<ReadWarning>& warnings) {
  GraphSeries series;
  series.master = master;
  series.checked = window;
  series.instances = instancesAround(json::text(master, "id"), window.start_utc - kInstanceMargin,
                                     window.end_utc + kInstanceMargin);
  return objectFromSeries(series, warnings);
}

ChangeSet GraphConnector::pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) {
  const std::string context = "GET calendarView/delta of " + calendar;
  const auto previous = DeltaCursor::decode(cursor);
  if (!cursor.empty() && !previous) log::warn(kLog, "unreadable cursor for " + calendar + "; starting a new delta round");

  DeltaCursor next;
  std::optional<DeltaListing> listing;
  const bool covered = previous && !previous->delta_link.empty() && previous->from <= window.start_utc &&
                       window.end_utc <= previous->to;
  if (covered) {
    listing = followDelta(previous->delta_link, context);
    next.from = previous->from;
    next.to = previous->to;
  }
  const bool new_round = !listing;
  if (new_round) {
    next.from = window.start_utc;
    next.to = window.end_utc + config_.window_margin_days * kDay;
    const std::string first = config_.userPath() + "/calendars/" + oauth::urlEncode(calendar) +
                              "/calendarView/delta?startDateTime=" + oauth::urlEncode(web::formatUtc(next.from)) +
                              "&endDateTime=" + oauth::urlEncode(web::formatUtc(next.to));
    listing = followDelta(first, context);
    if (!listing) throw ConnectorError(ErrorKind::Protocol, context + ": a new delta round was refused as expired");
  }
  next.delta_link = listing->delta_link;
  if (previous) {
    next.singles = previous->singles;
    next.series = previous->series;
  }

  std::set<std::string> singles;
  std::set<std::string> series;
  std::set<std::string> questioned;  // @removed, or known and no longer listed
  for (const auto& item : listing->items) {
    const std::string id = json::text(item, "id");
    if (item->has("@removed")) {
      questioned.insert(id);
      continue;
    }
    const std::string type = json::text(item, "type");
    if (type == "occurrence" || type == "exception") {
      series.insert(json::text(item, "seriesMasterId"));
    } else if (type == "seriesMaster") {
      series.insert(id);
    } else {
      singles.insert(id);
    }
  }
  if (new_round && previous) {
    for (const auto& id : previous->singles) {
      if (!singles.count(id)) questioned.insert(id);
    }
    for (const auto& id : previous->series) {
      if (!series.count(id)) questioned.insert(id);
    }
  }

  ChangeSet changes;
  changes.complete = false;
  std::set<std::string> removed;
  bool unexplained = false;
  for (const auto& id : questioned) {
    if (singles.count(id) || series.count(id)) continue;  // replayed, then listed again
    auto response = api_->send("GET", eventPath(id) + "?$select=id,type,seriesMasterId");
    if (response.status == 404) {
      removed.insert(id);
      // A cancelled occurrence has an id no object carries: its series changed somewhere.
      if (!next.singles.count(id) && !next.series.count(id)) unexplained = true;
      continue;
    }
    if (response.status != 200) throw api_->errorFor(response, "GET event " + id);
    auto item = json::parseObject(response.body, "GET event " + id);
    const std::string type = json::text(item, "type");
    if (type == "occurrence" || type == "exception") {
      series.insert(json::text(item, "seriesMasterId"));
    } else if (type == "seriesMaster") {
      series.insert(id);
    } else {
      singles.insert(id);  // it left the window (or came back): still there, not deleted
    }
  }
  if (unexplained) series.insert(next.series.begin(), next.series.end());

  auto place = [&](CalendarObject object) {
    if (window.overlaps(object.span_start_utc, object.span_end_utc)) {
      changes.upserts.push_back(std::move(object));
    } else {
      changes.out_of_window.push_back(object.native_id);
    }
  };
  for (const auto& id : singles) {
    auto item = getEvent(id);
    if (!item) {
      removed.insert(id);
      continue;
    }
    try {
      if (json::text(*item, "type") == "seriesMaster") {
        series.insert(id);
        continue;
      }
      place(objectFromSingle(*item, changes.warnings));
      next.singles.insert(id);
    } catch (const ConnectorError& e) {
      if (e.kind() != ErrorKind::BadData) throw;
      changes.warnings.push_back({"event " + id, e.what()});
      changes.out_of_window.push_back(id);  // exists, unreadable: never a deletion
    }
  }
  for (const auto& id : series) {
    if (id.empty()) continue;
    auto master = getEvent(id);
    if (!master) {
      removed.insert(id);
      continue;
    }
    try {
      auto object = readSeries(*master, window, changes.warnings);
      if (object) place(std::move(*object));
      next.series.insert(id);
    } catch (const ConnectorError& e) {
      if (e.kind() != ErrorKind::BadData) throw;
      changes.warnings.push_back({"series " + id, e.what()});
      changes.out_of_window.push_back(id);
    }
  }
  for (const auto& id : removed) {
    next.singles.erase(id);
    next.series.erase(id);
  }
  changes.removed.assign(removed.begin(), removed.end());
  changes.cursor = next.encode();
  log::debug(kLog, calendar + ": " + std::to_string(listing->items.size()) + " delta items, " +
                       std::to_string(changes.upserts.size()) + " objects");
  return changes;
}

}  // namespace calsync::graph
