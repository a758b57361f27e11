// The Google Calendar API v3 connector: a Google account's calendars as sources or as the
// destination. Calendar ids are Google calendar ids; an object's native id is the id of its
// series master (or single event). Cursors hold events.list sync tokens.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/connector.h"
#include "google/event_json.h"
#include "google/google_api.h"
#include "google/google_config.h"
#include "oauth/access_token_source.h"

namespace calsync::google {

// The token source a config asks for: the encrypted store of a user sign-in, or a service
// account. Throws ConnectorError(Config) for an unreadable service account key.
std::shared_ptr<oauth::AccessTokenSource> tokenSourceFor(const GoogleConfig& config);

class GoogleConnector : public Connector {
 public:
  explicit GoogleConnector(GoogleConfig config);
  GoogleConnector(GoogleConfig config, std::shared_ptr<oauth::AccessTokenSource> tokens);
  ~GoogleConnector() override;

  Capabilities capabilities() const override;
  std::vector<Calendar> listCalendars() override;
  ChangeSet pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) override;
  std::optional<CalendarObject> findByUid(const CalendarId& calendar, const std::string& uid) override;
  WriteResult apply(const EventChange& change) override;
  void apply(const CalendarChange& change) override;

  GoogleApi& api() { return *api_; }
  // The token source's view: ok, expiring, revoked, consent_missing.
  oauth::TokenHealth tokenHealth();

  struct CalendarEntry {
    Calendar calendar;
    std::string access_role;
    std::string time_zone;
    bool primary = false;
    bool hidden = false;
  };
  std::vector<CalendarEntry> calendarEntries();

 private:
  struct Listing {
    std::vector<json::Object::Ptr> items;
    std::string next_sync_token;
    std::string time_zone;
  };

  std::string eventsPath(const std::string& calendar) const;
  std::optional<Listing> listEvents(const std::string& calendar, const std::string& query, const std::string& context);
  // A series as it is now, read whole; nullopt when it is gone.
  std::optional<SeriesItems> fetchSeries(const std::string& calendar, const std::string& master_id);
  std::vector<json::Object::Ptr> itemsWithUid(const std::string& calendar, const std::string& query_key,
                                              const std::string& value);
  std::string calendarZone(const std::string& calendar);
  void place(ChangeSet& changes, const Window& window, const std::string& native_id, const SeriesItems& series,
             const std::string& zone);

  WriteResult create(const EventChange& change);
  WriteResult update(const EventChange& change);
  void remove(const EventChange& change);
  // Writes each override onto its instance; returns the master's current etag.
  std::string writeOverrides(const std::string& calendar, const std::string& master_id, const CalendarObject& object,
                             const std::string& zone);
  void resetStaleInstances(const std::string& calendar, const std::string& master_id, const CalendarObject& object,
                           const std::string& zone);

  GoogleConfig config_;
  std::shared_ptr<oauth::AccessTokenSource> tokens_;
  std::unique_ptr<GoogleApi> api_;
  std::map<std::string, std::string> zones_;  // calendar id -> its time zone
};

}  // namespace calsync::google
