#include "tests/servers/graph/graph_test_server.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "core/date_time.h"
#include "ical/ical_codec.h"
#include "ical/zone_lookup.h"
#include "oauth/encoding.h"
#include "oauth/json_access.h"
#include "oauth/rfc3339.h"

namespace calsync::testing {
namespace {

using json::Array;
using json::Object;

constexpr const char* kApi = "/v1.0";

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

FakeResponse jsonResponse(int status, const Object::Ptr& body) {
  FakeResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json; odata.metadata=minimal; charset=utf-8"}};
  response.body = json::stringify(body);
  return response;
}

FakeResponse graphError(int status, const std::string& code, const std::string& message) {
  Object::Ptr error = new Object;
  error->set("code", code);
  error->set("message", message);
  Object::Ptr root = new Object;
  root->set("error", error);
  return jsonResponse(status, root);
}

FakeResponse noContent() {
  FakeResponse response;
  response.status = 204;
  return response;
}

std::string graphTime(std::int64_t instant) {
  DateTime v = epochToUtc(instant);
  return web::formatWall(v) + ".0000000";
}

std::string randomId(const std::string& prefix) {
  std::string id = prefix;
  for (unsigned char c : oauth::randomBytes(12)) id += "0123456789ABCDEFGHIJKLMNOPQRSTUV"[c % 32];
  return id;
}

// dateTimeTimeZone -> instant (all-day: midnight UTC of its date).
std::optional<std::int64_t> instantOf(const Object::Ptr& dtz, bool all_day) {
  auto parsed = web::parseRfc3339(json::text(dtz, "dateTime"));
  if (!parsed) return std::nullopt;
  if (all_day) return civilToEpoch(parsed->wall.year, parsed->wall.month, parsed->wall.day, 0, 0, 0);
  if (parsed->has_offset) return parsed->instant();
  DateTime wall = parsed->wall;
  const std::string zone = json::text(dtz, "timeZone", "UTC");
  wall.tzid = zone == "UTC" ? "UTC" : ical::ianaZoneFor(zone).value_or("");
  if (wall.tzid.empty()) return std::nullopt;
  return ical::instantOf(wall);
}

Object::Ptr utcTime(std::int64_t instant) {
  Object::Ptr dtz = new Object;
  dtz->set("dateTime", graphTime(instant));
  dtz->set("timeZone", "UTC");
  return dtz;
}

// The server's own reading of a patternedRecurrence, as an RRULE for libical to expand.
std::string rruleOf(const Object::Ptr& recurrence) {
  static const std::map<std::string, std::string> days = {{"sunday", "SU"},   {"monday", "MO"}, {"tuesday", "TU"},
                                                          {"wednesday", "WE"}, {"thursday", "TH"}, {"friday", "FR"},
                                                          {"saturday", "SA"}};
  static const std::map<std::string, std::string> index = {
      {"first", "1"}, {"second", "2"}, {"third", "3"}, {"fourth", "4"}, {"last", "-1"}};
  auto pattern = json::object(recurrence, "pattern");
  auto range = json::object(recurrence, "range");
  std::string byday;
  for (const auto& d : json::strings(pattern, "daysOfWeek")) byday += (byday.empty() ? "" : ",") + days.at(d);
  const std::string type = json::text(pattern, "type");
  std::string rule;
  if (type == "daily") rule = "FREQ=DAILY";
  if (type == "weekly") rule = "FREQ=WEEKLY;BYDAY=" + byday;
  if (type == "absoluteMonthly") rule = "FREQ=MONTHLY;BYMONTHDAY=" + json::text(pattern, "dayOfMonth");
  if (type == "relativeMonthly") rule = "FREQ=MONTHLY;BYDAY=" + byday + ";BYSETPOS=" + index.at(json::text(pattern, "index", "first"));
  if (type == "absoluteYearly") {
    rule = "FREQ=YEARLY;BYMONTH=" + json::text(pattern, "month") + ";BYMONTHDAY=" + json::text(pattern, "dayOfMonth");
  }
  if (type == "relativeYearly") {
    rule = "FREQ=YEARLY;BYMONTH=" + json::text(pattern, "month") + ";BYDAY=" + byday + ";BYSETPOS=" +
           index.at(json::text(pattern, "index", "first"));
  }
  if (rule.empty()) throw std::invalid_argument("pattern type " + type);
  rule += ";INTERVAL=" + std::to_string(std::max<std::int64_t>(1, json::integer(pattern, "interval", 1)));
  const std::string range_type = json::text(range, "type");
  if (range_type == "numbered") rule += ";COUNT=" + json::text(range, "numberOfOccurrences");
  if (range_type == "endDate") {
    auto end = web::parseDate(json::text(range, "endDate"));
    if (!end) throw std::invalid_argument("endDate");
    rule += ";UNTIL=" + end->toIcalValue() + "T235959Z";
  }
  return rule;
}

}  // namespace

struct GraphTestServer::State {
  struct Series {
    std::map<std::int64_t, Object::Ptr> exceptions;   // by original start
    std::map<std::int64_t, std::int64_t> cancelled;   // original start -> seq of the cancellation
    std::map<std::int64_t, std::int64_t> changed;     // original start -> seq of the exception's change
  };
  struct Ev {
    Object::Ptr resource;     // as stored (start/end as given)
    std::string calendar;
    std::int64_t seq = 0;
    bool deleted = false;
    Series series;
  };
  struct Cal {
    std::string name, color = "auto", owner;
    bool can_edit = true, is_default = false;
  };
  struct Mailbox {
    std::vector<std::string> calendar_order;
    std::map<std::string, Cal> calendars;
    std::map<std::string, Ev> events;   // masters and singles, by id
  };
  struct DeltaToken {
    std::string upn, calendar;
    std::int64_t from = 0, to = 0, seq = 0, generation = 0;
  };
  struct Session {
    std::vector<Object::Ptr> items;
    std::string delta_link;
    std::int64_t generation = 0;
  };

