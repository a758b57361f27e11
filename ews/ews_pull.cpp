// Reading an EWS calendar. A full read lists every item id with SyncFolderItems (which also
// yields the state for the next incremental read), finds what touches the window with
// CalendarViews, and fetches those items whole with GetItem; everything else is reported as
// existing but out of the window, so nothing that exists is ever taken for deleted.
#include <algorithm>

#include "core/log.h"
#include "ews/ews_connector.h"
#include "ews/ews_time.h"
#include "ews/soap_xml.h"
#include "ews/sync_cursor.h"

namespace calsync::ews {
namespace {

constexpr std::string_view kLog = "ews";
constexpr int kMaxRounds = 100000;

std::string where(const FolderRef& folder) { return folder.id == kDefaultCalendar ? std::string("calendar") : folder.id; }

}  // namespace

ChangeSet EwsConnector::pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) {
  const FolderRef folder = folderFor(calendar);
  if (!cursor.empty()) {
    if (auto previous = SyncCursor::decode(cursor)) return incrementalPull(folder, window, *previous);
    log::warn(kLog, "unreadable cursor for " + where(folder) + "; reading the whole calendar");
  }
  return fullPull(folder, window);
}

ChangeSet EwsConnector::fullPull(const FolderRef& folder, const Window& window) {
  SyncListing all = syncItems(folder, "");
  if (all.refused) throw ConnectorError(ErrorKind::Protocol, "SyncFolderItems " + where(folder) + ": the initial sync was refused");
  ViewListing view;
  calendarView(folder, window.start_utc, window.end_utc, view);
  std::vector<ItemRef> masters_of;
  for (const auto& [uid, occurrence] : view.series) masters_of.push_back(occurrence);
  Fetched fetched = fetchObjects(view.items, masters_of);

  ChangeSet changes;
  changes.complete = true;
  std::set<std::string> listed;
  for (const auto& object : fetched.objects) listed.insert(object.native_id);
  for (const auto& id : fetched.unusable) listed.insert(id);
  std::set<std::string> gone(fetched.gone.begin(), fetched.gone.end());
  for (const auto& [id, change_key] : all.changed) {
    if (!listed.count(id) && !gone.count(id)) changes.out_of_window.push_back(id);
  }
  for (const auto& id : fetched.unusable) changes.out_of_window.push_back(id);
  changes.upserts = std::move(fetched.objects);
  changes.warnings = std::move(fetched.warnings);
  changes.cursor = SyncCursor{all.state, window.start_utc, window.end_utc}.encode();
  log::debug(kLog, "full read of " + where(folder) + ": " + std::to_string(changes.upserts.size()) + " in the window, " +
                       std::to_string(changes.out_of_window.size()) + " outside");
  return changes;
}

ChangeSet EwsConnector::incrementalPull(const FolderRef& folder, const Window& window, const SyncCursor& cursor) {
  SyncListing delta = syncItems(folder, cursor.sync_state);
  if (delta.refused) {
    // A full listing marked complete: whatever still exists is listed, so nothing is lost.
    log::info(kLog, "sync state for " + where(folder) + " refused by the server; reading the whole calendar again");
    return fullPull(folder, window);
  }
  ViewListing view;
  for (const auto& [id, change_key] : delta.changed) view.items.push_back(ItemRef{id, ""});
  // Days the window newly covers hold items that did not change but were never read.
  if (window.end_utc > cursor.window_end) {
    calendarView(folder, std::max(cursor.window_end, window.start_utc), window.end_utc, view);
  }
  if (window.start_utc < cursor.window_start) {
    calendarView(folder, window.start_utc, std::min(cursor.window_start, window.end_utc), view);
  }
  std::vector<ItemRef> masters_of;
  for (const auto& [uid, occurrence] : view.series) masters_of.push_back(occurrence);
  Fetched fetched = fetchObjects(view.items, masters_of);

  ChangeSet changes;
  changes.complete = false;
  std::set<std::string> present;
  for (const auto& object : fetched.objects) present.insert(object.native_id);
  for (const auto& id : fetched.unusable) present.insert(id);
  std::set<std::string> removed(delta.deleted.begin(), delta.deleted.end());
  removed.insert(fetched.gone.begin(), fetched.gone.end());
  for (const auto& id : removed) {
    if (!present.count(id)) changes.removed.push_back(id);
  }
  changes.out_of_window = std::move(fetched.unusable);
  changes.upserts = std::move(fetched.objects);
  changes.warnings = std::move(fetched.warnings);
  changes.cursor = SyncCursor{delta.state, window.start_utc, window.end_utc}.encode();
  return changes;
}

