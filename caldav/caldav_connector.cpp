// Discovery, lookups and writes of the CalDAV connector; pulls live in caldav_pull.cpp.
#include "caldav/caldav_connector.h"

#include <algorithm>
#include <cctype>

#include "caldav/dav_bodies.h"
#include "caldav/dav_xml.h"
#include "caldav/href.h"
#include "caldav/resource_reader.h"
#include "core/log.h"
#include "ical/ical_codec.h"
#include "net/url.h"

namespace calsync::caldav {
namespace {

constexpr std::string_view kLog = "caldav";
const net::Headers kXmlContent = {{"Content-Type", "application/xml; charset=utf-8"}};

bool isCalendar(const DavResponse& response) { return response.hasResourceType(clark(kCalDavNs, "calendar")); }

bool holdsEvents(const DavResponse& response) {
  if (!response.supported_components) return true;  // not advertised: any component
  const auto& components = *response.supported_components;
  return std::find(components.begin(), components.end(), "VEVENT") != components.end();
}

bool writable(const DavResponse& response) {
  if (!response.privileges) return true;  // not advertised: let a write find out
  for (const auto& privilege : *response.privileges) {
    if (privilege == clark(kDavNs, "write") || privilege == clark(kDavNs, "write-content") ||
        privilege == clark(kDavNs, "all") || privilege == clark(kDavNs, "bind")) {
      return true;
    }
  }
  return false;
}

// The last path segment, decoded enough to be readable, for calendars without a displayname.
std::string lastSegment(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  return trimmed.substr(trimmed.rfind('/') + 1);
}

std::string quotedEtag(const std::string& etag) {
  if (etag.empty() || etag.front() == '"' || etag.rfind("W/", 0) == 0) return etag;
  return "\"" + etag + "\"";
}

bool successful(int status) { return status >= 200 && status < 300; }

bool parseBool(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return !(value == "false" || value == "no" || value == "off" || value == "0");
}

std::string setting(const Settings& settings, const std::string& key) {
  auto found = settings.find(key);
  return found == settings.end() ? std::string() : found->second;
}

}  // namespace

CaldavConfig CaldavConfig::fromSettings(const Settings& settings) {
  CaldavConfig config;
  config.url = setting(settings, "url");
  config.username = setting(settings, "username");
  config.password = setting(settings, "password");
  config.ca_file = setting(settings, "ca_file");
  if (auto value = setting(settings, "verify_tls"); !value.empty()) config.verify_tls = parseBool(value);
  if (auto value = setting(settings, "timeout"); !value.empty()) {
    try {
      config.timeout_seconds = std::stoi(value);
    } catch (const std::exception&) {
      throw ConnectorError(ErrorKind::Config, "caldav: timeout is not a number of seconds: " + value);
    }
  }
  return config;
}

CaldavConnector::CaldavConnector(CaldavConfig config) : config_(std::move(config)) {
  auto parts = net::parseUrl(config_.url);
  if (!parts || parts->has_userinfo) {
    throw ConnectorError(ErrorKind::Config, "caldav: url must be an http(s) URL without credentials: " +
                                                net::redactUrl(config_.url));
  }
  if (config_.timeout_seconds <= 0) throw ConnectorError(ErrorKind::Config, "caldav: timeout must be positive");
  if (config_.multiget_batch == 0) config_.multiget_batch = 1;
  origin_ = net::originOf(*parts);
  base_path_ = canonicalPath(parts->path);
  net::HttpOptions options;
  options.username = config_.username;
  options.password = config_.password;
  options.ca_file = config_.ca_file;
  options.verify_tls = config_.verify_tls;
  options.timeout_seconds = config_.timeout_seconds;
  options.connect_timeout_seconds = std::min(config_.timeout_seconds, 30);
  http_ = std::make_unique<net::HttpClient>(options);
}

CaldavConnector::~CaldavConnector() = default;

Capabilities CaldavConnector::capabilities() const {
  Capabilities capabilities;
  capabilities.read = true;
  capabilities.write_events = true;
  capabilities.write_metadata = true;
  capabilities.incremental = true;
  return capabilities;
}

std::string CaldavConnector::urlFor(const std::string& path) const { return origin_ + path; }

net::HttpResponse CaldavConnector::send(const std::string& method, const std::string& url, net::Headers headers,
                                        std::string body) {
  net::HttpRequest request;
  request.method = method;
  request.url = url;
  request.headers = std::move(headers);
  request.body = std::move(body);
  log::debug(kLog, method + " " + net::redactUrl(url));
  return http_->send(request);
}

std::vector<DavResponse> CaldavConnector::propfind(const std::string& url, int depth, const std::string& body) {
  auto headers = kXmlContent;
  headers.emplace_back("Depth", std::to_string(depth));
  auto response = send("PROPFIND", url, headers, body);
  if (response.status != 207) throw net::errorForStatus(response, "PROPFIND " + net::redactUrl(url));
  try {
    return parseMultiStatus(response.body).responses;
  } catch (const ConnectorError& error) {
    throw ConnectorError(ErrorKind::Protocol, "PROPFIND " + net::redactUrl(url) + ": " + error.what());
  }
}

std::vector<Calendar> CaldavConnector::listCalendars() {
  const std::string url = config_.url;
  auto self = propfind(url, 0, propfindCalendarsBody());
  if (self.empty()) throw ConnectorError(ErrorKind::Protocol, "PROPFIND " + net::redactUrl(url) + ": empty multistatus");
  const DavResponse& top = self.front();

  auto toCalendar = [&](const DavResponse& response, const std::string& base) {
    Calendar calendar;
    calendar.id = withTrailingSlash(hrefPath(base, response.href));
    calendar.name = response.display_name.value_or("");
    if (calendar.name.empty()) calendar.name = lastSegment(calendar.id);
    calendar.color = response.calendar_color.value_or("");
    calendar.description = response.calendar_description.value_or("");
    calendar.writable = writable(response);
    return calendar;
  };
  if (isCalendar(top)) return {toCalendar(top, url)};

  // A principal names its calendar home; a server root may name the principal first.
  std::string home = url;
  if (!top.calendar_home_set.empty()) {
    home = net::resolveUrl(url, top.calendar_home_set.front());
  } else if (top.current_user_principal &&
             !samePath(hrefPath(url, *top.current_user_principal), hrefPath(url, top.href))) {
    std::string principal = net::resolveUrl(url, *top.current_user_principal);
    auto principal_props = propfind(principal, 0, propfindCalendarsBody());
    if (!principal_props.empty() && !principal_props.front().calendar_home_set.empty()) {
      home = net::resolveUrl(principal, principal_props.front().calendar_home_set.front());
    }
  }
  const std::string home_path = hrefPath(home, home);
  std::vector<Calendar> calendars;
  for (const auto& member : propfind(home, 1, propfindCalendarsBody())) {
    if (samePath(hrefPath(home, member.href), home_path)) continue;
    if (member.status != 0 && !successful(member.status)) continue;
    if (isCalendar(member) && holdsEvents(member)) calendars.push_back(toCalendar(member, home));
  }
  log::debug(kLog, "found " + std::to_string(calendars.size()) + " calendars under " + net::redactUrl(home));
  return calendars;
}

std::optional<CalendarObject> CaldavConnector::findByUid(const CalendarId& calendar, const std::string& uid) {
  const std::string calendar_path = withTrailingSlash(canonicalPath(calendar));
  const std::string path = calendar_path + uidResourceName(uid) + ".ics";
  auto response = send("GET", urlFor(path), {{"Accept", "text/calendar"}});
  if (response.status == 200) {
    auto read = readResource(canonicalPath(path), response.header("ETag"), response.body);
    if (read.object && read.object->uid == uid) return read.object;
    if (!read.problem.empty()) {
      throw ConnectorError(ErrorKind::BadData, "GET " + net::redactUrl(urlFor(path)) + ": " + read.problem);
    }
  } else if (response.status != 404) {
    throw net::errorForStatus(response, "GET " + net::redactUrl(urlFor(path)));
  }

  // Not at its deterministic name: someone else wrote it. Ask the server to search.
  auto headers = kXmlContent;
  headers.emplace_back("Depth", "1");
  const std::string url = urlFor(calendar_path);
  auto query = send("REPORT", url, headers, uidQueryBody(uid));
  if (query.status != 207) throw net::errorForStatus(query, "REPORT calendar-query " + net::redactUrl(url));
  for (const auto& member : parseMultiStatus(query.body).responses) {
    if (!member.calendar_data) continue;
    auto read = readResource(hrefPath(url, member.href), member.etag.value_or(""), *member.calendar_data);
    if (read.object && read.object->uid == uid) return read.object;
  }
  return std::nullopt;
}

WriteResult CaldavConnector::apply(const EventChange& change) {
  const std::string calendar_path = withTrailingSlash(canonicalPath(change.calendar));
  net::Headers headers;
  std::string path;
  std::string method = "PUT";
  std::string body;
  switch (change.kind) {
    case EventChange::Kind::Create:
      if (change.object.uid.empty()) throw ConnectorError(ErrorKind::BadData, "caldav: cannot create an event without a UID");
      path = canonicalPath(calendar_path + uidResourceName(change.object.uid) + ".ics");
      headers.emplace_back("If-None-Match", "*");
      break;
    case EventChange::Kind::Update:
    case EventChange::Kind::Delete:
      if (change.object.native_id.empty()) {
        throw ConnectorError(ErrorKind::BadData, "caldav: update or delete without the resource's href");
      }
      path = canonicalPath(change.object.native_id);
      if (!change.if_match.empty()) headers.emplace_back("If-Match", quotedEtag(change.if_match));
      if (change.kind == EventChange::Kind::Delete) method = "DELETE";
      break;
  }
  if (method == "PUT") {
    headers.emplace_back("Content-Type", "text/calendar; charset=utf-8");
    body = ical::serialize(change.object, {.suppress_scheduling = true});
  }
  const std::string url = urlFor(path);
  auto response = send(method, url, headers, std::move(body));
  const std::string context = method + " " + net::redactUrl(url);
  if (!successful(response.status)) {
    if (response.status == 412) {
      throw ConnectorError(ErrorKind::Conflict, context + (change.kind == EventChange::Kind::Create
                                                                ? ": the resource already exists"
                                                                : ": the resource changed since it was read"));
    }
    throwWriteError(response, context);
  }
  return WriteResult{path, method == "PUT" ? response.header("ETag") : std::string()};
}

void CaldavConnector::apply(const CalendarChange& change) {
  if (!change.name && !change.color && !change.description) return;
  const std::string url = urlFor(withTrailingSlash(canonicalPath(change.calendar)));
  auto response = send("PROPPATCH", url, kXmlContent, proppatchBody(change.name, change.color, change.description));
  const std::string context = "PROPPATCH " + net::redactUrl(url);
  if (response.status != 207) {
    if (successful(response.status)) return;
    throw net::errorForStatus(response, context);
  }
  for (const auto& member : parseMultiStatus(response.body).responses) {
    for (const auto& [property, status] : member.failed_props) {
      // 424 marks properties that failed only because another one in the same request did.
      if (status == 424) continue;
      auto kind = status == 403 || status == 401 ? ErrorKind::Permission : ErrorKind::Protocol;
      throw ConnectorError(kind, context + ": " + property + " refused with " + std::to_string(status));
    }
  }
}

void CaldavConnector::throwWriteError(const net::HttpResponse& response, const std::string& context) const {
  if (response.status == 403 || response.status == 409) {
    for (const auto& element : parseErrorBody(response.body)) {
      if (element.rfind(clark(kCalDavNs, ""), 0) != 0) continue;
      std::string name = element.substr(clark(kCalDavNs, "").size());
      // Another resource already holds this UID: for a create, that is "already exists".
      auto kind = name == "no-uid-conflict" ? ErrorKind::Conflict : ErrorKind::BadData;
      throw ConnectorError(kind, context + ": server precondition " + name + " failed (HTTP " +
                                     std::to_string(response.status) + ")");
    }
  }
  throw net::errorForStatus(response, context);
}

}  // namespace calsync::caldav