  mutable std::mutex mutex;
  OAuthTestProvider oauth;
  std::string base_url;
  std::map<std::string, Mailbox> mailboxes;
  std::int64_t seq = 0;
  std::int64_t generation = 0;
  std::int64_t min_generation = 0;
  int expired_status = 410;
  std::map<std::string, DeltaToken> delta_tokens;
  std::map<std::string, Session> sessions;
  std::map<std::string, std::string> transactions;  // transactionId -> event id
  int throttle_count = 0, throttle_status = 429, retry_after = 1;
  int max_page = 1000;
  int notifying = 0;
  int without_immutable = 0;

  void touch(Ev& ev) {
    ev.seq = ++seq;
    const std::string change_key = oauth::base64UrlEncode(std::to_string(ev.seq) + "-" + oauth::randomBytes(3));
    ev.resource->set("changeKey", change_key);
    ev.resource->set("@odata.etag", "W/\"" + change_key + "\"");
    ev.resource->set("lastModifiedDateTime", web::formatUtc(nowSeconds()));
  }

  bool allDay(const Object::Ptr& r) const { return json::boolean(r, "isAllDay"); }
  std::int64_t startOf(const Object::Ptr& r) const { return instantOf(json::object(r, "start"), allDay(r)).value_or(0); }
  std::int64_t endOf(const Object::Ptr& r) const { return instantOf(json::object(r, "end"), allDay(r)).value_or(0); }

  // What GET returns: times in UTC, extended properties only when asked for.
  Object::Ptr present(const Object::Ptr& stored, bool with_properties) const {
    Object::Ptr out = json::clone(stored);
    const bool all_day = allDay(stored);
    const std::int64_t start = startOf(stored);
    const std::int64_t end = endOf(stored);
    out->set("start", utcTime(start));
    out->set("end", utcTime(end));
    if (all_day) {
      json::object(out, "start")->set("dateTime", web::formatDate(epochToUtc(start)) + "T00:00:00.0000000");
      json::object(out, "end")->set("dateTime", web::formatDate(epochToUtc(end)) + "T00:00:00.0000000");
    }
    if (!with_properties) out->remove("singleValueExtendedProperties");
    return out;
  }

  std::vector<std::int64_t> originals(const Ev& master, std::int64_t from, std::int64_t to) const {
    const Object::Ptr& r = master.resource;
    const bool all_day = allDay(r);
    std::string zone = json::text(json::object(r, "start"), "timeZone", "UTC");
    std::string iana = zone == "UTC" ? "" : ical::ianaZoneFor(zone).value_or("");
    std::string dtstart;
    const std::int64_t start = startOf(r);
    if (all_day) {
      DateTime d = epochToUtc(start);
      d.is_date = true;
      dtstart = "DTSTART;VALUE=DATE:" + d.toIcalValue();
    } else if (!iana.empty()) {
      DateTime local = *ical::wallTimeAt(start, iana);
      local.tzid.clear();
      dtstart = "DTSTART;TZID=" + iana + ":" + local.toIcalValue();
    } else {
      DateTime utc = epochToUtc(start);
      utc.tzid = "UTC";
      dtstart = "DTSTART:" + utc.toIcalValue();
    }
    const std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//graph//EN\r\nBEGIN:VEVENT\r\nUID:s\r\n"
                             "DTSTAMP:20260101T000000Z\r\n" + dtstart + "\r\nRRULE:" +
                             rruleOf(json::object(r, "recurrence")) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    auto parsed = ical::parse(text);
    std::vector<std::int64_t> out;
    if (parsed.objects.size() != 1) return out;
    for (const auto& o : ical::expand(parsed.objects.front(), Window{from, to}, 5000)) {
      out.push_back(o.recurrence_id && o.recurrence_id->utc ? *o.recurrence_id->utc : o.start_utc);
    }
    return out;
  }