EwsConnector::SyncListing EwsConnector::syncItems(const FolderRef& folder, const std::string& state) {
  SyncListing listing;
  std::string current = state;
  const std::string context = "SyncFolderItems " + where(folder);
  for (int round = 0;; ++round) {
    if (round == kMaxRounds) throw ConnectorError(ErrorKind::Protocol, context + ": never reached the last change");
    SoapResponse response = client_.call("SyncFolderItems",
                                         syncFolderItemsRequest(folder, current, client_.config().sync_page_size), true);
    if (response.messages.size() != 1) throw ConnectorError(ErrorKind::Protocol, context + ": expected one response message");
    const ResponseMessage& message = response.messages.front();
    if (!message.ok()) {
      if (message.code == "ErrorInvalidSyncStateData" && round == 0 && !current.empty()) {
        listing.refused = true;
        return listing;
      }
      throw errorFor(message, context);
    }
    std::string next = childText(message.node, "SyncState");
    if (next.empty()) throw ConnectorError(ErrorKind::Protocol, context + ": answer without a SyncState");
    std::size_t count = 0;
    for (pugi::xml_node change : child(message.node, "Changes").children()) {
      const std::string_view kind = localName(change);
      if (kind == "Create" || kind == "Update") {
        pugi::xml_node item = change.find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
        pugi::xml_node id = child(item, "ItemId");
        if (!id || !*id.attribute("Id").value()) throw ConnectorError(ErrorKind::Protocol, context + ": a change without ItemId");
        listing.changed[id.attribute("Id").value()] = id.attribute("ChangeKey").value();
        ++count;
      } else if (kind == "Delete") {
        pugi::xml_node id = child(change, "ItemId");
        if (!id || !*id.attribute("Id").value()) throw ConnectorError(ErrorKind::Protocol, context + ": a deletion without ItemId");
        listing.deleted.insert(id.attribute("Id").value());
        ++count;
      }
    }
    const std::string last = childText(message.node, "IncludesLastItemInRange");
    listing.state = next;
    if (last != "false") break;
    if (count == 0 && next == current) throw ConnectorError(ErrorKind::Protocol, context + ": no progress between pages");
    current = next;
  }
  // Deleted and then re-created, or reported both ways: a GetItem decides which is true.
  return listing;
}

void EwsConnector::calendarView(const FolderRef& folder, std::int64_t start, std::int64_t end, ViewListing& listing) {
  if (end <= start) return;
  const std::string context = "FindItem CalendarView " + where(folder);
  std::set<std::string> seen;
  for (const auto& item : listing.items) seen.insert(item.id);
  const std::int64_t max_span = static_cast<std::int64_t>(client_.config().max_view_days) * 86400;
  for (std::int64_t chunk = start; chunk < end; chunk += max_span) {
    const std::int64_t chunk_end = std::min(end, chunk + max_span);
    std::int64_t from = chunk;
    int page = client_.config().view_page_size;
    for (int round = 0;; ++round) {
      if (round == kMaxRounds) throw ConnectorError(ErrorKind::Protocol, context + ": paging never ended");
      SoapResponse response = client_.call("FindItem", calendarViewRequest(folder, from, chunk_end, page), true);
      if (response.messages.size() != 1) throw ConnectorError(ErrorKind::Protocol, context + ": expected one response message");
      const ResponseMessage& message = response.messages.front();
      if (!message.ok()) throw errorFor(message, context);
      pugi::xml_node root = child(message.node, "RootFolder");
      if (!root) throw ConnectorError(ErrorKind::Protocol, context + ": answer without RootFolder");
      int returned = 0;
      std::int64_t last_start = from;
      for (pugi::xml_node item : child(root, "Items").children()) {
        if (item.type() != pugi::node_element) continue;
        ++returned;
        ItemRef ref{child(item, "ItemId").attribute("Id").value(), child(item, "ItemId").attribute("ChangeKey").value()};
        if (ref.id.empty()) throw ConnectorError(ErrorKind::Protocol, context + ": an item without ItemId");
        if (auto item_start = parseDateTime(childText(item, "Start"))) last_start = std::max(last_start, *item_start);
        if (!seen.insert(ref.id).second) continue;
        const std::string type = childText(item, "CalendarItemType");
        if (type == "Occurrence" || type == "Exception") {
          std::string uid = childText(item, "UID");
          listing.series.emplace(uid.empty() ? ref.id : uid, ref);
        } else {
          listing.items.push_back(ref);
        }
      }
      pugi::xml_attribute includes_last = root.attribute("IncludesLastItemInRange");
      const bool done = includes_last ? std::string_view(includes_last.value()) != "false" : returned < page;
      if (done) break;
      if (returned == 0) throw ConnectorError(ErrorKind::Protocol, context + ": an empty page that is not the last");
      // CalendarView has no offset: go on from the last start seen; a page that could not move
      // forward (all at one instant) is asked for again, bigger.
      if (last_start > from) {
        from = last_start;
      } else {
        if (page >= 1 << 16) throw ConnectorError(ErrorKind::Protocol, context + ": too many items at one instant");
        page *= 2;
      }
    }
  }
}

