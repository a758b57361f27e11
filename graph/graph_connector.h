// The Microsoft Graph calendar connector: an Exchange Online / Outlook.com mailbox's calendars
// as sources or as the destination. Calendar ids are Graph calendar ids; an object's native
// id is the immutable id of its single event or series master. Cursors hold the deltaLink of a
// calendarView/delta round (see delta_cursor.h).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/connector.h"
#include "graph/delta_cursor.h"
#include "graph/event_json.h"
#include "graph/graph_api.h"
#include "graph/graph_config.h"
#include "oauth/access_token_source.h"

namespace calsync::graph {

std::shared_ptr<oauth::AccessTokenSource> tokenSourceFor(const GraphConfig& config);

class GraphConnector : public Connector {
 public:
  explicit GraphConnector(GraphConfig config);
  GraphConnector(GraphConfig config, std::shared_ptr<oauth::AccessTokenSource> tokens);
  ~GraphConnector() override;

  Capabilities capabilities() const override;
  std::vector<Calendar> listCalendars() override;
  ChangeSet pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) override;
  std::optional<CalendarObject> findByUid(const CalendarId& calendar, const std::string& uid) override;
  WriteResult apply(const EventChange& change) override;
  void apply(const CalendarChange& change) override;

  GraphApi& api() { return *api_; }
  oauth::TokenHealth tokenHealth();

  struct CalendarEntry {
    Calendar calendar;
    std::string owner;
    bool is_default = false;
  };
  std::vector<CalendarEntry> calendarEntries();

 private:
  struct DeltaListing {
    std::vector<json::Object::Ptr> items;
    std::string delta_link;
  };

  std::string eventPath(const std::string& id) const;
  std::vector<json::Object::Ptr> collect(const std::string& first, const std::string& context);
  std::optional<DeltaListing> followDelta(const std::string& first, const std::string& context);
  // The event with its extended properties; nullopt when Graph says it does not exist.
  std::optional<json::Object::Ptr> getEvent(const std::string& id);
  std::optional<CalendarObject> readSeries(const json::Object::Ptr& master, const Window& window,
                                           std::vector<ReadWarning>& warnings);
  std::vector<json::Object::Ptr> instancesAround(const std::string& master_id, std::int64_t from, std::int64_t to);

  WriteResult create(const EventChange& change);
  WriteResult update(const EventChange& change);
  void remove(const EventChange& change);
  // The event as it is now, refusing meetings a write would announce to their attendees.
  json::Object::Ptr currentForWrite(const std::string& id, const std::string& if_match, const std::string& context);
  void writeOccurrences(const std::string& master_id, const CalendarObject& object);

  GraphConfig config_;
  std::shared_ptr<oauth::AccessTokenSource> tokens_;
  std::unique_ptr<GraphApi> api_;
};

}  // namespace calsync::graph
