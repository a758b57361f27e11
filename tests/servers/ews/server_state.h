// Internal to the EWS test server: the mailbox state every operation reads and changes, kept
// under one mutex. Ids and ChangeKeys are opaque strings, as Exchange's are.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ews_test_server.h"

namespace calsync::testing::ews {

struct StoredItem {
  std::string id;
  std::string change_key;
  std::string folder_id;
  ItemSpec spec;
  std::map<int, OccurrenceEdit> exceptions;
  std::set<int> deleted;
  std::map<std::string, std::string> extended;   // "PropertySetId/PropertyName" (set id lower case)
  std::int64_t created = 0;
  std::int64_t modified = 0;
  std::uint64_t created_seq = 0;
  std::uint64_t changed_seq = 0;
};

struct Folder {
  std::string id;
  std::string change_key;
  std::string name;
  std::string parent_id;       // empty for a default calendar
  std::string owner;           // mailbox email
};

struct Tombstone {
  std::string id;
  std::string folder_id;
  std::uint64_t created_seq = 0;
  std::uint64_t seq = 0;
};

struct User {
  std::string username;
  std::string password;
  std::string email;
};

// One occurrence of a series as the pattern generates it, with an exception's own values.
struct Instance {
  int index = 0;               // 1-based position in the pattern
  std::int64_t original_start = 0;
  std::int64_t start = 0;
  std::int64_t end = 0;
  bool modified = false;
  bool deleted = false;
};

struct EwsTestServer::State {
  mutable std::mutex mutex;
  Options options;
  std::map<std::string, User> users;                 // by lower-case user name
  std::vector<std::string> user_order;
  std::map<std::string, std::string> bearer_tokens;       // token -> email
  std::map<std::string, std::set<std::string>> delegates;  // mailbox -> emails allowed in
  std::map<std::string, Folder> folders;
  std::map<std::string, std::string> default_calendars;    // email -> folder id
  std::map<std::string, StoredItem> items;
  std::vector<Tombstone> tombstones;
  std::map<std::string, std::pair<std::string, std::uint64_t>> sync_states;  // token -> folder, seq
  std::uint64_t seq = 0;
  std::uint64_t counter = 0;

  int busy_times = 0;
  std::optional<int> busy_back_off;
  int status_times = 0;
  int status_code = 503;
  std::optional<int> retry_after;
  std::map<std::string, std::pair<int, std::string>> raw_answers;
  int find_count_limit = 0;
  std::map<std::string, std::size_t> counts;
  std::vector<WriteFlags> writes;
  int in_flight = 0;
  int peak = 0;
  int latency_ms = 0;

  // All below: call with `mutex` held.
  std::string newId(const std::string& prefix);
  std::string newChangeKey();
  void touch(StoredItem& item);                         // a modification: new ChangeKey, in the next sync
  std::string createItemLocked(const std::string& folder_id, const ItemSpec& spec);
  void deleteItemLocked(const std::string& item_id);
  const User* userByEmail(const std::string& email) const;
};

// Occurrence ids name a master and a pattern position; they are as opaque to clients as
// Exchange's.
std::string occurrenceId(const std::string& master_id, int index);
bool parseOccurrenceId(const std::string& id, std::string& master_id, int& index);

// The series' occurrences whose original start is before `until` (at most `max_index`).
std::vector<Instance> expandSeries(const StoredItem& item, std::int64_t until, int max_index = 100000);
// The wall-clock offset (seconds east of UTC) of a Windows zone at an instant; 0 when unknown.
std::int64_t zoneOffset(const std::string& windows_zone, std::int64_t instant);
// The instant of local midnight + `seconds_of_day` on a civil date in a Windows zone.
std::int64_t zoneToUtc(const std::string& windows_zone, int year, int month, int day, std::int64_t seconds_of_day);

// PidLidCleanGlobalObjectId for a UID, as Exchange derives it (MS-OXOCAL 2.2.1.27), base64.
std::string cleanGlobalObjectIdBase64(const std::string& uid);

// The SOAP answer (HTTP status, body) for one request made as the user with `email`.
std::pair<int, std::string> handleSoap(EwsTestServer::State& state, const std::string& email, const std::string& body);

}  // namespace calsync::testing::ews
