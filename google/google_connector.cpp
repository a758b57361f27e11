// Calendars, lookups and calendar metadata of the Google connector; pulls live in
// google_pull.cpp, event writes in google_write.cpp.
#include "google/google_connector.h"

#include <fstream>
#include <sstream>

#include "core/log.h"
#include "oauth/encoding.h"
#include "oauth/token_store.h"

namespace calsync::google {
namespace {

constexpr std::string_view kLog = "google";
constexpr int kMaxPages = 10000;

net::HttpOptions httpOptions(const GoogleConfig& config) {
  net::HttpOptions options;
  options.ca_file = config.ca_file;
  options.verify_tls = config.verify_tls;
  options.timeout_seconds = config.timeout_seconds;
  options.connect_timeout_seconds = std::min(config.timeout_seconds, 30);
  return options;
}

std::string readKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConnectorError(ErrorKind::Config, "google: cannot read service_account_key_file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A readable foreground for a background colour (YIQ brightness).
std::string foregroundFor(const std::string& background) {
  if (background.size() < 7 || background[0] != '#') return "#000000";
  try {
    const int r = std::stoi(background.substr(1, 2), nullptr, 16);
    const int g = std::stoi(background.substr(3, 2), nullptr, 16);
    const int b = std::stoi(background.substr(5, 2), nullptr, 16);
    return (r * 299 + g * 587 + b * 114) / 1000 >= 128 ? "#000000" : "#ffffff";
  } catch (const std::exception&) {
    return "#000000";
  }
}

}  // namespace

std::shared_ptr<oauth::AccessTokenSource> tokenSourceFor(const GoogleConfig& config) {
  oauth::TokenEndpointSetup setup;
  setup.provider = "Google";
  setup.token_endpoint = config.token_url;
  setup.client.client_id = config.client_id;
  setup.client.client_secret = config.client_secret;
  setup.scope = config.scope;
  setup.reauth = config.reauth;
  setup.http = httpOptions(config);
  if (config.auth == GoogleConfig::Auth::ServiceAccount) {
    auto key = oauth::ServiceAccountKey::fromJson(readKeyFile(config.service_account_key_file));
    setup.reauth = "check service_account_key_file and the domain-wide delegation of the service account's client "
                   "ID for scope " + config.scope;
    return std::make_shared<oauth::ServiceAccountSource>(setup, std::move(key), config.subject);
  }
  return std::make_shared<oauth::StoredTokenSource>(setup, oauth::TokenStore(config.data_dir));
}

GoogleConnector::GoogleConnector(GoogleConfig config) : GoogleConnector(config, tokenSourceFor(config)) {}

GoogleConnector::GoogleConnector(GoogleConfig config, std::shared_ptr<oauth::AccessTokenSource> tokens)
    : config_(std::move(config)), tokens_(std::move(tokens)) {
  api_ = std::make_unique<GoogleApi>(config_, tokens_);
}

GoogleConnector::~GoogleConnector() = default;

Capabilities GoogleConnector::capabilities() const {
  Capabilities capabilities;
  capabilities.read = true;
  capabilities.write_events = true;
  capabilities.write_metadata = true;
  capabilities.incremental = true;
  return capabilities;
}

oauth::TokenHealth GoogleConnector::tokenHealth() { return tokens_->health(); }

std::string GoogleConnector::eventsPath(const std::string& calendar) const {
  return "/calendars/" + oauth::urlEncode(calendar) + "/events";
}

std::vector<GoogleConnector::CalendarEntry> GoogleConnector::calendarEntries() {
  std::vector<CalendarEntry> entries;
  std::string page;
  for (int round = 0; round < kMaxPages; ++round) {
    std::string path = "/users/me/calendarList?maxResults=250&showHidden=true";
    if (!page.empty()) path += "&pageToken=" + oauth::urlEncode(page);
    auto body = api_->getJson(path, "GET calendarList");
    for (const auto& item : json::objects(body, "items")) {
      if (json::boolean(item, "deleted")) continue;
      CalendarEntry entry;
      entry.calendar.id = json::text(item, "id");
      if (entry.calendar.id.empty()) continue;
      entry.calendar.name = json::text(item, "summaryOverride", json::text(item, "summary"));
      entry.calendar.color = json::text(item, "backgroundColor");
      entry.calendar.description = json::text(item, "description");
      entry.access_role = json::text(item, "accessRole");
      entry.calendar.writable = entry.access_role == "owner" || entry.access_role == "writer";
      entry.time_zone = json::text(item, "timeZone");
      entry.primary = json::boolean(item, "primary");
      entry.hidden = json::boolean(item, "hidden");
      if (!entry.time_zone.empty()) zones_[entry.calendar.id] = entry.time_zone;
      entries.push_back(std::move(entry));
    }
    page = json::text(body, "nextPageToken");
    if (page.empty()) return entries;
  }
  throw ConnectorError(ErrorKind::Protocol, "GET calendarList: paging never ended");
}

std::vector<Calendar> GoogleConnector::listCalendars() {
  std::vector<Calendar> calendars;
  for (auto& entry : calendarEntries()) calendars.push_back(std::move(entry.calendar));
  log::debug(kLog, "found " + std::to_string(calendars.size()) + " calendars");
  return calendars;
}

std::string GoogleConnector::calendarZone(const std::string& calendar) {
  auto found = zones_.find(calendar);
  if (found != zones_.end()) return found->second;
  auto body = api_->getJson("/calendars/" + oauth::urlEncode(calendar), "GET calendar " + calendar);
  std::string zone = json::text(body, "timeZone", "UTC");
  zones_[calendar] = zone;
  return zone;
}

std::vector<json::Object::Ptr> GoogleConnector::itemsWithUid(const std::string& calendar, const std::string& query_key,
                                                             const std::string& value) {
  auto listing = listEvents(calendar, query_key + "=" + oauth::urlEncode(value),
                            "GET events (" + query_key + ") of " + calendar);
  return listing ? listing->items : std::vector<json::Object::Ptr>{};
}

std::optional<CalendarObject> GoogleConnector::findByUid(const CalendarId& calendar, const std::string& uid) {
  const std::string zone = calendarZone(calendar);
  auto build = [&](const std::string& master_id) -> std::optional<CalendarObject> {
    auto series = fetchSeries(calendar, master_id);
    if (!series || !series->master) return std::nullopt;
    std::vector<ReadWarning> warnings;
    CalendarObject object = objectFromSeries(master_id, *series, zone, warnings);
    if (object.uid != uid) return std::nullopt;
    return object;
  };
  // Where calsync puts it: the id derived from the UID.
  if (auto object = build(eventIdForUid(uid))) return object;
  // Elsewhere: created by someone else with this iCalUID, or a copy whose id differs but which
  // carries our private UID property.
  for (const char* key : {"iCalUID", "privateExtendedProperty"}) {
    const std::string value = std::string(key) == "iCalUID" ? uid : std::string(kUidProperty) + "=" + uid;
    for (const auto& item : itemsWithUid(calendar, key, value)) {
      if (json::text(item, "status") == "cancelled") continue;
      const std::string master = json::text(item, "recurringEventId", json::text(item, "id"));
      if (auto object = build(master)) return object;
    }
  }
  return std::nullopt;
}

void GoogleConnector::apply(const CalendarChange& change) {
  if (change.name || change.description) {
    json::Object body;
    if (change.name) body.set("summary", *change.name);
    if (change.description) body.set("description", *change.description);
    const std::string path = "/calendars/" + oauth::urlEncode(change.calendar);
    auto response = api_->send("PATCH", path, json::stringify(body));
    if (response.status != 200) throw api_->errorFor(response, "PATCH calendar " + change.calendar);
  }
  if (change.color) {
    // Colours are per user and live on the calendar list entry; RGB needs colorRgbFormat.
    json::Object body;
    body.set("backgroundColor", change.color->substr(0, 7));
    body.set("foregroundColor", foregroundFor(*change.color));
    const std::string path = "/users/me/calendarList/" + oauth::urlEncode(change.calendar) + "?colorRgbFormat=true";
    auto response = api_->send("PATCH", path, json::stringify(body));
    if (response.status != 200) throw api_->errorFor(response, "PATCH calendarList entry " + change.calendar);
  }
}

}  // namespace calsync::google
