// The EWS operations the test server speaks, on the state in server_state.h. Each answer
// follows the documented message shapes: a <m:XxxResponse> holding one
// <m:XxxResponseMessage> per requested item, Success or Error with a ResponseCode.
#include <algorithm>
#include <cctype>
#include <functional>

#include "ical/windows_zones.h"
#include "server_xml.h"

namespace calsync::testing::ews {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string envelope(const std::string& operation, const std::string& messages, const std::string& extra_attributes = "") {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header>"
         "<h:ServerVersionInfo xmlns:h=\"http://schemas.microsoft.com/exchange/services/2006/types\" MajorVersion=\"15\" "
         "MinorVersion=\"1\" MajorBuildNumber=\"2507\" MinorBuildNumber=\"6\" Version=\"V2017_07_11\"/></s:Header><s:Body>"
         "<m:" + operation + "Response xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
         "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"" + extra_attributes + "><m:ResponseMessages>" +
         messages + "</m:ResponseMessages></m:" + operation + "Response></s:Body></s:Envelope>";
}

std::string success(const std::string& operation, const std::string& content) {
  return "<m:" + operation + "ResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>" + content +
         "</m:" + operation + "ResponseMessage>";
}

std::string failure(const std::string& operation, const std::string& code, const std::string& text,
                    const std::string& extra = "") {
  return "<m:" + operation + "ResponseMessage ResponseClass=\"Error\"><m:MessageText>" + esc(text) +
         "</m:MessageText><m:ResponseCode>" + code + "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>" + extra +
         "</m:" + operation + "ResponseMessage>";
}

std::pair<int, std::string> fault(const std::string& code, const std::string& text) {
  return {500, "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
               "<s:Body><s:Fault><faultcode xmlns:a=\"http://schemas.microsoft.com/exchange/services/2006/types\">a:" +
                   code + "</faultcode><faultstring xml:lang=\"en-US\">" + esc(text) +
                   "</faultstring><detail><e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">" +
                   code + "</e:ResponseCode><e:Message xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">" +
                   esc(text) + "</e:Message></detail></s:Fault></s:Body></s:Envelope>"};
}

// A failed request for one item or folder, carried up to become an error response message.
struct Refusal {
  std::string code;
  std::string text;
};

class Session {
 public:
  Session(EwsTestServer::State& state, std::string email) : s_(state), email_(lower(std::move(email))) {}

  bool mayOpen(const std::string& mailbox) const {
    if (mailbox == email_) return true;
    auto found = s_.delegates.find(mailbox);
    return found != s_.delegates.end() && found->second.count(email_);
  }

  // A FolderId or DistinguishedFolderId element -> folder.
  Folder& folder(const pugi::xml_node& ref) {
    if (local(ref) == "DistinguishedFolderId") {
      if (std::string(ref.attribute("Id").value()) != "calendar") throw Refusal{"ErrorFolderNotFound", "only the calendar is served"};
      std::string mailbox = email_;
      if (pugi::xml_node box = sub(ref, "Mailbox")) mailbox = lower(subText(box, "EmailAddress"));
      auto found = s_.default_calendars.find(mailbox);
      if (found == s_.default_calendars.end()) throw Refusal{"ErrorNonExistentMailbox", "No mailbox with such guid"};
      if (!mayOpen(mailbox)) throw Refusal{"ErrorAccessDenied", "Access is denied. Check credentials and try again."};
      return s_.folders.at(found->second);
    }
    if (local(ref) == "FolderId") {
      auto found = s_.folders.find(ref.attribute("Id").value());
      if (found == s_.folders.end()) throw Refusal{"ErrorFolderNotFound", "The specified folder could not be found in the store."};
      if (!mayOpen(found->second.owner)) throw Refusal{"ErrorAccessDenied", "Access is denied. Check credentials and try again."};
      return found->second;
    }
    throw Refusal{"ErrorInvalidIdMalformed", "Id is malformed."};
  }

  StoredItem& item(const std::string& id) {
    auto found = s_.items.find(id);
    if (found == s_.items.end()) throw Refusal{"ErrorItemNotFound", "The specified object was not found in the store."};
    if (!mayOpen(s_.folders.at(found->second.folder_id).owner)) throw Refusal{"ErrorAccessDenied", "Access is denied."};
    return found->second;
  }

