// Calendars, lookups and calendar metadata of the Graph connector; pulls live in
// graph_pull.cpp, event writes in graph_write.cpp.
#include "graph/graph_connector.h"

#include <climits>
#include <set>

#include "core/log.h"
#include "oauth/encoding.h"
#include "oauth/token_store.h"

namespace calsync::graph {
namespace {

constexpr std::string_view kLog = "graph";
constexpr int kMaxPages = 100000;

// Outlook's preset calendar colours (Graph's calendarColor) and close RGB values.
const std::vector<std::pair<std::string, std::string>> kColors = {
    {"lightBlue", "#a6d1f5"},   {"lightGreen", "#87d28e"}, {"lightOrange", "#fcab73"}, {"lightGray", "#c0c0c0"},
    {"lightYellow", "#f0e16c"}, {"lightTeal", "#6fd3d8"},  {"lightPink", "#f5a3c7"},   {"lightBrown", "#c3a988"},
    {"lightRed", "#f28b8b"}};

int channel(const std::string& hex, std::size_t at) {
  try {
    return std::stoi(hex.substr(at, 2), nullptr, 16);
  } catch (const std::exception&) {
    return 0;
  }
}

std::string nearestPreset(const std::string& hex) {
  if (hex.size() < 7 || hex[0] != '#') return "auto";
  std::string best = "auto";
  long best_distance = LONG_MAX;
  for (const auto& [name, value] : kColors) {
    long distance = 0;
    for (std::size_t at : {1u, 3u, 5u}) {
      const long d = channel(hex, at) - channel(value, at);
      distance += d * d;
    }
    if (distance < best_distance) {
      best_distance = distance;
      best = name;
    }
  }
  return best;
}

std::string colorOf(const json::Object::Ptr& calendar) {
  if (auto hex = json::text(calendar, "hexColor"); !hex.empty()) return hex;
  const std::string name = json::text(calendar, "color");
  for (const auto& [preset, value] : kColors) {
    if (preset == name) return value;
  }
  return {};
}

net::HttpOptions httpOptions(const GraphConfig& config) {
  net::HttpOptions options;
  options.ca_file = config.ca_file;
  options.verify_tls = config.verify_tls;
  options.timeout_seconds = config.timeout_seconds;
  options.connect_timeout_seconds = std::min(config.timeout_seconds, 30);
  return options;
}

std::string odataQuote(const std::string& value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::shared_ptr<oauth::AccessTokenSource> tokenSourceFor(const GraphConfig& config) {
  oauth::TokenEndpointSetup setup;
  setup.provider = "Microsoft";
  setup.token_endpoint = config.token_url;
  setup.client.client_id = config.client_id;
  setup.client.client_secret = config.client_secret;
  if (!config.certificate_file.empty()) {
    setup.client.certificate = std::make_shared<oauth::ClientCertificate>(
        oauth::ClientCertificate::fromFiles(config.certificate_file, config.certificate_key_file));
  }
  setup.reauth = config.reauth;
  setup.http = httpOptions(config);
  if (config.auth == GraphConfig::Auth::ClientCredentials) {
    // App-only access always asks for what an admin granted: <resource>/.default.
    setup.scope = config.app_scope;
    return std::make_shared<oauth::ClientCredentialsSource>(setup);
  }
  setup.scope = config.scope;
  return std::make_shared<oauth::StoredTokenSource>(setup, oauth::TokenStore(config.data_dir));
}

GraphConnector::GraphConnector(GraphConfig config) : GraphConnector(config, tokenSourceFor(config)) {}

GraphConnector::GraphConnector(GraphConfig config, std::shared_ptr<oauth::AccessTokenSource> tokens)
    : config_(std::move(config)), tokens_(std::move(tokens)) {
  api_ = std::make_unique<GraphApi>(config_, tokens_);
}

GraphConnector::~GraphConnector() = default;

Capabilities GraphConnector::capabilities() const {
  Capabilities capabilities;
  capabilities.read = true;
  capabilities.write_events = true;
  capabilities.write_metadata = true;
  capabilities.incremental = true;
  return capabilities;
}

oauth::TokenHealth GraphConnector::tokenHealth() { return tokens_->health(); }

std::string GraphConnector::eventPath(const std::string& id) const {
  return config_.userPath() + "/events/" + oauth::urlEncode(id);
}

std::vector<json::Object::Ptr> GraphConnector::collect(const std::string& first, const std::string& context) {
  std::vector<json::Object::Ptr> items;
  std::string next = first;
  std::set<std::string> seen;
  for (int round = 0; round < kMaxPages && !next.empty(); ++round) {
    auto body = api_->getJson(next, context, config_.page_size);
    for (auto& item : json::objects(body, "value")) items.push_back(item);
    next = json::text(body, "@odata.nextLink");
    if (!next.empty() && !seen.insert(next).second) throw ConnectorError(ErrorKind::Protocol, context + ": nextLink repeated");
  }
  if (!next.empty()) throw ConnectorError(ErrorKind::Protocol, context + ": paging never ended");
  return items;
}

std::vector<GraphConnector::CalendarEntry> GraphConnector::calendarEntries() {
  std::vector<CalendarEntry> entries;
  for (const auto& item : collect(config_.userPath() + "/calendars", "GET calendars")) {
    CalendarEntry entry;
    entry.calendar.id = json::text(item, "id");
    if (entry.calendar.id.empty()) continue;
    entry.calendar.name = json::text(item, "name");
    entry.calendar.color = colorOf(item);
    entry.calendar.writable = json::boolean(item, "canEdit", true);
    entry.owner = json::text(json::object(item, "owner"), "address");
    entry.is_default = json::boolean(item, "isDefaultCalendar");
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<Calendar> GraphConnector::listCalendars() {
  std::vector<Calendar> calendars;
  for (auto& entry : calendarEntries()) calendars.push_back(std::move(entry.calendar));
  log::debug(kLog, "found " + std::to_string(calendars.size()) + " calendars");
  return calendars;
}

std::optional<json::Object::Ptr> GraphConnector::getEvent(const std::string& id) {
  const std::string context = "GET event " + id;
  auto response = api_->send("GET", eventPath(id) + "?$expand=" + oauth::urlEncode(extendedPropertiesExpand()));
  if (response.status == 404) return std::nullopt;
  if (response.status != 200) throw api_->errorFor(response, context);
  return json::parseObject(response.body, context);
}

std::optional<CalendarObject> GraphConnector::findByUid(const CalendarId& calendar, const std::string& uid) {
  const std::string base = config_.userPath() + "/calendars/" + oauth::urlEncode(calendar) + "/events?$filter=";
  const std::vector<std::string> filters = {
      std::string("singleValueExtendedProperties/Any(ep: ep/id eq ") + odataQuote(kUidPropertyId) +
          " and ep/value eq " + odataQuote(uid) + ")",
      "iCalUId eq " + odataQuote(uid)};
  for (const auto& filter : filters) {
    for (const auto& item : collect(base + oauth::urlEncode(filter), "GET events by UID")) {
      const std::string type = json::text(item, "type");
      const std::string id = type == "occurrence" || type == "exception" ? json::text(item, "seriesMasterId")
                                                                          : json::text(item, "id");
      auto full = getEvent(id);
      if (!full) continue;
      std::vector<ReadWarning> warnings;
      if (json::text(*full, "type") == "seriesMaster") {
        const std::int64_t now = oauth::systemClock();
        auto object = readSeries(*full, Window{now - 400 * 86400, now + 400 * 86400}, warnings);
        if (object && object->uid == uid) return object;
      } else {
        CalendarObject object = objectFromSingle(*full, warnings);
        if (object.uid == uid) return object;
      }
    }
  }
  return std::nullopt;
}

void GraphConnector::apply(const CalendarChange& change) {
  json::Object body;
  if (change.name) body.set("name", *change.name);
  // Graph stores one of Outlook's preset colours; hexColor is read-only.
  if (change.color) body.set("color", nearestPreset(*change.color));
  if (change.description) log::debug(kLog, "Graph calendars have no description; left unchanged");
  if (body.size() == 0) return;
  const std::string context = "PATCH calendar " + change.calendar;
  auto response = api_->send("PATCH", config_.userPath() + "/calendars/" + oauth::urlEncode(change.calendar),
                             json::stringify(body));
  if (response.status != 200) throw api_->errorFor(response, context);
}

}  // namespace calsync::graph
