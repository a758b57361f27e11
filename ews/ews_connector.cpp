// Calendars, lookups and writes of the EWS connector; reads live in ews_pull.cpp.
#include "ews/ews_connector.h"

#include <algorithm>

#include "core/log.h"
#include "ews/goid.h"
#include "ews/soap_xml.h"
#include "ical/ical_codec.h"

namespace calsync::ews {
namespace {

constexpr std::string_view kLog = "ews";

bool isCalendarFolder(const pugi::xml_node& folder) {
  std::string folder_class = childText(folder, "FolderClass");
  return localName(folder) == "CalendarFolder" || folder_class == "IPF.Appointment" ||
         folder_class.rfind("IPF.Appointment.", 0) == 0;
}

bool canWrite(const pugi::xml_node& folder) {
  pugi::xml_node rights = child(folder, "EffectiveRights");
  if (!rights) return true;  // not said: let a write find out
  return childText(rights, "CreateContents") == "true";
}

std::optional<std::size_t> totalCount(const pugi::xml_node& folder) {
  std::string text = childText(folder, "TotalCount");
  try {
    if (!text.empty()) return static_cast<std::size_t>(std::stoull(text));
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

ItemRef firstItemRef(const ResponseMessage& message) {
  pugi::xml_node items = child(message.node, "Items");
  for (pugi::xml_node item = items.first_child(); item; item = item.next_sibling()) {
    pugi::xml_node id = child(item, "ItemId");
    if (id) return ItemRef{id.attribute("Id").value(), id.attribute("ChangeKey").value()};
  }
  return {};
}

const ResponseMessage& single(const SoapResponse& response, const std::string& context) {
  if (response.messages.size() != 1) throw ConnectorError(ErrorKind::Protocol, context + ": expected one response message");
  return response.messages.front();
}

std::int64_t instantFor(const DateTime& value) {
  if (value.utc) return *value.utc;
  if (value.is_date || value.isFloating()) return civilToEpoch(value.year, value.month, value.day, value.hour, value.minute, value.second);
  return resolveWithIana(value).value_or(civilToEpoch(value.year, value.month, value.day, value.hour, value.minute, value.second));
}

// The 1-based position of the occurrence `recurrence_id` names in the series' own pattern
// (deleted and moved occurrences keep their positions), or 0 when the pattern has none there.
int instanceIndex(const CalendarObject& object, const DateTime& recurrence_id) {
  CalendarObject pattern;
  pattern.uid = object.uid;
  pattern.vtimezones = object.vtimezones;
  Event master = *object.master();
  master.recurrence.exdates.clear();
  pattern.components.push_back(master);
  ical::computeSpan(pattern);
  const std::int64_t target = instantFor(recurrence_id);
  Window window{pattern.span_start_utc, target + 1};
  auto occurrences = ical::expand(pattern, window, 1000000);
  for (std::size_t i = 0; i < occurrences.size(); ++i) {
    const auto& occurrence = occurrences[i];
    if ((occurrence.recurrence_id && occurrence.recurrence_id->sameValue(recurrence_id)) || occurrence.start_utc == target) {
      return static_cast<int>(i + 1);
    }
  }
  return 0;
}

}  // namespace

EwsConnector::EwsConnector(EwsConfig config) : client_(std::move(config)) {
  zones_.all_day = zoneForTzid(client_.config().time_zone);
  if (!zones_.all_day) throw ConnectorError(ErrorKind::Config, "ews: unknown time_zone '" + client_.config().time_zone + "'");
}

EwsConnector::~EwsConnector() = default;

Capabilities EwsConnector::capabilities() const {
  Capabilities capabilities;
  capabilities.read = true;
  capabilities.write_events = true;
  capabilities.write_metadata = true;  // names only; EWS keeps no calendar colour on the folder
  capabilities.incremental = true;
  return capabilities;
}

FolderRef EwsConnector::folderFor(const CalendarId& calendar) const {
  FolderRef folder;
  folder.id = calendar.empty() ? std::string(kDefaultCalendar) : calendar;
  if (folder.id == kDefaultCalendar) folder.mailbox = client_.config().mailbox;
  return folder;
}

std::vector<EwsConnector::FolderInfo> EwsConnector::listFolders() {
  FolderRef root = folderFor(kDefaultCalendar);
  std::vector<FolderInfo> folders;
  {
    SoapResponse response = client_.call("GetFolder", getFolderRequest({root}), true);
    const ResponseMessage& message = single(response, "GetFolder calendar");
    if (!message.ok()) throw errorFor(message, "GetFolder calendar");
    pugi::xml_node folder = child(message.node, "Folders").find_child([](const pugi::xml_node& n) {
      return n.type() == pugi::node_element;
    });
    if (!folder) throw ConnectorError(ErrorKind::Protocol, "GetFolder calendar: no folder in the answer");
    FolderInfo info;
    info.calendar.id = kDefaultCalendar;
    info.calendar.name = childText(folder, "DisplayName");
    if (info.calendar.name.empty()) info.calendar.name = "Calendar";
    info.calendar.writable = canWrite(folder);
    info.total_count = totalCount(folder);
    folders.push_back(info);
  }
  if (!client_.config().include_subfolders) return folders;
  SoapResponse response = client_.call("FindFolder", findFolderRequest(root), true);
  const ResponseMessage& message = single(response, "FindFolder calendar");
  if (!message.ok()) {
    // Delegates often may read the calendar but not list below it.
    if (kindForResponseCode(message.code) == ErrorKind::Permission) return folders;
    throw errorFor(message, "FindFolder calendar");
  }
  for (pugi::xml_node folder : child(child(message.node, "RootFolder"), "Folders").children()) {
    if (folder.type() != pugi::node_element || !isCalendarFolder(folder)) continue;
    FolderInfo info;
    info.calendar.id = child(folder, "FolderId").attribute("Id").value();
    if (info.calendar.id.empty()) continue;
    info.calendar.name = childText(folder, "DisplayName");
    info.calendar.writable = canWrite(folder);
    info.total_count = totalCount(folder);
    folders.push_back(info);
  }
  return folders;
}

std::vector<Calendar> EwsConnector::listCalendars() {
  std::vector<Calendar> calendars;
  for (auto& info : listFolders()) calendars.push_back(std::move(info.calendar));
  return calendars;
}

std::vector<ItemRef> EwsConnector::findIdsByUid(const FolderRef& folder, const std::string& uid) {
  const std::string context = "FindItem by UID in " + folder.id;
  SoapResponse response = client_.call("FindItem", findByGoidRequest(folder, base64Encode(cleanGlobalObjectId(uid))), true);
  const ResponseMessage& message = single(response, context);
  if (!message.ok()) throw errorFor(message, context);
  std::vector<ItemRef> refs;
  for (pugi::xml_node item : child(child(message.node, "RootFolder"), "Items").children()) {
    pugi::xml_node id = child(item, "ItemId");
    if (id) refs.push_back(ItemRef{id.attribute("Id").value(), id.attribute("ChangeKey").value()});
  }
  return refs;
}

std::optional<CalendarObject> EwsConnector::findByUid(const CalendarId& calendar, const std::string& uid) {
  auto refs = findIdsByUid(folderFor(calendar), uid);
  if (refs.empty()) return std::nullopt;
  Fetched fetched = fetchObjects(refs, {});
  for (auto& object : fetched.objects) {
    if (object.uid == uid) return std::move(object);
  }
  if (!fetched.warnings.empty()) {
    throw ConnectorError(ErrorKind::BadData, "the item with UID " + uid + " cannot be read: " + fetched.warnings.front().message);
  }
  return std::nullopt;
}

std::optional<EwsConnector::Current> EwsConnector::readCurrent(const std::string& item_id) {
  SoapResponse response = client_.call("GetItem", getItemRequest({ItemRef{item_id, ""}}, {}), true);
  const ResponseMessage& message = single(response, "GetItem " + item_id);
  if (!message.ok()) {
    if (message.code == "ErrorItemNotFound") return std::nullopt;
    throw errorFor(message, "GetItem " + item_id);
  }
  pugi::xml_node item = child(child(message.node, "Items"), "CalendarItem");
  if (!item) throw ConnectorError(ErrorKind::BadData, "item " + item_id + " is not a calendar item");
  Current current;
  current.master = readCalendarItem(item);
  std::vector<ItemRef> refs;
  for (const auto& occurrence : current.master.modified) refs.push_back(occurrence.item);
  if (!refs.empty()) {
    SoapResponse exceptions = client_.call("GetItem", getItemRequest(refs, {}), true);
    for (const auto& exception : exceptions.messages) {
      if (!exception.ok()) throw errorFor(exception, "GetItem exception of " + item_id);
      current.exceptions.push_back(readCalendarItem(child(child(exception.node, "Items"), "CalendarItem")));
    }
  }
  current.object = assembleObject(current.master, current.exceptions);
  return current;
}

ItemRef EwsConnector::currentRef(const std::string& item_id) {
  SoapResponse response = client_.call("GetItem", getItemIdsRequest({ItemRef{item_id, ""}}), true);
  const ResponseMessage& message = single(response, "GetItem " + item_id);
  if (!message.ok()) throw errorFor(message, "GetItem " + item_id);
  ItemRef ref = firstItemRef(message);
  if (ref.id.empty()) throw ConnectorError(ErrorKind::Protocol, "GetItem " + item_id + ": no ItemId in the answer");
  return ref;
}

std::string EwsConnector::originOf(const CalendarObject& object) const {
  if (!object.origin.empty()) return object.origin;
  if (const Event* master = object.master()) {
    for (const auto& extra : master->extra_properties) {
      if (extra.name == "X-CALSYNC-ORIGIN") return extra.value;
    }
  }
  return {};
}

void EwsConnector::writeOccurrences(const ItemRef& master, const CalendarObject& object, const Current* current) {
  const Event& head = *object.master();
  std::vector<DateTime> deletions = head.recurrence.exdates;
  std::vector<const Event*> overrides;
  for (const auto& component : object.components) {
    if (!component.recurrence_id) continue;
    if (component.status == EventStatus::Cancelled) deletions.push_back(*component.recurrence_id);
    else overrides.push_back(&component);
  }
  auto alreadyDeleted = [&](const DateTime& when) {
    if (!current) return false;
    for (const auto& existing : current->object.master()->recurrence.exdates) {
      if (instantFor(existing) == instantFor(when)) return true;
    }
    return false;
  };
  for (const auto& when : deletions) {
    if (alreadyDeleted(when)) continue;
    int index = instanceIndex(object, when);
    if (index == 0) {
      log::warn(kLog, "an EXDATE of " + object.uid + " names no occurrence of its rule; left out");
      continue;
    }
    SoapResponse response = client_.call("DeleteItem", deleteItemRequest(occurrenceIdXml(master.id, index)), false);
    const ResponseMessage& message = single(response, "DeleteItem occurrence");
    if (!message.ok() && kindForResponseCode(message.code) != ErrorKind::NotFound) throw errorFor(message, "DeleteItem occurrence");
  }
  for (const Event* occurrence : overrides) {
    int index = instanceIndex(object, *occurrence->recurrence_id);
    if (index == 0) {
      log::warn(kLog, "an override of " + object.uid + " names no occurrence of its rule; left out");
      continue;
    }
    SoapResponse response =
        client_.call("UpdateItem", updateItemRequest(occurrenceChangeXml(master.id, index, *occurrence, zones_)), false);
    const ResponseMessage& message = single(response, "UpdateItem occurrence");
    if (!message.ok()) throw errorFor(message, "UpdateItem occurrence " + std::to_string(index) + " of " + object.uid);
  }
}

WriteResult EwsConnector::apply(const EventChange& change) {
  const FolderRef folder = folderFor(change.calendar);
  const CalendarObject& object = change.object;
  switch (change.kind) {
    case EventChange::Kind::Create: {
      const Event* head = object.master();
      if (object.uid.empty() || !head) throw ConnectorError(ErrorKind::BadData, "ews: cannot create an event without a UID");
      if (head->recurrence_id) throw ConnectorError(ErrorKind::BadData, "ews: an override without its series cannot be created");
      if (!findIdsByUid(folder, object.uid).empty()) {
        throw ConnectorError(ErrorKind::Conflict, "ews: an item with UID " + object.uid + " already exists");
      }
      SoapResponse response =
          client_.call("CreateItem", createItemRequest(folder, calendarItemXml(*head, object.uid, originOf(object), zones_)), false);
      const ResponseMessage& message = single(response, "CreateItem");
      if (!message.ok()) throw errorFor(message, "CreateItem " + object.uid);
      ItemRef created = firstItemRef(message);
      if (created.id.empty()) throw ConnectorError(ErrorKind::Protocol, "CreateItem: no ItemId in the answer");
      if (head->isRecurring() && object.components.size() + head->recurrence.exdates.size() > 1) {
        writeOccurrences(created, object, nullptr);
        created = currentRef(created.id);
      }
      return WriteResult{created.id, created.change_key};
    }
    case EventChange::Kind::Update: {
      const Event* head = object.master();
      if (object.native_id.empty() || !head) throw ConnectorError(ErrorKind::BadData, "ews: update without the item's id");
      auto current = readCurrent(object.native_id);
      if (!current) throw ConnectorError(ErrorKind::NotFound, "ews: item " + object.native_id + " is gone");
      if (!change.if_match.empty() && change.if_match != current->master.ref.change_key) {
        throw ConnectorError(ErrorKind::Conflict, "ews: item " + object.native_id + " changed since it was read");
      }
      const Event& now = *current->object.master();
      RecurrenceUpdate recurrence = RecurrenceUpdate::Keep;
      if (!head->isRecurring()) {
        if (now.isRecurring()) recurrence = RecurrenceUpdate::Remove;
      } else if (!now.isRecurring() || now.recurrence.rrule != head->recurrence.rrule || !now.start.sameValue(head->start)) {
        recurrence = RecurrenceUpdate::Set;
      } else {
        // Exchange cannot restore a deleted or modified occurrence; setting the pattern again
        // resets them all, and the wanted ones are written afresh.
        for (const auto& existing : now.recurrence.exdates) {
          bool kept = false;
          for (const auto& wanted : head->recurrence.exdates) kept = kept || instantFor(wanted) == instantFor(existing);
          if (!kept) recurrence = RecurrenceUpdate::Set;
        }
        for (std::size_t i = 1; i < current->object.components.size(); ++i) {
          const auto& existing = current->object.components[i];
          bool kept = false;
          for (const auto& wanted : object.components) {
            kept = kept || (wanted.recurrence_id && instantFor(*wanted.recurrence_id) == instantFor(*existing.recurrence_id));
          }
          if (!kept) recurrence = RecurrenceUpdate::Set;
        }
      }
      ItemRef ref{object.native_id, change.if_match.empty() ? current->master.ref.change_key : change.if_match};
      SoapResponse response =
          client_.call("UpdateItem", updateItemRequest(masterChangeXml(ref, *head, originOf(object), recurrence, zones_)), false);
      const ResponseMessage& message = single(response, "UpdateItem");
      if (!message.ok()) {
        if (message.code == "ErrorIrresolvableConflict" || message.code == "ErrorStaleObject") {
          throw ConnectorError(ErrorKind::Conflict, "ews: item " + object.native_id + " changed since it was read (" + message.code + ")");
        }
        throw errorFor(message, "UpdateItem " + object.native_id);
      }
      ItemRef updated = firstItemRef(message);
      if (updated.id.empty()) updated = currentRef(object.native_id);
      if (head->isRecurring()) {
        writeOccurrences(updated, object, recurrence == RecurrenceUpdate::Set ? nullptr : &*current);
        updated = currentRef(updated.id);
      }
      return WriteResult{updated.id, updated.change_key};
    }
    case EventChange::Kind::Delete: {
      if (object.native_id.empty()) throw ConnectorError(ErrorKind::BadData, "ews: delete without the item's id");
      if (!change.if_match.empty()) {
        ItemRef now = currentRef(object.native_id);
        if (now.change_key != change.if_match) {
          throw ConnectorError(ErrorKind::Conflict, "ews: item " + object.native_id + " changed since it was read");
        }
      }
      SoapResponse response = client_.call("DeleteItem", deleteItemRequest(itemIdXml(ItemRef{object.native_id, ""})), false);
      const ResponseMessage& message = single(response, "DeleteItem");
      if (!message.ok()) throw errorFor(message, "DeleteItem " + object.native_id);
      return WriteResult{object.native_id, ""};
    }
  }
  throw ConnectorError(ErrorKind::BadData, "ews: unknown change kind");
}

void EwsConnector::apply(const CalendarChange& change) {
  if (change.color || change.description) {
    log::info(kLog, "EWS keeps no calendar colour or description on the folder; only the name is written");
  }
  if (!change.name) return;
  FolderRef folder = folderFor(change.calendar);
  SoapResponse current = client_.call("GetFolder", getFolderRequest({folder}), true);
  const ResponseMessage& found = single(current, "GetFolder " + folder.id);
  if (!found.ok()) throw errorFor(found, "GetFolder " + folder.id);
  pugi::xml_node node = child(child(found.node, "Folders").first_child(), "FolderId");
  // UpdateFolder wants the folder's real id and current ChangeKey.
  FolderRef target{node.attribute("Id").value(), node.attribute("ChangeKey").value(), ""};
  if (target.id.empty()) throw ConnectorError(ErrorKind::Protocol, "GetFolder " + folder.id + ": no FolderId in the answer");
  SoapResponse response = client_.call("UpdateFolder", renameFolderRequest(target, *change.name), false);
  const ResponseMessage& message = single(response, "UpdateFolder");
  if (!message.ok()) throw errorFor(message, "UpdateFolder " + folder.id);
}

}  // namespace calsync::ews