  // An occurrence id (or OccurrenceItemId) -> master and its instance.
  std::pair<StoredItem*, Instance> occurrence(const std::string& master_id, int index) {
    StoredItem& master = item(master_id);
    if (!master.spec.recurrence) throw Refusal{"ErrorItemNotFound", "Not a recurring master."};
    auto instances = expandSeries(master, INT64_MAX / 2, index);
    if (index < 1 || static_cast<int>(instances.size()) < index) {
      throw Refusal{"ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "Occurrence index is out of recurrence range."};
    }
    const Instance& instance = instances[static_cast<std::size_t>(index - 1)];
    if (instance.deleted) throw Refusal{"ErrorCalendarOccurrenceIsDeletedFromRecurrence", "Occurrence was deleted."};
    return {&master, instance};
  }

  std::pair<int, std::string> dispatch(const std::string& operation, const pugi::xml_node& request);

 private:
  std::string getFolder(const pugi::xml_node& request);
  std::string findFolder(const pugi::xml_node& request);
  std::string findItem(const pugi::xml_node& request);
  std::string getItem(const pugi::xml_node& request);
  std::string syncFolderItems(const pugi::xml_node& request);
  std::string createItem(const pugi::xml_node& request);
  std::string updateItem(const pugi::xml_node& request);
  std::string deleteItem(const pugi::xml_node& request);
  std::string updateFolder(const pugi::xml_node& request);

  std::string folderXml(const Folder& folder, bool child) const;
  void applyField(StoredItem& item, const pugi::xml_node& update, OccurrenceEdit* occurrence);
  bool readSpec(const pugi::xml_node& calendar_item, ItemSpec& spec, std::map<std::string, std::string>& extended,
                std::string& error);

  EwsTestServer::State& s_;
  std::string email_;
};

std::string Session::folderXml(const Folder& folder, bool child) const {
  std::size_t total = 0;
  for (const auto& [id, item] : s_.items) total += item.folder_id == folder.id;
  std::size_t children = 0;
  for (const auto& [id, other] : s_.folders) children += other.parent_id == folder.id;
  (void)child;
  return "<t:CalendarFolder><t:FolderId Id=\"" + esc(folder.id) + "\" ChangeKey=\"" + esc(folder.change_key) + "\"/>" +
         (folder.parent_id.empty() ? std::string() : "<t:ParentFolderId Id=\"" + esc(folder.parent_id) + "\"/>") +
         "<t:FolderClass>IPF.Appointment</t:FolderClass><t:DisplayName>" + esc(folder.name) + "</t:DisplayName>" +
         "<t:TotalCount>" + std::to_string(total) + "</t:TotalCount><t:ChildFolderCount>" + std::to_string(children) +
         "</t:ChildFolderCount><t:EffectiveRights><t:CreateAssociated>true</t:CreateAssociated><t:CreateContents>" +
         (mayOpen(folder.owner) ? "true" : "false") +
         "</t:CreateContents><t:CreateHierarchy>true</t:CreateHierarchy><t:Delete>true</t:Delete><t:Modify>true</t:Modify>"
         "<t:Read>true</t:Read></t:EffectiveRights></t:CalendarFolder>";
}

std::string Session::getFolder(const pugi::xml_node& request) {
  std::string messages;
  for (pugi::xml_node ref : sub(request, "FolderIds").children()) {
    if (ref.type() != pugi::node_element) continue;
    try {
      messages += success("GetFolder", "<m:Folders>" + folderXml(folder(ref), false) + "</m:Folders>");
    } catch (const Refusal& r) {
      messages += failure("GetFolder", r.code, r.text);
    }
  }
  return envelope("GetFolder", messages);
}

std::string Session::findFolder(const pugi::xml_node& request) {
  if (std::string(request.attribute("Traversal").value()).empty()) return envelope("FindFolder", failure("FindFolder", "ErrorSchemaValidation", "Traversal is required"));
  std::string messages;
  for (pugi::xml_node ref : sub(request, "ParentFolderIds").children()) {
    if (ref.type() != pugi::node_element) continue;
    try {
      const Folder& parent = folder(ref);
      const bool deep = std::string(request.attribute("Traversal").value()) == "Deep";
      std::vector<const Folder*> found;
      std::function<void(const std::string&)> walk = [&](const std::string& id) {
        for (const auto& [fid, f] : s_.folders) {
          if (f.parent_id != id) continue;
          found.push_back(&f);
          if (deep) walk(fid);
        }
      };
      walk(parent.id);
      std::string folders;
      for (const Folder* f : found) folders += folderXml(*f, true);
      messages += success("FindFolder", "<m:RootFolder TotalItemsInView=\"" + std::to_string(found.size()) +
                                            "\" IncludesLastItemInRange=\"true\"><t:Folders>" + folders +
                                            "</t:Folders></m:RootFolder>");
    } catch (const Refusal& r) {
      messages += failure("FindFolder", r.code, r.text);
    }
  }
  return envelope("FindFolder", messages);
}

std::string Session::findItem(const pugi::xml_node& request) {
  const Shape shape = readShape(sub(request, "ItemShape"));
  pugi::xml_node view = sub(request, "CalendarView");
  pugi::xml_node paged = sub(request, "IndexedPageItemView");
  pugi::xml_node restriction = sub(request, "Restriction");
  std::string messages;
  for (pugi::xml_node ref : sub(request, "ParentFolderIds").children()) {
    if (ref.type() != pugi::node_element) continue;
    try {
      const Folder& f = folder(ref);
      if (view) {
        auto start = parseInstant(view.attribute("StartDate").value());
        auto end = parseInstant(view.attribute("EndDate").value());
        int max = view.attribute("MaxEntriesReturned").as_int(0);
        if (!start || !end || *end < *start) throw Refusal{"ErrorInvalidRequest", "bad CalendarView dates"};
        if (*end - *start > 732LL * 86400) {
          throw Refusal{"ErrorCalendarViewRangeTooBig", "The time window specified is larger than the maximum allowed."};
        }
        if (s_.find_count_limit > 0 && (max <= 0 || max > s_.find_count_limit)) max = s_.find_count_limit;
        struct Entry {
          std::int64_t start;
          std::string xml;
        };
        std::vector<Entry> entries;
        auto overlaps = [&](std::int64_t a, std::int64_t b) { return a < *end && (b > *start || (a == b && a >= *start)); };
        for (const auto& [id, it] : s_.items) {
          if (it.folder_id != f.id) continue;
          if (!it.spec.recurrence) {
            if (overlaps(it.spec.start, it.spec.end)) entries.push_back({it.spec.start, itemXml(it, shape)});
            continue;
          }
          // Moved exceptions can land far from their original day; look a year past the view.
          for (const auto& instance : expandSeries(it, *end + 366LL * 86400)) {
            if (!instance.deleted && overlaps(instance.start, instance.end)) {
              entries.push_back({instance.start, instanceXml(it, instance, shape)});
            }
          }
        }
        std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.start < b.start; });
        const std::size_t total = entries.size();
        const std::size_t take = max > 0 ? std::min<std::size_t>(total, static_cast<std::size_t>(max)) : total;
        std::string items;
        for (std::size_t i = 0; i < take; ++i) items += entries[i].xml;
        messages += success("FindItem", "<m:RootFolder TotalItemsInView=\"" + std::to_string(total) +
                                            "\" IncludesLastItemInRange=\"" + (take == total ? "true" : "false") +
                                            "\"><t:Items>" + items + "</t:Items></m:RootFolder>");
        continue;
      }
      // Without a CalendarView: masters and single items, optionally restricted to one
      // CleanGlobalObjectId (the only restriction this server understands).
      std::string wanted_goid;
      if (restriction) {
        pugi::xml_node equal = sub(restriction, "IsEqualTo");
        pugi::xml_node uri = sub(equal, "ExtendedFieldURI");
        if (!equal || std::string(uri.attribute("DistinguishedPropertySetId").value()) != "Meeting" ||
            std::string(uri.attribute("PropertyId").value()) != "35") {
          throw Refusal{"ErrorUnsupportedPathForQuery", "The property path is not supported for restrictions."};
        }
        wanted_goid = sub(sub(equal, "FieldURIOrConstant"), "Constant").attribute("Value").value();
      }
      std::vector<const StoredItem*> matches;
      for (const auto& [id, it] : s_.items) {
        if (it.folder_id != f.id) continue;
        if (restriction && cleanGlobalObjectIdBase64(it.spec.uid) != wanted_goid) continue;
        matches.push_back(&it);
      }
      int offset = paged ? paged.attribute("Offset").as_int(0) : 0;
      int max = paged ? paged.attribute("MaxEntriesReturned").as_int(1000) : 1000;
      if (s_.find_count_limit > 0) max = std::min(max, s_.find_count_limit);
      std::string items;
      int shown = 0;
      for (int i = offset; i < static_cast<int>(matches.size()) && shown < max; ++i, ++shown) items += itemXml(*matches[i], shape);
      const bool last = offset + shown >= static_cast<int>(matches.size());
      messages += success("FindItem", "<m:RootFolder IndexedPagingOffset=\"" + std::to_string(offset + shown) +
                                          "\" TotalItemsInView=\"" + std::to_string(matches.size()) +
                                          "\" IncludesLastItemInRange=\"" + (last ? "true" : "false") + "\"><t:Items>" + items +
                                          "</t:Items></m:RootFolder>");
    } catch (const Refusal& r) {
      messages += failure("FindItem", r.code, r.text);
    }
  }
  return envelope("FindItem", messages);
}