EwsConnector::Fetched EwsConnector::fetchObjects(const std::vector<ItemRef>& items, const std::vector<ItemRef>& masters_of) {
  Fetched fetched;
  const std::size_t batch = static_cast<std::size_t>(std::max(1, client_.config().get_item_batch));
  std::map<std::string, EwsItem> heads;   // by ItemId: singles and masters
  std::vector<std::string> order;

  struct Request {
    ItemRef ref;
    bool by_occurrence = false;
  };
  std::vector<Request> requests;
  for (const auto& ref : items) requests.push_back({ref, false});
  for (const auto& ref : masters_of) requests.push_back({ref, true});

  for (std::size_t first = 0; first < requests.size(); first += batch) {
    const std::size_t last = std::min(requests.size(), first + batch);
    std::vector<ItemRef> by_id, by_occurrence;
    std::vector<const Request*> asked;
    for (std::size_t i = first; i < last; ++i) {
      (requests[i].by_occurrence ? by_occurrence : by_id).push_back(requests[i].ref);
    }
    for (std::size_t i = first; i < last; ++i) {
      if (!requests[i].by_occurrence) asked.push_back(&requests[i]);
    }
    for (std::size_t i = first; i < last; ++i) {
      if (requests[i].by_occurrence) asked.push_back(&requests[i]);
    }
    SoapResponse response = client_.call("GetItem", getItemRequest(by_id, by_occurrence), true);
    if (response.messages.size() != asked.size()) {
      throw ConnectorError(ErrorKind::Protocol, "GetItem: " + std::to_string(response.messages.size()) +
                                                    " answers for " + std::to_string(asked.size()) + " items");
    }
    for (std::size_t i = 0; i < asked.size(); ++i) {
      const ResponseMessage& message = response.messages[i];
      const Request& request = *asked[i];
      if (!message.ok()) {
        if (message.code == "ErrorItemNotFound" || message.code == "ErrorCalendarOccurrenceIsDeletedFromRecurrence") {
          if (!request.by_occurrence) fetched.gone.push_back(request.ref.id);
          continue;  // an occurrence that went away: its series shows up in the sync instead
        }
        ConnectorError error = errorFor(message, "GetItem " + request.ref.id);
        if (error.kind() != ErrorKind::BadData) throw error;
        fetched.warnings.push_back({request.ref.id, error.what()});
        fetched.unusable.push_back(request.ref.id);
        continue;
      }
      pugi::xml_node item = child(child(message.node, "Items"), "CalendarItem");
      if (!item) {
        // Not a calendar item (a stray message in a calendar folder): nothing to sync.
        continue;
      }
      try {
        EwsItem read = readCalendarItem(item);
        if (read.kind == ItemKind::Occurrence || read.kind == ItemKind::Exception) {
          fetched.warnings.push_back({read.ref.id, "an occurrence without its recurring master was skipped"});
          continue;
        }
        if (!heads.count(read.ref.id)) order.push_back(read.ref.id);
        heads[read.ref.id] = std::move(read);
      } catch (const ConnectorError& e) {
        if (e.kind() != ErrorKind::BadData) throw;
        std::string id = child(item, "ItemId").attribute("Id").value();
        fetched.warnings.push_back({id.empty() ? request.ref.id : id, e.what()});
        fetched.unusable.push_back(id.empty() ? request.ref.id : id);
      }
    }
  }

  // Every master's exceptions, fetched whole: a series travels as one object.
  std::vector<std::pair<std::string, ItemRef>> wanted;  // master id, exception ref
  for (const auto& id : order) {
    for (const auto& occurrence : heads[id].modified) wanted.emplace_back(id, occurrence.item);
  }
  std::map<std::string, std::vector<EwsItem>> exceptions;
  std::set<std::string> broken;
  for (std::size_t first = 0; first < wanted.size(); first += batch) {
    const std::size_t last = std::min(wanted.size(), first + batch);
    std::vector<ItemRef> refs;
    for (std::size_t i = first; i < last; ++i) refs.push_back(wanted[i].second);
    SoapResponse response = client_.call("GetItem", getItemRequest(refs, {}), true);
    if (response.messages.size() != refs.size()) throw ConnectorError(ErrorKind::Protocol, "GetItem: wrong number of answers");
    for (std::size_t i = 0; i < refs.size(); ++i) {
      const std::string& master_id = wanted[first + i].first;
      const ResponseMessage& message = response.messages[i];
      pugi::xml_node item = child(child(message.node, "Items"), "CalendarItem");
      try {
        if (!message.ok()) throw errorFor(message, "GetItem exception " + refs[i].id);
        if (!item) throw ConnectorError(ErrorKind::BadData, "exception " + refs[i].id + " is not a calendar item");
        exceptions[master_id].push_back(readCalendarItem(item));
      } catch (const ConnectorError& e) {
        if (e.kind() != ErrorKind::BadData && e.kind() != ErrorKind::NotFound) throw;
        // An exception that cannot be read is an error for its series, never a deletion.
        if (broken.insert(master_id).second) {
          fetched.warnings.push_back({master_id, std::string("series skipped: ") + e.what()});
          fetched.unusable.push_back(master_id);
        }
      }
    }
  }

  for (const auto& id : order) {
    if (broken.count(id)) continue;
    try {
      fetched.objects.push_back(assembleObject(heads[id], exceptions[id]));
    } catch (const ConnectorError& e) {
      if (e.kind() != ErrorKind::BadData) throw;
      fetched.warnings.push_back({id, e.what()});
      fetched.unusable.push_back(id);
    }
  }
  return fetched;
}

}  // namespace calsync::ews