  std::string occurrenceId(const std::string& master_id, std::int64_t original) const {
    DateTime utc = epochToUtc(original);
    utc.tzid = "UTC";
    return master_id + "-OCC-" + utc.toIcalValue();
  }

  // An occurrence or exception as Graph shows it.
  Object::Ptr instance(const Ev& master, std::int64_t original) const {
    const std::string master_id = json::text(master.resource, "id");
    auto exception = master.series.exceptions.find(original);
    Object::Ptr out;
    if (exception != master.series.exceptions.end()) {
      out = present(exception->second, false);
      out->set("type", "exception");
    } else {
      out = present(master.resource, false);
      const std::int64_t length = endOf(master.resource) - startOf(master.resource);
      out->set("start", utcTime(original));
      out->set("end", utcTime(original + length));
      if (allDay(master.resource)) {
        json::object(out, "start")->set("dateTime", web::formatDate(epochToUtc(original)) + "T00:00:00.0000000");
        json::object(out, "end")->set("dateTime", web::formatDate(epochToUtc(original + length)) + "T00:00:00.0000000");
      }
      out->set("type", "occurrence");
    }
    out->remove("recurrence");
    out->set("id", occurrenceId(master_id, original));
    out->set("seriesMasterId", master_id);
    out->set("originalStart", web::formatUtc(original));
    // iCalUId differs per occurrence in Graph.
    out->set("iCalUId", json::text(master.resource, "iCalUId") + "-" + std::to_string(original));
    return out;
  }

  struct Found {
    Ev* master = nullptr;          // series master (for occurrences) or the event itself
    std::optional<std::int64_t> original;
  };
  std::optional<Found> find(Mailbox& box, const std::string& id) {
    auto it = box.events.find(id);
    if (it != box.events.end()) {
      if (it->second.deleted) return std::nullopt;
      return Found{&it->second, std::nullopt};
    }
    const std::size_t at = id.rfind("-OCC-");
    if (at == std::string::npos) return std::nullopt;
    auto master = box.events.find(id.substr(0, at));
    auto basic = DateTime::fromIcalValue(id.substr(at + 5));
    if (master == box.events.end() || master->second.deleted || !basic) return std::nullopt;
    const std::int64_t original = civilToEpoch(basic->year, basic->month, basic->day, basic->hour, basic->minute, basic->second);
    if (master->second.series.cancelled.count(original)) return std::nullopt;
    for (std::int64_t o : originals(master->second, original - 1, original + 1)) {
      if (o == original) return Found{&master->second, original};
    }
    return std::nullopt;
  }

  bool isMeeting(const Object::Ptr& r) const {
    return !json::objects(r, "attendees").empty() && json::boolean(r, "isOrganizer", true);
  }

  // Items a delta round (or a follow-up since `since`) reports for one calendar and window.
  std::vector<Object::Ptr> deltaItems(const Mailbox& box, const std::string& calendar, std::int64_t from, std::int64_t to,
                                      std::optional<std::int64_t> since) const {
    std::vector<Object::Ptr> items;
    auto removed = [&](const std::string& id) {
      Object::Ptr item = new Object;
      item->set("@odata.type", "#microsoft.graph.event");
      item->set("id", id);
      Object::Ptr reason = new Object;
      reason->set("reason", "deleted");
      item->set("@removed", reason);
      items.push_back(item);
    };
    for (const auto& [id, ev] : box.events) {
      if (ev.calendar != calendar) continue;
      const bool recurring = json::object(ev.resource, "recurrence") != nullptr;
      if (!recurring) {
        const bool inside = startOf(ev.resource) < to && endOf(ev.resource) > from;
        if (!since) {
          if (!ev.deleted && inside) items.push_back(present(ev.resource, false));
        } else if (ev.seq > *since) {
          // Changed: shown if it is in the window now, else reported as removed.
          if (!ev.deleted && inside) {
            items.push_back(present(ev.resource, false));
          } else {
            removed(id);
          }
        }
        continue;
      }
      const std::int64_t length = endOf(ev.resource) - startOf(ev.resource);
      for (std::int64_t original : originals(ev, from - 400 * 86400, to + 400 * 86400)) {
        auto exception = ev.series.exceptions.find(original);
        const std::int64_t s = exception != ev.series.exceptions.end() ? startOf(exception->second) : original;
        const std::int64_t e = exception != ev.series.exceptions.end() ? endOf(exception->second) : original + length;
        const bool inside = s < to && e > from;
        auto cancelled = ev.series.cancelled.find(original);
        const std::string occurrence = occurrenceId(id, original);
        if (!since) {
          if (!ev.deleted && inside && cancelled == ev.series.cancelled.end()) items.push_back(instance(ev, original));
          continue;
        }
        const auto changed_at = ev.series.changed.find(original);
        const bool changed = ev.seq > *since || (changed_at != ev.series.changed.end() && changed_at->second > *since) ||
                             (cancelled != ev.series.cancelled.end() && cancelled->second > *since);
        if (!changed) continue;
        if (ev.deleted || cancelled != ev.series.cancelled.end()) {
          const bool was_inside = original < to && original + length > from;
          if (was_inside || inside) removed(occurrence);
        } else if (inside) {
          items.push_back(instance(ev, original));
        } else if (changed_at != ev.series.changed.end() && changed_at->second > *since) {
          removed(occurrence);  // an exception moved out of the window
        }
      }
    }
    return items;
  }
};

GraphTestServer::GraphTestServer(std::string tenant) : state_(std::make_unique<State>()), tenant_(std::move(tenant)) {
  http_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); },
                                           FakeHttpServer::Transport::Https);
  state_->base_url = http_->baseUrl();
  state_->oauth.setTokenUrl(tokenUrl());
  state_->oauth.setRotateRefreshTokens(true);  // Entra rotates refresh tokens
}