std::string Session::getItem(const pugi::xml_node& request) {
  const Shape shape = readShape(sub(request, "ItemShape"));
  std::string messages;
  for (pugi::xml_node ref : sub(request, "ItemIds").children()) {
    if (ref.type() != pugi::node_element) continue;
    try {
      std::string xml;
      const std::string_view kind = local(ref);
      std::string master_id;
      int index = 0;
      if (kind == "ItemId") {
        std::string id = ref.attribute("Id").value();
        if (parseOccurrenceId(id, master_id, index)) {
          auto [master, instance] = occurrence(master_id, index);
          xml = instanceXml(*master, instance, shape);
        } else {
          xml = itemXml(item(id), shape);
        }
      } else if (kind == "OccurrenceItemId") {
        auto [master, instance] = occurrence(ref.attribute("RecurringMasterId").value(), ref.attribute("InstanceIndex").as_int(0));
        xml = instanceXml(*master, instance, shape);
      } else if (kind == "RecurringMasterItemId") {
        if (!parseOccurrenceId(ref.attribute("OccurrenceId").value(), master_id, index)) {
          throw Refusal{"ErrorItemNotFound", "The occurrence could not be found."};
        }
        xml = itemXml(item(master_id), shape);
      } else {
        throw Refusal{"ErrorInvalidIdMalformed", "Id is malformed."};
      }
      messages += success("GetItem", "<m:Items>" + xml + "</m:Items>");
    } catch (const Refusal& r) {
      messages += failure("GetItem", r.code, r.text, "<m:Items/>");
    }
  }
  return envelope("GetItem", messages);
}

