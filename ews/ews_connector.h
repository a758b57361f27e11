// The Exchange Web Services connector: the default calendar of a mailbox (one's own, or
// another's by delegate access) and the calendar folders below it, as a source or as the
// destination. Calendar ids are "calendar" (the default calendar) or EWS FolderIds; native
// ids are the ItemIds of single items and recurring masters; etags are ChangeKeys.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/connector.h"
#include "core/discovery.h"
#include "core/registry.h"
#include "ews/ews_client.h"
#include "ews/ews_config.h"
#include "ews/ews_requests.h"
#include "ews/item_reader.h"
#include "ews/item_writer.h"
#include "ews/sync_cursor.h"

namespace calsync::ews {

class EwsConnector : public Connector {
 public:
  explicit EwsConnector(EwsConfig config);
  ~EwsConnector() override;

  Capabilities capabilities() const override;
  std::vector<Calendar> listCalendars() override;
  ChangeSet pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) override;
  std::optional<CalendarObject> findByUid(const CalendarId& calendar, const std::string& uid) override;
  WriteResult apply(const EventChange& change) override;
  void apply(const CalendarChange& change) override;

  // listCalendars() with what discovery shows besides: the folder's item count.
  struct FolderInfo {
    Calendar calendar;
    std::optional<std::size_t> total_count;
  };
  std::vector<FolderInfo> listFolders();

  EwsClient& client() { return client_; }

 private:
  struct SyncListing {
    bool refused = false;                          // ErrorInvalidSyncStateData
    std::map<std::string, std::string> changed;    // id -> change key (Create/Update)
    std::set<std::string> deleted;
    std::string state;
  };
  struct ViewListing {
    std::vector<ItemRef> items;                    // singles (and any master listed as such)
    std::map<std::string, ItemRef> series;         // UID (or occurrence id) -> one occurrence
  };
  struct Fetched {
    std::vector<CalendarObject> objects;
    std::vector<std::string> unusable;             // exist, could not be read: never deletions
    std::vector<std::string> gone;                 // asked for by ItemId, no longer there
    std::vector<ReadWarning> warnings;
  };
  struct Current {
    EwsItem master;
    std::vector<EwsItem> exceptions;
    CalendarObject object;
  };

  FolderRef folderFor(const CalendarId& calendar) const;
  SyncListing syncItems(const FolderRef& folder, const std::string& state);
  void calendarView(const FolderRef& folder, std::int64_t start, std::int64_t end, ViewListing& listing);
  Fetched fetchObjects(const std::vector<ItemRef>& items, const std::vector<ItemRef>& masters_of);
  ChangeSet fullPull(const FolderRef& folder, const Window& window);
  ChangeSet incrementalPull(const FolderRef& folder, const Window& window, const SyncCursor& cursor);
  std::vector<ItemRef> findIdsByUid(const FolderRef& folder, const std::string& uid);
  std::optional<Current> readCurrent(const std::string& item_id);
  ItemRef currentRef(const std::string& item_id);
  void writeOccurrences(const ItemRef& master, const CalendarObject& object, const Current* current);
  std::string originOf(const CalendarObject& object) const;

  EwsClient client_;
  WriteZones zones_;
};

// What `calsyncctl discover ews` reports for the endpoint `spec` describes.
DiscoveryReport discoverEws(const ConnectorSpec& spec);
// How the registry builds and describes type "ews".
ConnectorInfo ewsConnectorInfo();

}  // namespace calsync::ews
