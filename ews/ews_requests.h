// The bodies of the EWS operations the connector sends, as text with m:/t: prefixes (the
// envelope binds them). Element order follows the EWS schema, which real servers enforce.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ews/item_reader.h"

namespace calsync::ews {

// A folder to address: "calendar" (the default calendar, of `mailbox` when set) or a FolderId.
struct FolderRef {
  std::string id;            // "calendar" or a FolderId
  std::string change_key;    // for writes to the folder
  std::string mailbox;       // delegate access: the other mailbox's address
};
inline constexpr const char* kDefaultCalendar = "calendar";

std::string folderIdXml(const FolderRef& folder);
std::string itemIdXml(const ItemRef& item);

std::string getFolderRequest(const std::vector<FolderRef>& folders);
// Every folder below `parent`, at any depth.
std::string findFolderRequest(const FolderRef& parent);
// Ids (plus what paging and grouping need) of the items overlapping [start, end).
std::string calendarViewRequest(const FolderRef& folder, std::int64_t start, std::int64_t end, int max_entries);
// Masters and single items whose CleanGlobalObjectId is `clean_goid_base64`.
std::string findByGoidRequest(const FolderRef& folder, const std::string& clean_goid_base64);
// Full items. `masters_of` are occurrence ids whose recurring masters are wanted.
std::string getItemRequest(const std::vector<ItemRef>& items, const std::vector<ItemRef>& masters_of);
std::string getItemIdsRequest(const std::vector<ItemRef>& items);
std::string syncFolderItemsRequest(const FolderRef& folder, const std::string& sync_state, int max_changes);
std::string createItemRequest(const FolderRef& folder, const std::string& calendar_item_xml);
// `changes`: the <t:ItemChange> elements.
std::string updateItemRequest(const std::string& changes);
std::string deleteItemRequest(const std::string& item_id_xml);
std::string renameFolderRequest(const FolderRef& folder, const std::string& name);

}  // namespace calsync::ews