std::string Session::syncFolderItems(const pugi::xml_node& request) {
  const std::string op = "SyncFolderItems";
  const std::string invalid_state = "<m:SyncState/><m:IncludesLastItemInRange>true</m:IncludesLastItemInRange>";
  try {
    pugi::xml_node target = sub(request, "SyncFolderId").find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
    const Folder& f = folder(target);
    int max = 0;
    try {
      max = std::stoi(subText(request, "MaxChangesReturned"));
    } catch (const std::exception&) {
    }
    if (max < 1 || max > 512) return envelope(op, failure(op, "ErrorInvalidArgument", "MaxChangesReturned must be 1..512"));
    std::uint64_t base = 0;
    const std::string token = subText(request, "SyncState");
    if (!token.empty()) {
      auto known = s_.sync_states.find(token);
      if (known == s_.sync_states.end() || known->second.first != f.id) {
        return envelope(op, failure(op, "ErrorInvalidSyncStateData",
                                    "Synchronization state data is corrupt or otherwise invalid.", invalid_state));
      }
      base = known->second.second;
    }
    struct Change {
      std::uint64_t seq;
      std::string xml;
    };
    std::vector<Change> changes;
    for (const auto& [id, it] : s_.items) {
      if (it.folder_id != f.id || it.changed_seq <= base) continue;
      const char* kind = it.created_seq > base ? "Create" : "Update";
      changes.push_back({it.changed_seq, std::string("<t:") + kind + "><t:CalendarItem><t:ItemId Id=\"" + esc(it.id) +
                                             "\" ChangeKey=\"" + esc(it.change_key) + "\"/></t:CalendarItem></t:" + kind + ">"});
    }
    for (const auto& t : s_.tombstones) {
      // Made and removed since the state: the client never knew it, so there is nothing to say.
      if (t.folder_id != f.id || t.seq <= base || t.created_seq > base) continue;
      changes.push_back({t.seq, "<t:Delete><t:ItemId Id=\"" + esc(t.id) + "\"/></t:Delete>"});
    }
    std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.seq < b.seq; });
    const std::size_t take = std::min<std::size_t>(changes.size(), static_cast<std::size_t>(max));
    const bool last = take == changes.size();
    const std::uint64_t reached = last ? s_.seq : changes[take - 1].seq;
    std::string next = s_.newId("H4sIAAAAAAAEAO29");
    s_.sync_states[next] = {f.id, reached};
    std::string xml;
    for (std::size_t i = 0; i < take; ++i) xml += changes[i].xml;
    return envelope(op, success(op, "<m:SyncState>" + next + "</m:SyncState><m:IncludesLastItemInRange>" +
                                        (last ? "true" : "false") + "</m:IncludesLastItemInRange><m:Changes>" + xml +
                                        "</m:Changes>"));
  } catch (const Refusal& r) {
    return envelope(op, failure(op, r.code, r.text));
  }
}

