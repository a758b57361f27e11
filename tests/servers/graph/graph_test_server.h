// A Microsoft Graph (v1.0 calendar subset) test server over HTTPS, with the Entra token and
// device-code endpoints on the same port. It keeps state and follows the documented behaviour:
// calendars (name, preset color, read-only hexColor); events as single instances and series
// masters with a patternedRecurrence, whose occurrences and exceptions are expanded for
// calendarView/delta and /instances; cancelled occurrences vanish; calendarView/delta rounds
// with Prefer: odata.maxpagesize paging (nextLink with $skiptoken, deltaLink with $deltatoken),
// @removed entries for deletions and for events that only left the window, and expiry (410
// syncStateNotFound); If-Match on @odata.etag (412 ErrorIrresolvableConflict); transactionId
// idempotency; singleValueExtendedProperties ($expand and the Any() $filter); switchable
// throttling (429/503 with Retry-After). It counts writes that would have notified attendees.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/servers/oauth/oauth_test_provider.h"
#include "tests/support/fake_http_server.h"

namespace calsync::testing {

class GraphTestServer {
 public:
  explicit GraphTestServer(std::string tenant = "contoso");
  ~GraphTestServer();
  GraphTestServer(const GraphTestServer&) = delete;
  GraphTestServer& operator=(const GraphTestServer&) = delete;

  std::string apiUrl() const;           // https://127.0.0.1:PORT/v1.0
  std::string loginUrl() const;         // https://127.0.0.1:PORT (authority; tenant appended)
  std::string tokenUrl() const;         // .../<tenant>/oauth2/v2.0/token
  OAuthTestProvider& oauth();

  // A mailbox and its calendars ("as an Exchange admin would").
  void addMailbox(const std::string& upn);
  std::string addCalendar(const std::string& upn, const std::string& name, bool can_edit = true);

  // What a user does in Outlook. Bodies are Graph event JSON (start/end in any zone).
  std::string createEvent(const std::string& upn, const std::string& calendar_id, const std::string& event_json);
  void updateEvent(const std::string& upn, const std::string& id, const std::string& patch_json);
  void deleteEvent(const std::string& upn, const std::string& id);
  // The id of the occurrence of `master_id` originally at `original_utc` (RFC 3339, UTC).
  std::string occurrenceId(const std::string& master_id, const std::string& original_utc) const;

  // The event as GET returns it (with extended properties); nullopt when gone.
  std::optional<std::string> eventJson(const std::string& upn, const std::string& id) const;
  std::vector<std::string> eventIds(const std::string& upn, const std::string& calendar_id) const;  // masters + singles
  struct CalendarState {
    std::string name, color;
  };
  std::optional<CalendarState> calendar(const std::string& upn, const std::string& calendar_id) const;

  // Every delta and skip token issued so far fails with `status` (410, or 400) syncStateNotFound.
  void expireDeltaTokens(int status = 410);
  void throttle(int count, int status = 429, int retry_after = 1);
  void setMaxPageSize(int size);
  int notifyingWrites() const;
  // API requests that did not ask for immutable ids.
  int requestsWithoutImmutableIds() const;
  std::vector<FakeRequest> requests() const;

 private:
  struct State;
  FakeResponse handle(const FakeRequest& request);
  // The API as `upn` (the user's own Outlook, no token needed); `from_user` skips the
  // throttling switch and the counters that judge the connector.
  FakeResponse handleAs(const std::string& upn, const FakeRequest& request);
  FakeResponse serve(const FakeRequest& request, const std::string& subject, bool from_user);
  std::unique_ptr<State> state_;
  std::unique_ptr<FakeHttpServer> http_;
  std::string tenant_;
};

}  // namespace calsync::testing