GraphTestServer::~GraphTestServer() { http_.reset(); }

std::string GraphTestServer::apiUrl() const { return http_->baseUrl() + kApi; }
std::string GraphTestServer::loginUrl() const { return http_->baseUrl(); }
std::string GraphTestServer::tokenUrl() const { return http_->baseUrl() + "/" + tenant_ + "/oauth2/v2.0/token"; }
OAuthTestProvider& GraphTestServer::oauth() { return state_->oauth; }

namespace {

struct Route {
  std::string path;
  std::map<std::string, std::string> query;
  std::vector<std::string> segments;
  std::string get(const std::string& key) const {
    auto it = query.find(key);
    return it == query.end() ? std::string() : it->second;
  }
};

Route routeOf(const std::string& target) {
  Route r;
  const std::size_t question = target.find('?');
  r.path = target.substr(0, question);
  if (question != std::string::npos) {
    for (auto& [k, v] : oauth::formDecode(target.substr(question + 1))) r.query[k] = v;
  }
  std::size_t start = 0;
  while (start < r.path.size()) {
    std::size_t slash = r.path.find('/', start);
    if (slash == std::string::npos) slash = r.path.size();
    if (slash > start) r.segments.push_back(oauth::urlDecode(r.path.substr(start, slash - start)));
    start = slash + 1;
  }
  return r;
}

int pageSizeOf(const FakeRequest& request, int cap) {
  int size = 1000;
  for (const auto& [name, value] : request.headers) {
    if (name == "Prefer" || name == "prefer") {
      const std::size_t at = value.find("odata.maxpagesize=");
      if (at != std::string::npos) size = std::stoi(value.substr(at + 18));
    }
  }
  return std::max(1, std::min(size, cap));
}

bool asksImmutableIds(const FakeRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if ((name == "Prefer" || name == "prefer") && value.find("IdType=\"ImmutableId\"") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

FakeResponse GraphTestServer::handle(const FakeRequest& request) {
  const Route route = routeOf(request.target);
  if (route.path.find("/oauth2/v2.0/devicecode") != std::string::npos) return state_->oauth.deviceEndpoint(request);
  if (route.path.find("/oauth2/v2.0/token") != std::string::npos) return state_->oauth.tokenEndpoint(request);
  if (route.path.rfind(kApi, 0) != 0) return graphError(404, "ResourceNotFound", "Unknown path");
  auto subject = state_->oauth.subjectOf(request.header("Authorization"));
  if (!subject) return graphError(401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
  return serve(request, *subject, /*from_user=*/false);
}

FakeResponse GraphTestServer::handleAs(const std::string& upn, const FakeRequest& request) {
  return serve(request, upn, /*from_user=*/true);
}

FakeResponse GraphTestServer::serve(const FakeRequest& request, const std::string& subject_name, bool from_user) {
  const Route route = routeOf(request.target);
  const std::optional<std::string> subject = subject_name;
  std::lock_guard lock(state_->mutex);
  State& s = *state_;
  if (!from_user && !asksImmutableIds(request)) ++s.without_immutable;
  if (!from_user && s.throttle_count > 0) {
    --s.throttle_count;
    FakeResponse throttled = graphError(s.throttle_status, s.throttle_status == 429 ? "TooManyRequests" : "ServiceNotAvailable",
                                        "Application is over its MailboxConcurrency limit.");
    throttled.headers.emplace_back("Retry-After", std::to_string(s.retry_after));
    return throttled;
  }
  const auto& seg = route.segments;  // v1.0, me|users, [upn], ...
  std::size_t at = 1;
  std::string upn;
  if (seg.size() > 1 && seg[1] == "me") {
    if (subject->rfind("app:", 0) == 0) return graphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
    upn = *subject;
    at = 2;
  } else if (seg.size() > 2 && seg[1] == "users") {
    upn = seg[2];
    if (subject->rfind("app:", 0) != 0 && *subject != upn) return graphError(403, "ErrorAccessDenied", "Access is denied.");
    at = 3;
  } else {
    return graphError(404, "ResourceNotFound", "Unknown path");
  }
  auto box_it = s.mailboxes.find(upn);
  if (box_it == s.mailboxes.end()) return graphError(404, "ErrorInvalidUser", "The requested user '" + upn + "' is invalid.");
  State::Mailbox& box = box_it->second;
  const std::vector<std::string> rest(seg.begin() + static_cast<std::ptrdiff_t>(at), seg.end());
  const std::string& method = request.method;
  Object::Ptr body;
  if (method == "POST" || method == "PATCH") {
    try {
      body = json::parseObject(request.body, "request");
    } catch (const std::exception&) {
      return graphError(400, "RequestBodyRead", "Invalid JSON");
    }
  }
  const int page = pageSizeOf(request, s.max_page);
  auto pageOf = [&](std::vector<Object::Ptr> items, const std::string& self_path) {
    // Plain collections page with $skip; delta rounds use sessions below.
    std::size_t skip = route.query.count("$skip") ? std::stoul(route.get("$skip")) : 0;
    Array::Ptr value = new Array;
    for (std::size_t i = skip; i < items.size() && i < skip + static_cast<std::size_t>(page); ++i) value->add(items[i]);
    Object::Ptr answer = new Object;
    answer->set("value", value);
    if (skip + static_cast<std::size_t>(page) < items.size()) {
      std::string query;
      for (const auto& [k, v] : route.query) {
        if (k != "$skip") query += oauth::urlEncode(k) + "=" + oauth::urlEncode(v) + "&";
      }
      answer->set("@odata.nextLink", s.base_url + self_path + "?" + query + "$skip=" + std::to_string(skip + page));
    }
    return jsonResponse(200, answer);
  };

  // calendars
  if (rest.size() == 1 && rest[0] == "calendars" && method == "GET") {
    std::vector<Object::Ptr> items;
    for (const auto& id : box.calendar_order) {
      const auto& cal = box.calendars.at(id);
      Object::Ptr c = new Object;
      c->set("id", id);
      c->set("name", cal.name);
      c->set("color", cal.color);
      c->set("hexColor", "");
      c->set("canEdit", cal.can_edit);
      c->set("isDefaultCalendar", cal.is_default);
      Object::Ptr owner = new Object;
      owner->set("name", upn);
      owner->set("address", upn);
      c->set("owner", owner);
      items.push_back(c);
    }
    return pageOf(items, route.path);
  }
  if (rest.size() >= 2 && rest[0] == "calendars") {
    auto cal = box.calendars.find(rest[1]);
    if (cal == box.calendars.end()) return graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    const std::string& calendar = rest[1];
    if (rest.size() == 2 && method == "PATCH") {
      if (body->has("hexColor")) return graphError(400, "ErrorInvalidProperty", "hexColor is read-only.");
      if (!cal->second.can_edit) return graphError(403, "ErrorAccessDenied", "Access is denied.");
      if (body->has("name")) cal->second.name = json::text(body, "name");
      if (body->has("color")) cal->second.color = json::text(body, "color");
      Object::Ptr c = new Object;
      c->set("id", calendar);
      c->set("name", cal->second.name);
      c->set("color", cal->second.color);
      return jsonResponse(200, c);
    }
    if (rest.size() == 3 && rest[2] == "events" && method == "POST") {
      if (!cal->second.can_edit) return graphError(403, "ErrorAccessDenied", "Access is denied.");
      const std::string transaction = json::text(body, "transactionId");
      if (!transaction.empty() && s.transactions.count(transaction)) {
        auto& existing = box.events.at(s.transactions.at(transaction));
        return jsonResponse(201, s.present(existing.resource, false));
      }
      if (!json::object(body, "start") || !json::object(body, "end") ||
          !instantOf(json::object(body, "start"), json::boolean(body, "isAllDay")) ||
          !instantOf(json::object(body, "end"), json::boolean(body, "isAllDay"))) {
        return graphError(400, "ErrorInvalidRequest", "start and end are required dateTimeTimeZone values.");
      }
      State::Ev ev;
      ev.resource = json::clone(body);
      ev.calendar = calendar;
      const std::string id = randomId("AAMkAG");
      ev.resource->set("id", id);
      ev.resource->set("iCalUId", "040000008200E00074C5B7101A82E008" + oauth::base64UrlEncode(oauth::randomBytes(12)));
      ev.resource->set("createdDateTime", web::formatUtc(nowSeconds()));
      ev.resource->set("originalStartTimeZone", json::text(json::object(body, "start"), "timeZone", "UTC"));
      ev.resource->set("originalEndTimeZone", json::text(json::object(body, "end"), "timeZone", "UTC"));
      ev.resource->set("isOrganizer", true);
      ev.resource->set("isCancelled", false);
      if (json::object(body, "recurrence")) {
        try {
          rruleOf(json::object(body, "recurrence"));
        } catch (const std::exception& e) {
          return graphError(400, "ErrorInvalidRequest", std::string("recurrence: ") + e.what());
        }
        ev.resource->set("type", "seriesMaster");
      } else {
        ev.resource->remove("recurrence");
        ev.resource->set("type", "singleInstance");
      }
      if (!from_user && !json::objects(body, "attendees").empty()) ++s.notifying;  // invitations go out
      s.touch(ev);
      box.events[id] = ev;
      if (!transaction.empty()) s.transactions[transaction] = id;
      return jsonResponse(201, s.present(ev.resource, false));
    }
    if (rest.size() == 3 && rest[2] == "events" && method == "GET") {
      const std::string filter = route.get("$filter");
      std::vector<Object::Ptr> items;
      for (const auto& [id, ev] : box.events) {
        if (ev.deleted || ev.calendar != calendar) continue;
        bool match = filter.empty();
        if (filter.rfind("iCalUId eq '", 0) == 0) {
          match = json::text(ev.resource, "iCalUId") == filter.substr(12, filter.size() - 13);
        } else if (filter.rfind("singleValueExtendedProperties/Any(ep: ep/id eq '", 0) == 0) {
          const std::size_t id_end = filter.find("' and ep/value eq '");
          const std::string property = filter.substr(48, id_end - 48);
          const std::string value = filter.substr(id_end + 19, filter.size() - id_end - 19 - 2);
          match = false;
          for (const auto& p : json::objects(ev.resource, "singleValueExtendedProperties")) {
            if (oauth::urlEncode(json::text(p, "id")) == oauth::urlEncode(property) && json::text(p, "value") == value) match = true;
          }
        } else if (!filter.empty()) {
          return graphError(400, "ErrorInvalidUrlQueryFilter", "The filter is not supported by this test server.");
        }
        if (match) items.push_back(s.present(ev.resource, route.get("$expand").find("singleValueExtendedProperties") != std::string::npos));
      }
      return pageOf(items, route.path);
    }
    if (rest.size() == 4 && rest[2] == "calendarView" && rest[3] == "delta" && method == "GET") {
      // Follow-ups name their state in $skiptoken / $deltatoken; the first call names the window.
      std::string session_id;
      std::size_t offset = 0;
      if (route.query.count("$skiptoken")) {
        const std::string token = route.get("$skiptoken");
        const std::size_t colon = token.rfind(':');
        auto found = s.sessions.find(token.substr(0, colon));
        if (colon == std::string::npos || found == s.sessions.end() || found->second.generation < s.min_generation) {
          FakeResponse gone = graphError(s.expired_status, "syncStateNotFound", "The sync state generation is not found.");
          return gone;
        }
        session_id = found->first;
        offset = std::stoul(token.substr(colon + 1));
      } else {
        std::int64_t from = 0, to = 0;
        std::optional<std::int64_t> since;
        if (route.query.count("$deltatoken")) {
          auto token = s.delta_tokens.find(route.get("$deltatoken"));
          if (token == s.delta_tokens.end() || token->second.generation < s.min_generation ||
              token->second.calendar != calendar || token->second.upn != upn) {
            FakeResponse gone = graphError(s.expired_status, "syncStateNotFound", "The sync state generation is not found.");
            gone.headers.emplace_back("Location", s.base_url + route.path);
            return gone;
          }
          from = token->second.from;
          to = token->second.to;
          since = token->second.seq;
        } else {
          for (const char* unsupported : {"$filter", "$select", "$expand", "$orderby", "$search"}) {
            if (route.query.count(unsupported)) {
              return graphError(400, "ErrorInvalidRequest", std::string(unsupported) + " is not supported on calendarView delta.");
            }
          }
          auto start = web::parseRfc3339(route.get("startDateTime"));
          auto end = web::parseRfc3339(route.get("endDateTime"));
          if (!start || !end) return graphError(400, "ErrorInvalidParameter", "startDateTime and endDateTime are required.");
          from = start->instant();
          to = end->instant();
        }
        State::Session session;
        session.items = s.deltaItems(box, calendar, from, to, since);
        session.generation = s.generation;
        const std::string delta = "dt-" + oauth::randomToken();
        s.delta_tokens[delta] = State::DeltaToken{upn, calendar, from, to, s.seq, s.generation};
        session.delta_link = s.base_url + route.path + "?$deltatoken=" + delta;
        session_id = "st-" + oauth::randomToken();
        s.sessions[session_id] = std::move(session);
      }
      const State::Session& session = s.sessions.at(session_id);
      Array::Ptr value = new Array;
      for (std::size_t i = offset; i < session.items.size() && i < offset + static_cast<std::size_t>(page); ++i) {
        value->add(session.items[i]);
      }
      Object::Ptr answer = new Object;
      answer->set("value", value);
      if (offset + static_cast<std::size_t>(page) < session.items.size()) {
        answer->set("@odata.nextLink", s.base_url + route.path + "?$skiptoken=" + session_id + ":" +
                                           std::to_string(offset + static_cast<std::size_t>(page)));
      } else {
        answer->set("@odata.deltaLink", session.delta_link);
      }
      return jsonResponse(200, answer);
    }
    return graphError(405, "ErrorInvalidRequest", "Unsupported calendar request");
  }
  // events/{id}[/instances]
  if (rest.size() >= 2 && rest[0] == "events") {
    const std::string& id = rest[1];
    auto found = s.find(box, id);
    if (!found) return graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    State::Ev& ev = *found->master;
    if (rest.size() == 3 && rest[2] == "instances" && method == "GET") {
      if (found->original || !json::object(ev.resource, "recurrence")) return graphError(400, "ErrorInvalidRequest", "Not a series master.");
      auto start = web::parseRfc3339(route.get("startDateTime"));
      auto end = web::parseRfc3339(route.get("endDateTime"));
      if (!start || !end) return graphError(400, "ErrorInvalidParameter", "startDateTime and endDateTime are required.");
      std::vector<Object::Ptr> items;
      const std::int64_t length = s.endOf(ev.resource) - s.startOf(ev.resource);
      for (std::int64_t original : s.originals(ev, start->instant() - 400 * 86400, end->instant() + 400 * 86400)) {
        if (ev.series.cancelled.count(original)) continue;
        auto exception = ev.series.exceptions.find(original);
        const std::int64_t a = exception != ev.series.exceptions.end() ? s.startOf(exception->second) : original;
        const std::int64_t b = exception != ev.series.exceptions.end() ? s.endOf(exception->second) : original + length;
        if (a < end->instant() && b > start->instant()) items.push_back(s.instance(ev, original));
      }
      return pageOf(items, route.path);
    }
    if (rest.size() != 2) return graphError(405, "ErrorInvalidRequest", "Unsupported event request");
    const bool properties = route.get("$expand").find("singleValueExtendedProperties") != std::string::npos;
    Object::Ptr current = found->original ? s.instance(ev, *found->original) : s.present(ev.resource, properties);
    if (method == "GET") return jsonResponse(200, current);
    if (!box.calendars.at(ev.calendar).can_edit) return graphError(403, "ErrorAccessDenied", "Access is denied.");
    const std::string if_match = request.header("If-Match");
    const std::string etag = found->original && ev.series.exceptions.count(*found->original)
                                 ? json::text(ev.series.exceptions.at(*found->original), "@odata.etag")
                                 : json::text(ev.resource, "@odata.etag");
    if (!if_match.empty() && if_match != etag && !(found->original && !ev.series.exceptions.count(*found->original))) {
      return graphError(412, "ErrorIrresolvableConflict",
                        "The send or update operation could not be performed because the change key passed in the "
                        "request does not match the current change key for the item.");
    }
    if (!from_user && s.isMeeting(found->original ? current : ev.resource)) ++s.notifying;  // Graph mails attendees
    if (method == "DELETE") {
      if (found->original) {
        ev.series.exceptions.erase(*found->original);
        ev.series.cancelled[*found->original] = ++s.seq;
      } else {
        ev.deleted = true;
        s.touch(ev);
      }
      return noContent();
    }
    if (method == "PATCH") {
      for (const char* read_only : {"id", "iCalUId", "type", "seriesMasterId", "hexColor", "originalStart"}) body->remove(read_only);
      if (found->original) {
        // Changing one occurrence makes it an exception.
        Object::Ptr exception = ev.series.exceptions.count(*found->original)
                                    ? ev.series.exceptions.at(*found->original)
                                    : s.instance(ev, *found->original);
        for (const auto& [k, v] : *body) exception->set(k, v);
        exception->remove("recurrence");
        State::Ev holder;
        holder.resource = exception;
        holder.calendar = ev.calendar;
        s.touch(holder);
        ev.series.exceptions[*found->original] = exception;
        ev.series.changed[*found->original] = holder.seq;
        return jsonResponse(200, s.instance(ev, *found->original));
      }
      const bool reshaped = body->has("recurrence") || body->has("start") || body->has("end");
      for (const auto& [k, v] : *body) {
        if (k == "recurrence" && v.isEmpty()) {
          ev.resource->remove("recurrence");
        } else {
          ev.resource->set(k, v);
        }
      }
      if (body->has("start")) ev.resource->set("originalStartTimeZone", json::text(json::object(body, "start"), "timeZone", "UTC"));
      ev.resource->set("type", json::object(ev.resource, "recurrence") ? "seriesMaster" : "singleInstance");
      if (reshaped && json::object(ev.resource, "recurrence")) {
        // A new pattern or time resets the series' exceptions, as in Exchange.
        ev.series.exceptions.clear();
        ev.series.cancelled.clear();
      }
      s.touch(ev);
      return jsonResponse(200, s.present(ev.resource, false));
    }
  }
  return graphError(405, "ErrorInvalidRequest", "Unsupported request");
}

void GraphTestServer::addMailbox(const std::string& upn) {
  std::lock_guard lock(state_->mutex);
  state_->mailboxes[upn];
}

std::string GraphTestServer::addCalendar(const std::string& upn, const std::string& name, bool can_edit) {
  std::lock_guard lock(state_->mutex);
  auto& box = state_->mailboxes[upn];
  const std::string id = randomId("AAMkCAL");
  State::Cal cal;
  cal.name = name;
  cal.can_edit = can_edit;
  cal.is_default = box.calendar_order.empty();
  box.calendars[id] = cal;
  box.calendar_order.push_back(id);
  return id;
}

namespace {

FakeRequest userRequest(const std::string& method, const std::string& target, const std::string& body) {
  FakeRequest r;
  r.method = method;
  r.target = target;
  r.body = body;
  r.headers = {{"Prefer", "IdType=\"ImmutableId\""}};
  return r;
}

void expectOk(const FakeResponse& response, const std::string& what) {
  if (response.status / 100 != 2) throw std::runtime_error(what + " failed: " + std::to_string(response.status) + " " + response.body);
}

}  // namespace

std::string GraphTestServer::createEvent(const std::string& upn, const std::string& calendar_id, const std::string& event_json) {
  // Goes through the same code as the API, as the user's own Outlook would.
  auto response = handleAs(upn, userRequest("POST", std::string(kApi) + "/users/" + oauth::urlEncode(upn) + "/calendars/" +
                                                        oauth::urlEncode(calendar_id) + "/events",
                                            event_json));
  expectOk(response, "createEvent");
  return json::text(json::parseObject(response.body, "answer"), "id");
}

void GraphTestServer::updateEvent(const std::string& upn, const std::string& id, const std::string& patch_json) {
  expectOk(handleAs(upn, userRequest("PATCH", std::string(kApi) + "/users/" + oauth::urlEncode(upn) + "/events/" +
                                                  oauth::urlEncode(id), patch_json)),
           "updateEvent");
}

void GraphTestServer::deleteEvent(const std::string& upn, const std::string& id) {
  expectOk(handleAs(upn, userRequest("DELETE", std::string(kApi) + "/users/" + oauth::urlEncode(upn) + "/events/" +
                                                   oauth::urlEncode(id), "")),
           "deleteEvent");
}

std::string GraphTestServer::occurrenceId(const std::string& master_id, const std::string& original_utc) const {
  auto parsed = web::parseRfc3339(original_utc);
  if (!parsed) throw std::runtime_error("not RFC 3339: " + original_utc);
  return state_->occurrenceId(master_id, parsed->instant());
}

std::optional<std::string> GraphTestServer::eventJson(const std::string& upn, const std::string& id) const {
  std::lock_guard lock(state_->mutex);
  auto box = state_->mailboxes.find(upn);
  if (box == state_->mailboxes.end()) return std::nullopt;
  auto found = state_->find(box->second, id);
  if (!found) return std::nullopt;
  return json::stringify(found->original ? state_->instance(*found->master, *found->original)
                                         : state_->present(found->master->resource, true));
}

std::vector<std::string> GraphTestServer::eventIds(const std::string& upn, const std::string& calendar_id) const {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> out;
  auto box = state_->mailboxes.find(upn);
  if (box == state_->mailboxes.end()) return out;
  for (const auto& [id, ev] : box->second.events) {
    if (!ev.deleted && ev.calendar == calendar_id) out.push_back(id);
  }
  return out;
}

std::optional<GraphTestServer::CalendarState> GraphTestServer::calendar(const std::string& upn,
                                                                        const std::string& calendar_id) const {
  std::lock_guard lock(state_->mutex);
  auto box = state_->mailboxes.find(upn);
  if (box == state_->mailboxes.end() || !box->second.calendars.count(calendar_id)) return std::nullopt;
  const auto& cal = box->second.calendars.at(calendar_id);
  return CalendarState{cal.name, cal.color};
}

void GraphTestServer::expireDeltaTokens(int status) {
  std::lock_guard lock(state_->mutex);
  state_->min_generation = ++state_->generation;
  state_->expired_status = status;
}

void GraphTestServer::throttle(int count, int status, int retry_after) {
  std::lock_guard lock(state_->mutex);
  state_->throttle_count = count;
  state_->throttle_status = status;
  state_->retry_after = retry_after;
}

void GraphTestServer::setMaxPageSize(int size) {
  std::lock_guard lock(state_->mutex);
  state_->max_page = size;
}

int GraphTestServer::notifyingWrites() const {
  std::lock_guard lock(state_->mutex);
  return state_->notifying;
}

int GraphTestServer::requestsWithoutImmutableIds() const {
  std::lock_guard lock(state_->mutex);
  return state_->without_immutable;
}

std::vector<FakeRequest> GraphTestServer::requests() const { return http_->requests(); }

}  // namespace calsync::testing
