// An Exchange Web Services server for tests: SOAP 1.1 over HTTP or HTTPS on 127.0.0.1, with
// mailboxes, calendar folders and items that keep state the way Exchange does. Items carry
// ChangeKeys that change on every modification (a stale one is refused with
// ErrorIrresolvableConflict), SyncFolderItems really tracks changes since a state (paged with
// MaxChangesReturned; unknown or expired states are refused), CalendarView expands recurring
// series into occurrences and exceptions and pages with MaxEntriesReturned. Sign-in is none,
// Basic, NTLM (NTLMv2 responses checked against the password) or an OAuth2 bearer token. Tests edit items "as a
// user would" through the C++ API, and can make the server busy, fail, or answer garbage.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace calsync::testing::ews {

// An EWS recurrence pattern and range, as Outlook's recurrence dialog sets them.
struct Pattern {
  enum class Kind { Daily, Weekly, AbsoluteMonthly, RelativeMonthly, AbsoluteYearly, RelativeYearly };
  Kind kind = Kind::Weekly;
  int interval = 1;
  std::vector<std::string> days;     // Weekly: "Monday", ...; Relative*: one of those or Day/Weekday/WeekendDay
  std::string day_index = "First";   // Relative*: First..Fourth, Last
  int day_of_month = 1;              // Absolute*
  int month = 1;                     // *Yearly: 1..12
  std::string first_day_of_week = "Sunday";
  enum class Range { NoEnd, EndDate, Numbered };
  Range range = Range::NoEnd;
  int count = 0;                     // Numbered
  std::string end_date;              // EndDate: "YYYY-MM-DD"
};

struct Mailbox {
  std::string name;
  std::string email;
};

// What a user sets on an appointment. Times are instants (seconds since the epoch);
// `time_zone` is the Windows zone the item was made in (it decides wall-clock recurrence
// and where an all-day event's midnight is).
struct ItemSpec {
  std::string subject;
  std::string body;
  std::string location;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::string time_zone = "UTC";
  // A complete <t:TimeZoneDefinition ...>...</t:TimeZoneDefinition> to report instead of the
  // Windows id (a custom zone). The server itself still expands recurrences in UTC then.
  std::string custom_zone_xml;
  bool all_day = false;
  std::string uid;                   // empty: the server makes an Outlook-style one
  std::optional<Pattern> recurrence;
  std::vector<std::string> categories;
  std::string busy = "Busy";         // Free, Tentative, Busy, OOF, WorkingElsewhere
  std::string sensitivity = "Normal";
  bool reminder_set = false;
  int reminder_minutes = 15;
  std::optional<Mailbox> organizer;
  std::vector<Mailbox> required_attendees;
  std::vector<Mailbox> optional_attendees;
  bool cancelled = false;
};

// One occurrence's own values once it is an exception.
struct OccurrenceEdit {
  std::optional<std::string> subject;
  std::optional<std::string> body;
  std::optional<std::string> location;
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> end;
};

// The server's view of an item, for assertions.
struct ItemState {
  std::string id;
  std::string change_key;
  std::string folder_id;
  ItemSpec spec;
  std::map<int, OccurrenceEdit> exceptions;   // by 1-based instance index
  std::vector<int> deleted_occurrences;
  std::map<std::string, std::string> extended_properties;  // "PropertySetId/PropertyName" -> value
};

// How requests were asked to behave (the connector must never send mail).
struct WriteFlags {
  std::string operation;
  std::string send_invitations;      // SendMeetingInvitations / ...OrCancellations / SendMeetingCancellations
  std::string conflict_resolution;
  std::string delete_type;
};

class EwsTestServer {
 public:
  enum class Transport { Http, Https };
  enum class Auth { None, Basic, Ntlm, Bearer };
  struct Options {
    Transport transport = Transport::Http;
    Auth auth = Auth::None;
    std::string ntlm_domain = "TESTDOM";   // the target name the NTLM challenge names
  };

  explicit EwsTestServer(Options options);
  EwsTestServer();
  ~EwsTestServer();
  EwsTestServer(const EwsTestServer&) = delete;
  EwsTestServer& operator=(const EwsTestServer&) = delete;

  std::string url() const;                         // http(s)://127.0.0.1:PORT/EWS/Exchange.asmx

  // A user and their mailbox. Without authentication every request acts as the first user.
  void addUser(const std::string& username, const std::string& password, const std::string& email);
  // An OAuth2 access token that signs in as the user with `email` (Auth::Bearer).
  void addBearerToken(const std::string& token, const std::string& email);
  // Lets `user_email`'s owner open `mailbox_email`'s calendars (delegate access).
  void grantDelegate(const std::string& mailbox_email, const std::string& user_email);

  // Folders. "calendar" names a mailbox's default calendar.
  std::string calendarFolderId(const std::string& email) const;
  std::string createCalendarFolder(const std::string& email, const std::string& parent_id, const std::string& name);
  std::string folderName(const std::string& folder_id) const;

  // Items, edited as a user would in Outlook: every change makes a new ChangeKey and shows
  // up in SyncFolderItems.
  std::string createItem(const std::string& folder_id, const ItemSpec& spec);
  void updateItem(const std::string& item_id, const std::function<void(ItemSpec&)>& edit);
  void deleteItem(const std::string& item_id);
  void modifyOccurrence(const std::string& master_id, int instance_index, const OccurrenceEdit& edit);
  void deleteOccurrence(const std::string& master_id, int instance_index);
  // Sets a named extended property as another client might.
  void setExtendedProperty(const std::string& item_id, const std::string& property_set, const std::string& name,
                           const std::string& value);

  std::optional<ItemState> item(const std::string& item_id) const;
  std::vector<ItemState> items(const std::string& folder_id) const;

  // Fault switches.
  // The next `times` requests get an ErrorServerBusy fault (HTTP 500), with a
  // BackOffMilliseconds hint when `back_off_ms` is set.
  void failBusy(int times, std::optional<int> back_off_ms);
  // The next `times` requests get this HTTP status (e.g. 503, 429) with an optional Retry-After.
  void failStatus(int times, int status, std::optional<int> retry_after_seconds = std::nullopt);
  // The next request for `operation` gets `body` verbatim with `status`.
  void answerRawOnce(const std::string& operation, int status, const std::string& body);
  // Forgets every SyncState handed out (as Exchange does when states expire).
  void expireSyncStates();
  // An upper bound on MaxEntriesReturned (Exchange's EWSFindCountLimit); 0 = none.
  void setFindCountLimit(int limit);

  // Observations.
  std::size_t requestCount(const std::string& operation) const;
  std::vector<WriteFlags> writes() const;
  int peakConcurrentRequests() const;
  // Milliseconds each request is held before it is answered (to observe concurrency).
  void setLatency(int milliseconds);

  struct State;   // the mailboxes (server_state.h)
  struct Http;    // the HTTP side (ews_test_server.cpp)

 private:
  std::unique_ptr<State> state_;
  std::unique_ptr<Http> http_;   // declared last: stops serving before the state goes
};

}  // namespace calsync::testing::ews