bool Session::readSpec(const pugi::xml_node& calendar_item, ItemSpec& spec, std::map<std::string, std::string>& extended,
                       std::string& error) {
  std::optional<std::int64_t> start, end;
  for (pugi::xml_node field = calendar_item.first_child(); field; field = field.next_sibling()) {
    std::string_view name = local(field);
    std::string value = field.child_value();
    if (name == "Subject") spec.subject = value;
    else if (name == "Body") spec.body = value;
    else if (name == "Location") spec.location = value;
    else if (name == "Sensitivity") spec.sensitivity = value;
    else if (name == "LegacyFreeBusyStatus") spec.busy = value;
    else if (name == "IsAllDayEvent") spec.all_day = value == "true";
    else if (name == "ReminderIsSet") spec.reminder_set = value == "true";
    else if (name == "ReminderMinutesBeforeStart") spec.reminder_minutes = std::atoi(value.c_str());
    else if (name == "UID") spec.uid = value;
    else if (name == "Start") start = parseInstant(value);
    else if (name == "End") end = parseInstant(value);
    else if (name == "Categories") {
      spec.categories.clear();
      for (pugi::xml_node c : field.children()) spec.categories.push_back(c.child_value());
    } else if (name == "StartTimeZone" || name == "EndTimeZone") {
      std::string id = field.attribute("Id").value();
      if (id != "UTC" && !ical::windowsToIana(id)) {
        error = "ErrorTimeZone";  // not a Windows zone id Exchange would know
        return false;
      }
      if (name == "StartTimeZone") spec.time_zone = id;
    } else if (name == "Recurrence") {
      std::string problem;
      auto pattern = readPattern(field, problem);
      if (!pattern) {
        error = "ErrorInvalidRecurrence";
        return false;
      }
      spec.recurrence = pattern;
    } else if (name == "ExtendedProperty") {
      pugi::xml_node uri = sub(field, "ExtendedFieldURI");
      extended[lower(uri.attribute("PropertySetId").value()) + "/" + uri.attribute("PropertyName").value()] = subText(field, "Value");
    } else if (name == "RequiredAttendees" || name == "OptionalAttendees" || name == "Resources") {
      for (pugi::xml_node a : field.children()) {
        pugi::xml_node box = sub(a, "Mailbox");
        (name == "OptionalAttendees" ? spec.optional_attendees : spec.required_attendees)
            .push_back(Mailbox{subText(box, "Name"), subText(box, "EmailAddress")});
      }
    }
  }
  if (start) spec.start = *start;
  if (end) spec.end = *end;
  if (spec.end < spec.start) {
    error = "ErrorCalendarEndDateIsEarlierThanStartDate";
    return false;
  }
  return true;
}

std::string Session::createItem(const pugi::xml_node& request) {
  const std::string op = "CreateItem";
  s_.writes.push_back({op, request.attribute("SendMeetingInvitations").value(), "", ""});
  if (!request.attribute("SendMeetingInvitations")) {
    return envelope(op, failure(op, "ErrorSendMeetingInvitationsRequired", "SendMeetingInvitations is required for calendar items."));
  }
  std::string messages;
  try {
    pugi::xml_node target = sub(request, "SavedItemFolderId").find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
    Folder& f = folder(target);
    for (pugi::xml_node node : sub(request, "Items").children()) {
      if (local(node) != "CalendarItem") continue;
      ItemSpec spec;
      std::map<std::string, std::string> extended;
      std::string error;
      if (!readSpec(node, spec, extended, error)) {
        messages += failure(op, error, "The item could not be created.", "<m:Items/>");
        continue;
      }
      if (!sub(node, "Start") || !sub(node, "End")) {
        messages += failure(op, "ErrorMissingInformation", "Start and End are required.", "<m:Items/>");
        continue;
      }
      std::string id = s_.createItemLocked(f.id, spec);
      s_.items[id].extended = extended;
      messages += success(op, "<m:Items><t:CalendarItem><t:ItemId Id=\"" + esc(id) + "\" ChangeKey=\"" +
                                  esc(s_.items[id].change_key) + "\"/></t:CalendarItem></m:Items>");
    }
  } catch (const Refusal& r) {
    messages += failure(op, r.code, r.text, "<m:Items/>");
  }
  return envelope(op, messages);
}

