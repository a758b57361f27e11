// A Google Calendar API v3 test server over HTTPS (the test CA in tests/support/tls), with the
// OAuth token endpoint on the same port. It keeps state and follows the documented behaviour:
// calendarList; events.list with pageToken paging, showDeleted, iCalUID and
// privateExtendedProperty filters; sync tokens (nextSyncToken only on the last page, no time
// filters alongside, 410 fullSyncRequired once expired); series masters with modified and
// cancelled instances (cancelled ones carry only id, recurringEventId, originalStartTime);
// insert/get/patch/put/delete with etags and If-Match (412 conditionNotMet), client-chosen ids
// (base32hex, 409 duplicate); events.instances with originalStart; calendar and calendarList
// patches; switchable throttling (403 rateLimitExceeded or 429, optional Retry-After).
// Tests change data "as a user would" through the C++ API.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/servers/oauth/oauth_test_provider.h"
#include "tests/support/fake_http_server.h"

namespace calsync::testing {

class GoogleTestServer {
 public:
  GoogleTestServer();
  ~GoogleTestServer();
  GoogleTestServer(const GoogleTestServer&) = delete;
  GoogleTestServer& operator=(const GoogleTestServer&) = delete;

  std::string apiUrl() const;     // https://127.0.0.1:PORT/calendar/v3
  std::string tokenUrl() const;   // https://127.0.0.1:PORT/token
  std::string authUrl() const;    // https://127.0.0.1:PORT/o/oauth2/v2/auth (consent via oauth())
  OAuthTestProvider& oauth();

  // A calendar in the signed-in user's list.
  void addCalendar(const std::string& id, const std::string& summary, const std::string& time_zone = "UTC",
                   const std::string& access_role = "owner");
  struct CalendarState {
    std::string summary, description, time_zone, background, foreground;
  };
  std::optional<CalendarState> calendar(const std::string& id) const;

  // What a user does in Google Calendar. Bodies are event resources as JSON text.
  std::string insertEvent(const std::string& calendar, const std::string& event_json);
  void patchEvent(const std::string& calendar, const std::string& id, const std::string& patch_json);
  void deleteEvent(const std::string& calendar, const std::string& id);
  // Changes one occurrence (creating the modified instance); `original_start` is RFC 3339 or a date.
  std::string modifyInstance(const std::string& calendar, const std::string& master_id,
                             const std::string& original_start, const std::string& patch_json);
  void cancelInstance(const std::string& calendar, const std::string& master_id, const std::string& original_start);

  // The resource as events.get returns it (cancelled ones too); nullopt when it never existed.
  std::optional<std::string> eventJson(const std::string& calendar, const std::string& id) const;
  // Ids of events that are not cancelled (masters, single events and modified instances).
  std::vector<std::string> liveEventIds(const std::string& calendar) const;

  // Every sync token issued so far answers 410 fullSyncRequired.
  void expireSyncTokens();
  // The next `count` API requests fail: status 429 or 403 with `reason`; Retry-After when >= 0.
  void throttle(int count, int status = 429, const std::string& reason = "rateLimitExceeded", int retry_after = -1);
  void setMaxPageSize(int size);
  // Writes that would have e-mailed attendees (sendUpdates other than none, attendees present).
  int notifyingWrites() const;
  std::vector<FakeRequest> requests() const;

 private:
  struct State;
  FakeResponse handle(const FakeRequest& request);
  std::unique_ptr<State> state_;
  std::unique_ptr<FakeHttpServer> http_;
};

}  // namespace calsync::testing
