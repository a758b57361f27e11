// Reading a Google calendar: a full events.list (showDeleted, no time filters, so the listing
// is complete and its sync token covers everything), then incremental lists with that token.
// A 410 on the token means a full listing again, which deletes nothing that still exists.
#include <set>

#include "core/log.h"
#include "google/google_connector.h"
#include "ical/ical_codec.h"
#include "oauth/encoding.h"

namespace calsync::google {
namespace {

constexpr std::string_view kLog = "google";
constexpr std::string_view kCursorPrefix = "google1:";
constexpr int kMaxPages = 100000;

std::string tokenOf(const Cursor& cursor) {
  if (cursor.rfind(kCursorPrefix, 0) != 0) return {};
  return cursor.substr(kCursorPrefix.size());
}

bool cancelled(const json::Object::Ptr& item) { return json::text(item, "status") == "cancelled"; }

}  // namespace

std::optional<GoogleConnector::Listing> GoogleConnector::listEvents(const std::string& calendar,
                                                                    const std::string& query,
                                                                    const std::string& context) {
  Listing listing;
  std::string page;
  std::set<std::string> seen_pages;
  for (int round = 0; round < kMaxPages; ++round) {
    std::string path = eventsPath(calendar) + "?maxResults=" + std::to_string(config_.page_size) + "&" + query;
    if (!page.empty()) path += "&pageToken=" + oauth::urlEncode(page);
    auto response = api_->send("GET", path);
    if (response.status == 410) {
      // fullSyncRequired (or updatedMinTooLongAgo): the token is no good any more.
      log::info(kLog, context + ": " + googleErrorOf(response).reason + "; the sync token is no longer valid");
      return std::nullopt;
    }
    if (response.status != 200) throw api_->errorFor(response, context);
    auto body = json::parseObject(response.body, context);
    if (round == 0) listing.time_zone = json::text(body, "timeZone");
    for (auto& item : json::objects(body, "items")) listing.items.push_back(item);
    page = json::text(body, "nextPageToken");
    if (page.empty()) {
      // Only the last page carries nextSyncToken.
      listing.next_sync_token = json::text(body, "nextSyncToken");
      return listing;
    }
    if (!seen_pages.insert(page).second) throw ConnectorError(ErrorKind::Protocol, context + ": page token repeated");
  }
  throw ConnectorError(ErrorKind::Protocol, context + ": paging never ended");
}

std::optional<SeriesItems> GoogleConnector::fetchSeries(const std::string& calendar, const std::string& master_id) {
  const std::string context = "GET event " + master_id;
  auto response = api_->send("GET", eventsPath(calendar) + "/" + oauth::urlEncode(master_id));
  if (response.status == 404 || response.status == 410) return std::nullopt;
  if (response.status != 200) throw api_->errorFor(response, context);
  SeriesItems series;
  series.master = json::parseObject(response.body, context);
  if (cancelled(series.master)) return std::nullopt;
  if (!json::strings(series.master, "recurrence").empty()) {
    // Modified and cancelled instances share the master's iCalUID.
    const std::string ical_uid = json::text(series.master, "iCalUID");
    auto listing = listEvents(calendar, "showDeleted=true&iCalUID=" + oauth::urlEncode(ical_uid),
                              "GET instances of " + master_id);
    if (!listing) throw ConnectorError(ErrorKind::Protocol, context + ": 410 without a sync token");
    for (const auto& item : listing->items) {
      if (json::text(item, "recurringEventId") != master_id) continue;
      (cancelled(item) ? series.cancelled : series.exceptions).push_back(item);
    }
  }
  return series;
}

void GoogleConnector::place(ChangeSet& changes, const Window& window, const std::string& native_id,
                            const SeriesItems& series, const std::string& zone) {
  try {
    CalendarObject object = objectFromSeries(native_id, series, zone, changes.warnings);
    if (window.overlaps(object.span_start_utc, object.span_end_utc)) {
      changes.upserts.push_back(std::move(object));
    } else {
      changes.out_of_window.push_back(native_id);
    }
  } catch (const ConnectorError& e) {
    if (e.kind() != ErrorKind::BadData) throw;
    // It exists but cannot be read: say so, and keep it from looking deleted.
    changes.warnings.push_back({"event " + native_id, e.what()});
    changes.out_of_window.push_back(native_id);
  }
}

ChangeSet GoogleConnector::pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) {
  const std::string context = "GET events of " + calendar;
  const std::string token = tokenOf(cursor);
  if (!cursor.empty() && token.empty()) log::warn(kLog, "unreadable cursor for " + calendar + "; reading the whole calendar");

  if (!token.empty()) {
    if (auto listing = listEvents(calendar, "syncToken=" + oauth::urlEncode(token), context)) {
      ChangeSet changes;
      changes.complete = false;
      const std::string zone = listing->time_zone.empty() ? calendarZone(calendar) : listing->time_zone;
      std::set<std::string> removed;
      std::set<std::string> refetch;
      std::map<std::string, SeriesItems> singles;
      for (const auto& item : listing->items) {
        const std::string id = json::text(item, "id");
        const std::string master = json::text(item, "recurringEventId");
        if (!master.empty()) {
          refetch.insert(master);  // a changed or cancelled instance changes its series
        } else if (cancelled(item)) {
          removed.insert(id);      // only a top-level cancellation deletes anything
        } else if (json::strings(item, "recurrence").empty()) {
          singles[id].master = item;
        } else {
          refetch.insert(id);      // the master changed: read its instances with it
        }
      }
      for (const auto& [id, series] : singles) {
        if (!removed.count(id)) place(changes, window, id, series, zone);
      }
      for (const auto& id : refetch) {
        if (removed.count(id)) continue;
        auto series = fetchSeries(calendar, id);
        if (series) {
          place(changes, window, id, *series, zone);
        } else {
          removed.insert(id);
        }
      }
      changes.removed.assign(removed.begin(), removed.end());
      changes.cursor = listing->next_sync_token.empty() ? Cursor() : std::string(kCursorPrefix) + listing->next_sync_token;
      log::debug(kLog, calendar + ": " + std::to_string(listing->items.size()) + " changed items");
      return changes;
    }
    log::info(kLog, "sync token for " + calendar + " expired; reading the whole calendar again");
  }

  auto listing = listEvents(calendar, "showDeleted=true", context);
  if (!listing) throw ConnectorError(ErrorKind::Protocol, context + ": 410 on a listing without a sync token");
  const std::string zone = listing->time_zone.empty() ? calendarZone(calendar) : listing->time_zone;
  if (!listing->time_zone.empty()) zones_[calendar] = listing->time_zone;

  ChangeSet changes;
  changes.complete = true;
  std::map<std::string, SeriesItems> series;
  std::set<std::string> removed;
  for (const auto& item : listing->items) {
    const std::string id = json::text(item, "id");
    const std::string master = json::text(item, "recurringEventId");
    if (!master.empty()) {
      (cancelled(item) ? series[master].cancelled : series[master].exceptions).push_back(item);
    } else if (cancelled(item)) {
      removed.insert(id);
    } else {
      series[id].master = item;
    }
  }
  for (const auto& [id, items] : series) {
    if (removed.count(id)) continue;                     // a deleted series takes its instances along
    if (!items.master && items.exceptions.empty()) continue;  // only cancelled instances: nothing to show
    place(changes, window, id, items, zone);
  }
  changes.removed.assign(removed.begin(), removed.end());
  if (listing->next_sync_token.empty()) {
    log::warn(kLog, context + ": the last page had no nextSyncToken; the next pull reads everything again");
  } else {
    changes.cursor = std::string(kCursorPrefix) + listing->next_sync_token;
  }
  log::debug(kLog, calendar + ": full listing of " + std::to_string(listing->items.size()) + " items");
  return changes;
}

}  // namespace calsync::google