void Session::applyField(StoredItem& it, const pugi::xml_node& update, OccurrenceEdit* occurrence) {
  const bool set = local(update) == "SetItemField";
  pugi::xml_node uri = sub(update, "FieldURI");
  pugi::xml_node extended_uri = sub(update, "ExtendedFieldURI");
  pugi::xml_node values = update.find_child([](const pugi::xml_node& n) {
    return n.type() == pugi::node_element && local(n) == "CalendarItem";
  });
  if (extended_uri) {
    if (occurrence) throw Refusal{"ErrorInvalidPropertyForOperation", "extended properties belong to the master"};
    const std::string key = lower(extended_uri.attribute("PropertySetId").value()) + "/" + extended_uri.attribute("PropertyName").value();
    if (set) it.extended[key] = subText(sub(values, "ExtendedProperty"), "Value");
    else it.extended.erase(key);
    return;
  }
  const std::string field = uri.attribute("FieldURI").value();
  std::string value;
  if (set) {
    pugi::xml_node holder = values.find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
    value = holder.child_value();
  }
  ItemSpec& spec = it.spec;
  if (occurrence) {
    if (field == "item:Subject") occurrence->subject = value;
    else if (field == "item:Body") occurrence->body = value;
    else if (field == "calendar:Location") occurrence->location = value;
    else if (field == "calendar:Start") occurrence->start = parseInstant(value);
    else if (field == "calendar:End") occurrence->end = parseInstant(value);
    else if (field == "calendar:IsAllDayEvent" || field == "calendar:LegacyFreeBusyStatus" || field == "item:Sensitivity") {
      // Accepted; this server keeps only the fields above per occurrence.
    } else {
      throw Refusal{"ErrorInvalidPropertyForOperation", "field " + field + " cannot be set on an occurrence"};
    }
    return;
  }
  if (field == "item:Subject") spec.subject = value;
  else if (field == "item:Body") spec.body = value;
  else if (field == "calendar:Location") spec.location = value;
  else if (field == "item:Sensitivity") spec.sensitivity = value;
  else if (field == "calendar:LegacyFreeBusyStatus") spec.busy = value;
  else if (field == "calendar:IsAllDayEvent") spec.all_day = value == "true";
  else if (field == "item:ReminderIsSet") spec.reminder_set = value == "true";
  else if (field == "item:ReminderMinutesBeforeStart") spec.reminder_minutes = std::atoi(value.c_str());
  else if (field == "calendar:Start") {
    auto t = parseInstant(value);
    if (!t) throw Refusal{"ErrorInvalidValueForProperty", "bad Start"};
    spec.start = *t;
  } else if (field == "calendar:End") {
    auto t = parseInstant(value);
    if (!t) throw Refusal{"ErrorInvalidValueForProperty", "bad End"};
    spec.end = *t;
  } else if (field == "item:Categories") {
    spec.categories.clear();
    if (set) {
      for (pugi::xml_node c : sub(values, "Categories").children()) spec.categories.push_back(c.child_value());
    }
  } else if (field == "calendar:StartTimeZone") {
    if (set) spec.time_zone = sub(values, "StartTimeZone").attribute("Id").value();
  } else if (field == "calendar:EndTimeZone") {
    // One zone per item in this server.
  } else if (field == "calendar:Recurrence") {
    // A new pattern (even the same one) drops every exception and deleted occurrence.
    it.exceptions.clear();
    it.deleted.clear();
    if (!set) {
      spec.recurrence.reset();
      return;
    }
    std::string problem;
    auto pattern = readPattern(sub(values, "Recurrence"), problem);
    if (!pattern) throw Refusal{"ErrorInvalidRecurrence", problem};
    spec.recurrence = pattern;
  } else {
    throw Refusal{"ErrorInvalidPropertyRequest", "unsupported field " + field};
  }
}

