#include "ews/ews_requests.h"

#include "ews/ews_time.h"
#include "ews/soap_xml.h"

namespace calsync::ews {
namespace {

std::string attribute(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + escape(value) + "\"";
}

std::string originFieldUri() {
  return std::string("<t:ExtendedFieldURI PropertySetId=\"") + kCalsyncPropertySet + "\" PropertyName=\"" +
         kOriginPropertyName + "\" PropertyType=\"String\"/>";
}

// Everything the mapping reads: AllProperties leaves out the zones, the UID and extended
// properties, and gives the body in whatever form it was stored unless asked for text.
std::string fullItemShape() {
  return "<m:ItemShape><t:BaseShape>AllProperties</t:BaseShape><t:BodyType>Text</t:BodyType>"
         "<t:AdditionalProperties>"
         "<t:FieldURI FieldURI=\"calendar:UID\"/>"
         "<t:FieldURI FieldURI=\"calendar:RecurrenceId\"/>"
         "<t:FieldURI FieldURI=\"calendar:StartTimeZone\"/>"
         "<t:FieldURI FieldURI=\"calendar:EndTimeZone\"/>"
         "<t:FieldURI FieldURI=\"calendar:Recurrence\"/>"
         "<t:FieldURI FieldURI=\"calendar:ModifiedOccurrences\"/>"
         "<t:FieldURI FieldURI=\"calendar:DeletedOccurrences\"/>"
         "<t:FieldURI FieldURI=\"item:Body\"/>"
         "<t:FieldURI FieldURI=\"item:Categories\"/>" +
         originFieldUri() + "</t:AdditionalProperties></m:ItemShape>";
}

}  // namespace

std::string folderIdXml(const FolderRef& folder) {
  if (folder.id == kDefaultCalendar) {
    std::string xml = "<t:DistinguishedFolderId Id=\"calendar\"" +
                      (folder.change_key.empty() ? std::string() : attribute("ChangeKey", folder.change_key)) + ">";
    if (!folder.mailbox.empty()) xml += "<t:Mailbox><t:EmailAddress>" + escape(folder.mailbox) + "</t:EmailAddress></t:Mailbox>";
    return xml + "</t:DistinguishedFolderId>";
  }
  return "<t:FolderId" + attribute("Id", folder.id) +
         (folder.change_key.empty() ? std::string() : attribute("ChangeKey", folder.change_key)) + "/>";
}

std::string itemIdXml(const ItemRef& item) {
  return "<t:ItemId" + attribute("Id", item.id) +
         (item.change_key.empty() ? std::string() : attribute("ChangeKey", item.change_key)) + "/>";
}

std::string getFolderRequest(const std::vector<FolderRef>& folders) {
  std::string xml =
      "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape><t:AdditionalProperties>"
      "<t:FieldURI FieldURI=\"folder:FolderClass\"/><t:FieldURI FieldURI=\"folder:EffectiveRights\"/>"
      "</t:AdditionalProperties></m:FolderShape><m:FolderIds>";
  for (const auto& folder : folders) xml += folderIdXml(folder);
  return xml + "</m:FolderIds></m:GetFolder>";
}

std::string findFolderRequest(const FolderRef& parent) {
  return "<m:FindFolder Traversal=\"Deep\"><m:FolderShape><t:BaseShape>Default</t:BaseShape><t:AdditionalProperties>"
         "<t:FieldURI FieldURI=\"folder:FolderClass\"/><t:FieldURI FieldURI=\"folder:EffectiveRights\"/>"
         "</t:AdditionalProperties></m:FolderShape><m:ParentFolderIds>" +
         folderIdXml(parent) + "</m:ParentFolderIds></m:FindFolder>";
}

std::string calendarViewRequest(const FolderRef& folder, std::int64_t start, std::int64_t end, int max_entries) {
  return "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
         "<t:FieldURI FieldURI=\"calendar:Start\"/><t:FieldURI FieldURI=\"calendar:End\"/>"
         "<t:FieldURI FieldURI=\"calendar:CalendarItemType\"/><t:FieldURI FieldURI=\"calendar:UID\"/>"
         "</t:AdditionalProperties></m:ItemShape>"
         "<m:CalendarView MaxEntriesReturned=\"" +
         std::to_string(max_entries) + "\" StartDate=\"" + formatUtc(start) + "\" EndDate=\"" + formatUtc(end) +
         "\"/><m:ParentFolderIds>" + folderIdXml(folder) + "</m:ParentFolderIds></m:FindItem>";
}

std::string findByGoidRequest(const FolderRef& folder, const std::string& clean_goid_base64) {
  // PidLidCleanGlobalObjectId (0x23 in the Meeting property set) is the one UID-derived
  // property EWS can search on; calendar:UID itself cannot be used in a restriction.
  return "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
         "<m:IndexedPageItemView MaxEntriesReturned=\"50\" Offset=\"0\" BasePoint=\"Beginning\"/>"
         "<m:Restriction><t:IsEqualTo>"
         "<t:ExtendedFieldURI DistinguishedPropertySetId=\"Meeting\" PropertyId=\"35\" PropertyType=\"Binary\"/>"
         "<t:FieldURIOrConstant><t:Constant Value=\"" +
         escape(clean_goid_base64) +
         "\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
         "<m:ParentFolderIds>" +
         folderIdXml(folder) + "</m:ParentFolderIds></m:FindItem>";
}

std::string getItemRequest(const std::vector<ItemRef>& items, const std::vector<ItemRef>& masters_of) {
  std::string xml = "<m:GetItem>" + fullItemShape() + "<m:ItemIds>";
  for (const auto& item : items) xml += itemIdXml(item);
  for (const auto& occurrence : masters_of) xml += "<t:RecurringMasterItemId OccurrenceId=\"" + escape(occurrence.id) + "\"/>";
  return xml + "</m:ItemIds></m:GetItem>";
}

std::string getItemIdsRequest(const std::vector<ItemRef>& items) {
  std::string xml = "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds>";
  for (const auto& item : items) xml += itemIdXml(item);
  return xml + "</m:ItemIds></m:GetItem>";
}

std::string syncFolderItemsRequest(const FolderRef& folder, const std::string& sync_state, int max_changes) {
  std::string xml = "<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId>" +
                    folderIdXml(folder) + "</m:SyncFolderId>";
  if (!sync_state.empty()) xml += "<m:SyncState>" + escape(sync_state) + "</m:SyncState>";
  return xml + "<m:MaxChangesReturned>" + std::to_string(max_changes) +
         "</m:MaxChangesReturned><m:SyncScope>NormalItems</m:SyncScope></m:SyncFolderItems>";
}

std::string createItemRequest(const FolderRef& folder, const std::string& calendar_item_xml) {
  return "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:SavedItemFolderId>" + folderIdXml(folder) +
         "</m:SavedItemFolderId><m:Items>" + calendar_item_xml + "</m:Items></m:CreateItem>";
}

std::string updateItemRequest(const std::string& changes) {
  return "<m:UpdateItem ConflictResolution=\"NeverOverwrite\" SendMeetingInvitationsOrCancellations=\"SendToNone\">"
         "<m:ItemChanges>" +
         changes + "</m:ItemChanges></m:UpdateItem>";
}

std::string deleteItemRequest(const std::string& item_id_xml) {
  return "<m:DeleteItem DeleteType=\"MoveToDeletedItems\" SendMeetingCancellations=\"SendToNone\" "
         "AffectedTaskOccurrences=\"AllOccurrences\"><m:ItemIds>" +
         item_id_xml + "</m:ItemIds></m:DeleteItem>";
}

std::string renameFolderRequest(const FolderRef& folder, const std::string& name) {
  return "<m:UpdateFolder><m:FolderChanges><t:FolderChange>" + folderIdXml(folder) +
         "<t:Updates><t:SetFolderField><t:FieldURI FieldURI=\"folder:DisplayName\"/><t:CalendarFolder><t:DisplayName>" +
         escape(name) + "</t:DisplayName></t:CalendarFolder></t:SetFolderField></t:Updates></t:FolderChange>"
         "</m:FolderChanges></m:UpdateFolder>";
}

}  // namespace calsync::ews