std::string Session::updateItem(const pugi::xml_node& request) {
  const std::string op = "UpdateItem";
  const std::string resolution = request.attribute("ConflictResolution").value();
  s_.writes.push_back({op, request.attribute("SendMeetingInvitationsOrCancellations").value(), resolution, ""});
  if (!request.attribute("SendMeetingInvitationsOrCancellations")) {
    return envelope(op, failure(op, "ErrorSendMeetingInvitationsOrCancellationsRequired",
                                "SendMeetingInvitationsOrCancellations is required for calendar items."));
  }
  std::string messages;
  for (pugi::xml_node change : sub(request, "ItemChanges").children()) {
    if (local(change) != "ItemChange") continue;
    try {
      pugi::xml_node id = change.find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
      StoredItem* target = nullptr;
      OccurrenceEdit* edit = nullptr;
      std::string answer_id;
      std::string master_id;
      int index = 0;
      if (local(id) == "OccurrenceItemId" ||
          (local(id) == "ItemId" && parseOccurrenceId(id.attribute("Id").value(), master_id, index))) {
        if (local(id) == "OccurrenceItemId") {
          master_id = id.attribute("RecurringMasterId").value();
          index = id.attribute("InstanceIndex").as_int(0);
        }
        auto found = occurrence(master_id, index);
        target = found.first;
        edit = &target->exceptions[index];
        answer_id = occurrenceId(master_id, index);
      } else if (local(id) == "ItemId") {
        target = &item(id.attribute("Id").value());
        const std::string key = id.attribute("ChangeKey").value();
        if (key.empty()) {
          throw Refusal{"ErrorChangeKeyRequiredForWriteOperations", "The change key is required for update operations."};
        }
        if (key != target->change_key && resolution == "NeverOverwrite") {
          throw Refusal{"ErrorIrresolvableConflict",
                        "The send or update operation could not be performed because the change key passed in the request "
                        "does not match the current change key for the item."};
        }
        answer_id = target->id;
      } else {
        throw Refusal{"ErrorInvalidIdMalformed", "Id is malformed."};
      }
      // Work on copies so a refused field leaves the item as it was.
      StoredItem before = *target;
      try {
        for (pugi::xml_node update : sub(change, "Updates").children()) {
          if (update.type() == pugi::node_element) applyField(*target, update, edit);
        }
        if (target->spec.end < target->spec.start) throw Refusal{"ErrorCalendarEndDateIsEarlierThanStartDate", "End before Start"};
      } catch (const Refusal&) {
        *target = before;
        throw;
      }
      s_.touch(*target);
      messages += success(op, "<m:Items><t:CalendarItem><t:ItemId Id=\"" + esc(answer_id) + "\" ChangeKey=\"" +
                                  esc(target->change_key) + "\"/></t:CalendarItem></m:Items>"
                                  "<m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>");
    } catch (const Refusal& r) {
      messages += failure(op, r.code, r.text, "<m:Items/>");
    }
  }
  return envelope(op, messages);
}

std::string Session::deleteItem(const pugi::xml_node& request) {
  const std::string op = "DeleteItem";
  s_.writes.push_back({op, request.attribute("SendMeetingCancellations").value(), "", request.attribute("DeleteType").value()});
  if (!request.attribute("DeleteType")) return envelope(op, failure(op, "ErrorSchemaValidation", "DeleteType is required."));
  if (!request.attribute("SendMeetingCancellations")) {
    return envelope(op, failure(op, "ErrorSendMeetingCancellationsRequired", "SendMeetingCancellations is required for calendar items."));
  }
  std::string messages;
  for (pugi::xml_node id : sub(request, "ItemIds").children()) {
    if (id.type() != pugi::node_element) continue;
    try {
      std::string master_id;
      int index = 0;
      if (local(id) == "OccurrenceItemId" ||
          (local(id) == "ItemId" && parseOccurrenceId(id.attribute("Id").value(), master_id, index))) {
        if (local(id) == "OccurrenceItemId") {
          master_id = id.attribute("RecurringMasterId").value();
          index = id.attribute("InstanceIndex").as_int(0);
        }
        auto found = occurrence(master_id, index);
        found.first->exceptions.erase(index);
        found.first->deleted.insert(index);
        s_.touch(*found.first);
      } else {
        StoredItem& it = item(id.attribute("Id").value());
        s_.deleteItemLocked(it.id);
      }
      messages += success(op, "");
    } catch (const Refusal& r) {
      messages += failure(op, r.code, r.text);
    }
  }
  return envelope(op, messages);
}

std::string Session::updateFolder(const pugi::xml_node& request) {
  const std::string op = "UpdateFolder";
  std::string messages;
  for (pugi::xml_node change : sub(request, "FolderChanges").children()) {
    if (local(change) != "FolderChange") continue;
    try {
      pugi::xml_node id = change.find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
      Folder& f = folder(id);
      const std::string key = id.attribute("ChangeKey").value();
      if (key.empty()) throw Refusal{"ErrorChangeKeyRequiredForWriteOperations", "The change key is required."};
      if (key != f.change_key) throw Refusal{"ErrorIrresolvableConflict", "The change key does not match."};
      for (pugi::xml_node update : sub(change, "Updates").children()) {
        if (local(update) != "SetFolderField") continue;
        if (std::string(sub(update, "FieldURI").attribute("FieldURI").value()) != "folder:DisplayName") {
          throw Refusal{"ErrorInvalidPropertyRequest", "only DisplayName can be set here"};
        }
        pugi::xml_node holder = update.find_child([](const pugi::xml_node& n) {
          return n.type() == pugi::node_element && (local(n) == "CalendarFolder" || local(n) == "Folder");
        });
        f.name = subText(holder, "DisplayName");
      }
      f.change_key = s_.newChangeKey();
      messages += success(op, "<m:Folders><t:CalendarFolder><t:FolderId Id=\"" + esc(f.id) + "\" ChangeKey=\"" +
                                  esc(f.change_key) + "\"/></t:CalendarFolder></m:Folders>");
    } catch (const Refusal& r) {
      messages += failure(op, r.code, r.text);
    }
  }
  return envelope(op, messages);
}

std::pair<int, std::string> Session::dispatch(const std::string& operation, const pugi::xml_node& request) {
  if (operation == "GetFolder") return {200, getFolder(request)};
  if (operation == "FindFolder") return {200, findFolder(request)};
  if (operation == "FindItem") return {200, findItem(request)};
  if (operation == "GetItem") return {200, getItem(request)};
  if (operation == "SyncFolderItems") return {200, syncFolderItems(request)};
  if (operation == "CreateItem") return {200, createItem(request)};
  if (operation == "UpdateItem") return {200, updateItem(request)};
  if (operation == "DeleteItem") return {200, deleteItem(request)};
  if (operation == "UpdateFolder") return {200, updateFolder(request)};
  return fault("ErrorInvalidRequest", "The request is invalid: unsupported operation " + operation);
}

}  // namespace

std::pair<int, std::string> handleSoap(EwsTestServer::State& state, const std::string& email, const std::string& body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return fault("ErrorSchemaValidation", "The request failed schema validation.");
  pugi::xml_node envelope_node = doc.document_element();
  if (local(envelope_node) != "Envelope" || nsOf(envelope_node) != kSoap) {
    return fault("ErrorSchemaValidation", "The request is not a SOAP 1.1 envelope (namespace must be http://...).");
  }
  pugi::xml_node soap_body = sub(envelope_node, "Body");
  pugi::xml_node request = soap_body.find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
  if (!request || nsOf(request) != kMessages) return fault("ErrorSchemaValidation", "The request has no EWS operation.");
  pugi::xml_node header = sub(envelope_node, "Header");
  if (std::string(sub(header, "RequestServerVersion").attribute("Version").value()).empty()) {
    return fault("ErrorInvalidServerVersion", "The specified server version is invalid.");
  }
  const std::string operation(local(request));
  ++state.counts[operation];
  if (auto raw = state.raw_answers.find(operation); raw != state.raw_answers.end()) {
    auto answer = raw->second;
    state.raw_answers.erase(raw);
    return answer;
  }
  if (state.busy_times > 0) {
    --state.busy_times;
    auto busy = fault("ErrorServerBusy", "The server cannot service this request right now. Try again later.");
    if (state.busy_back_off) {
      const std::string hint = "<t:MessageXml xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
                               "<t:Value Name=\"BackOffMilliseconds\">" + std::to_string(*state.busy_back_off) +
                               "</t:Value></t:MessageXml>";
      busy.second.insert(busy.second.find("</detail>"), hint);
    }
    return busy;
  }
  Session session(state, email);
  return session.dispatch(operation, request);
}

}  // namespace calsync::testing::ews
