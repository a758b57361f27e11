#include "tests/servers/google/google_test_server.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
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

constexpr const char* kApiPrefix = "/calendar/v3";

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string nowRfc3339() { return web::formatUtc(nowSeconds()); }

FakeResponse jsonResponse(int status, const std::string& body) {
  FakeResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json; charset=UTF-8"}};
  response.body = body;
  return response;
}

FakeResponse jsonResponse(int status, const Object::Ptr& body) { return jsonResponse(status, json::stringify(body)); }

// Google's error body: {"error": {"errors": [{domain, reason, message}], code, message}}.
FakeResponse googleError(int status, const std::string& reason, const std::string& message,
                         const std::string& domain = "global") {
  Object::Ptr one = new Object;
  one->set("domain", domain);
  one->set("reason", reason);
  one->set("message", message);
  Array::Ptr errors = new Array;
  errors->add(one);
  Object::Ptr error = new Object;
  error->set("errors", errors);
  error->set("code", status);
  error->set("message", message);
  Object::Ptr root = new Object;
  root->set("error", error);
  return jsonResponse(status, root);
}

struct Query {
  std::map<std::string, std::string> values;
  std::string get(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
  }
  bool has(const std::string& key) const { return values.count(key) != 0; }
};

std::vector<std::string> pathSegments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) {
      std::string raw = path.substr(start, slash - start);
      std::string decoded;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%' && i + 2 < raw.size()) {
          decoded += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          decoded += raw[i];
        }
      }
      out.push_back(decoded);
    }
    start = slash + 1;
  }
  return out;
}

bool base32hex(const std::string& id) {
  if (id.size() < 5 || id.size() > 1024) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'v') || (c >= '0' && c <= '9'); });
}

// Recursive merge with patch semantics: objects merge, everything else replaces.
void merge(Object::Ptr target, const Object::Ptr& patch) {
  for (const auto& [key, value] : *patch) {
    Object::Ptr child = json::object(patch, key);
    Object::Ptr existing = json::object(target, key);
    if (child && existing) {
      merge(existing, child);
    } else {
      target->set(key, value);
    }
  }
}

// An EventDateTime as an instant (dates at midnight UTC) plus whether it is a date.
struct Moment {
  std::int64_t instant = 0;
  bool is_date = false;
  std::string zone;
};

std::optional<Moment> momentOf(const Object::Ptr& edt) {
  if (!edt) return std::nullopt;
  Moment m;
  m.zone = json::text(edt, "timeZone");
  if (auto date = web::parseDate(json::text(edt, "date"))) {
    m.is_date = true;
    m.instant = civilToEpoch(date->year, date->month, date->day, 0, 0, 0);
    return m;
  }
  auto parsed = web::parseRfc3339(json::text(edt, "dateTime"));
  if (!parsed) return std::nullopt;
  if (parsed->has_offset) {
    m.instant = parsed->instant();
    return m;
  }
  DateTime wall = parsed->wall;
  wall.tzid = m.zone;
  auto instant = ical::instantOf(wall);
  if (!instant) return std::nullopt;
  m.instant = *instant;
  return m;
}

std::string basicForm(std::int64_t instant, bool is_date) {
  DateTime v = epochToUtc(instant);
  if (is_date) {
    v.is_date = true;
    return v.toIcalValue();
  }
  v.tzid = "UTC";
  return v.toIcalValue();
}

Object::Ptr edtFor(std::int64_t instant, bool is_date, const std::string& zone) {
  Object::Ptr edt = new Object;
  if (is_date) {
    edt->set("date", web::formatDate(epochToUtc(instant)));
  } else {
    edt->set("dateTime", web::formatUtc(instant));
    if (!zone.empty()) edt->set("timeZone", zone);
  }
  return edt;
}

// The iCalendar text of a master, so the occurrences come from libical's expansion.
std::string masterIcs(const Object::Ptr& master) {
  auto property = [](const std::string& name, const Object::Ptr& edt) -> std::string {
    auto m = momentOf(edt);
    if (!m) return {};
    if (m->is_date) return name + ";VALUE=DATE:" + basicForm(m->instant, true) + "\r\n";
    if (!m->zone.empty() && m->zone != "UTC") {
      if (auto local = ical::wallTimeAt(m->instant, m->zone)) {
        DateTime wall = *local;
        wall.tzid.clear();
        return name + ";TZID=" + m->zone + ":" + wall.toIcalValue() + "\r\n";
      }
    }
    return name + ":" + basicForm(m->instant, false) + "\r\n";
  };
  std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//google//EN\r\nBEGIN:VEVENT\r\nUID:series\r\n"
                     "DTSTAMP:20260101T000000Z\r\n";
  text += property("DTSTART", json::object(master, "start"));
  text += property("DTEND", json::object(master, "end"));
  for (const auto& line : json::strings(master, "recurrence")) text += line + "\r\n";
  return text + "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

struct Occurrence {
  std::int64_t original = 0;
  bool is_date = false;
};

std::vector<Occurrence> occurrencesOf(const Object::Ptr& master, std::int64_t from, std::int64_t to) {
  std::vector<Occurrence> out;
  auto parsed = ical::parse(masterIcs(master));
  if (parsed.objects.size() != 1) return out;
  auto start = momentOf(json::object(master, "start"));
  for (const auto& occurrence : ical::expand(parsed.objects.front(), Window{from, to}, 5000)) {
    out.push_back({occurrence.recurrence_id && occurrence.recurrence_id->utc ? *occurrence.recurrence_id->utc
                                                                             : occurrence.start_utc,
                   start && start->is_date});
  }
  return out;
}

}  // namespace

struct GoogleTestServer::State {
  struct Ev {
    Object::Ptr resource;
    std::int64_t seq = 0;
    bool cancelled() const { return json::text(resource, "status") == "cancelled"; }
  };
  struct Cal {
    std::string summary, description, time_zone, access_role, background = "#9fe1e7", foreground = "#000000";
    std::int64_t seq = 0;
    std::map<std::string, Ev> events;
  };
  struct SyncToken {
    std::string calendar;
    std::int64_t seq = 0;
    std::int64_t generation = 0;
  };
  struct Session {
    std::string calendar, sync_token, next_sync_token;
    std::vector<Object::Ptr> items;
  };

  mutable std::mutex mutex;
  OAuthTestProvider oauth;
  std::vector<std::string> order;
  std::map<std::string, Cal> calendars;
  std::int64_t seq = 0;
  std::int64_t generation = 0;
  std::int64_t min_generation = 0;
  std::map<std::string, SyncToken> sync_tokens;
  std::map<std::string, Session> sessions;
  int throttle_count = 0;
  int throttle_status = 429;
  std::string throttle_reason;
  int retry_after = -1;
  int max_page = 2500;
  int notifying = 0;

  void touch(Cal& cal, Ev& ev) {
    ev.seq = ++seq;
    cal.seq = ev.seq;
    ev.resource->set("etag", "\"" + std::to_string(ev.seq) + "\"");
    ev.resource->set("updated", nowRfc3339());
  }

  // What a list shows of an event: cancelled ones carry only their identity.
  Object::Ptr listed(const Ev& ev) const {
    if (!ev.cancelled()) return json::clone(ev.resource);
    Object::Ptr minimal = new Object;
    minimal->set("kind", "calendar#event");
    minimal->set("etag", json::text(ev.resource, "etag"));
    minimal->set("id", json::text(ev.resource, "id"));
    minimal->set("status", "cancelled");
    if (auto master = json::text(ev.resource, "recurringEventId"); !master.empty()) {
      minimal->set("recurringEventId", master);
      minimal->set("originalStartTime", json::clone(json::object(ev.resource, "originalStartTime")));
    }
    return minimal;
  }

  // The instance `instance_id` (master_YYYYMMDD[THHMMSSZ]) synthesized from its master, when the
  // master has that occurrence.
  std::optional<Ev> synthesize(const Cal& cal, const std::string& instance_id) const {
    const std::size_t underscore = instance_id.rfind('_');
    if (underscore == std::string::npos) return std::nullopt;
    auto master = cal.events.find(instance_id.substr(0, underscore));
    if (master == cal.events.end() || master->second.cancelled()) return std::nullopt;
    auto basic = DateTime::fromIcalValue(instance_id.substr(underscore + 1));
    if (!basic) return std::nullopt;
    const std::int64_t at = civilToEpoch(basic->year, basic->month, basic->day, basic->hour, basic->minute, basic->second);
    for (const auto& occurrence : occurrencesOf(master->second.resource, at - 1, at + 1)) {
      if (occurrence.original == at) return instanceFrom(master->second, occurrence);
    }
    return std::nullopt;
  }

  Ev instanceFrom(const Ev& master, const Occurrence& occurrence) const {
    auto start = momentOf(json::object(master.resource, "start"));
    auto end = momentOf(json::object(master.resource, "end"));
    const std::int64_t length = start && end ? end->instant - start->instant : 0;
    const std::string zone = start ? start->zone : "";
    Ev instance;
    instance.resource = json::clone(master.resource);
    instance.resource->remove("recurrence");
    const std::string master_id = json::text(master.resource, "id");
    instance.resource->set("id", master_id + "_" + basicForm(occurrence.original, occurrence.is_date));
    instance.resource->set("recurringEventId", master_id);
    instance.resource->set("originalStartTime", edtFor(occurrence.original, occurrence.is_date, zone));
    instance.resource->set("start", edtFor(occurrence.original, occurrence.is_date, zone));
    instance.resource->set("end", edtFor(occurrence.original + length, occurrence.is_date, zone));
    instance.seq = master.seq;
    return instance;
  }

  std::string newSyncToken(const std::string& calendar) {
    const std::string token = "sync-" + oauth::randomToken();
    sync_tokens[token] = SyncToken{calendar, seq, generation};
    return token;
  }

  FakeResponse insert(const std::string& calendar, const Object::Ptr& body, const std::string& send_updates);
  FakeResponse update(const std::string& calendar, const std::string& id, const Object::Ptr& body, bool replace,
                      const std::string& if_match, const std::string& send_updates);
  FakeResponse remove(const std::string& calendar, const std::string& id, const std::string& if_match);
  FakeResponse list(const std::string& calendar, const Query& query);
  FakeResponse instances(const std::string& calendar, const std::string& id, const Query& query);
  FakeResponse calendarList(const Query& query) const;
};

namespace {

std::optional<FakeResponse> validateTimes(const Object::Ptr& resource) {
  auto start = json::object(resource, "start");
  auto end = json::object(resource, "end");
  if (!start) return googleError(400, "required", "Missing start time.");
  if (!end) return googleError(400, "required", "Missing end time.");
  const bool start_date = !json::text(start, "date").empty();
  const bool end_date = !json::text(end, "date").empty();
  if (start_date != end_date) {
    return googleError(400, "invalid", "Start and end times must either both be date or both be dateTime.");
  }
  auto s = momentOf(start);
  auto e = momentOf(end);
  if (!s || !e) return googleError(400, "invalid", "Invalid start or end time.");
  if (e->instant < s->instant) return googleError(400, "timeRangeEmpty", "The specified time range is empty.");
  if (!json::strings(resource, "recurrence").empty() && !start_date && json::text(start, "timeZone").empty()) {
    return googleError(400, "invalid", "Missing time zone definition for start time.");
  }
  return std::nullopt;
}

bool notifiesAttendees(const Object::Ptr& resource, const std::string& send_updates) {
  return send_updates != "none" && !json::objects(resource, "attendees").empty();
}

}  // namespace

FakeResponse GoogleTestServer::State::insert(const std::string& calendar, const Object::Ptr& body,
                                             const std::string& send_updates) {
  Cal& cal = calendars.at(calendar);
  std::string id = json::text(body, "id");
  if (!id.empty()) {
    if (!base32hex(id)) return googleError(400, "invalid", "Invalid resource id value.");
    if (cal.events.count(id)) return googleError(409, "duplicate", "The requested identifier already exists.");
  } else {
    const std::string alphabet = "0123456789abcdefghijklmnopqrstuv";
    for (unsigned char c : oauth::randomBytes(26)) id += alphabet[c % 32];
  }
  Object::Ptr resource = json::clone(body);
  if (auto problem = validateTimes(resource)) return *problem;
  resource->set("kind", "calendar#event");
  resource->set("id", id);
  if (json::text(resource, "iCalUID").empty()) resource->set("iCalUID", id + "@google.com");
  if (json::text(resource, "status").empty()) resource->set("status", "confirmed");
  resource->set("created", nowRfc3339());
  resource->set("sequence", 0);
  resource->set("htmlLink", "https://www.google.com/calendar/event?eid=" + id);
  Object::Ptr organizer = new Object;
  organizer->set("email", calendar);
  organizer->set("self", true);
  resource->set("organizer", organizer);
  resource->set("creator", json::clone(organizer));
  if (notifiesAttendees(resource, send_updates)) ++notifying;
  Ev ev{resource, 0};
  touch(cal, ev);
  cal.events[id] = ev;
  return jsonResponse(200, json::clone(resource));
}

FakeResponse GoogleTestServer::State::update(const std::string& calendar, const std::string& id, const Object::Ptr& body,
                                             bool replace, const std::string& if_match, const std::string& send_updates) {
  Cal& cal = calendars.at(calendar);
  auto it = cal.events.find(id);
  if (it == cal.events.end()) {
    auto instance = synthesize(cal, id);  // an occurrence nobody changed yet
    if (!instance) return googleError(404, "notFound", "Not Found");
    it = cal.events.emplace(id, *instance).first;
  }
  Ev& ev = it->second;
  if (!if_match.empty() && if_match != json::text(ev.resource, "etag")) {
    return googleError(412, "conditionNotMet", "Precondition Failed", "global");
  }
  Object::Ptr next = replace ? json::clone(body) : json::clone(ev.resource);
  if (!replace) merge(next, body);
  // What a client cannot change.
  for (const char* key : {"kind", "id", "iCalUID", "created", "recurringEventId", "originalStartTime", "organizer",
                          "creator", "htmlLink"}) {
    if (ev.resource->has(key)) {
      next->set(key, ev.resource->get(key));
    } else {
      next->remove(key);
    }
  }
  if (json::text(next, "status").empty()) next->set("status", "confirmed");
  if (auto problem = validateTimes(next)) return *problem;
  next->set("sequence", json::integer(ev.resource, "sequence") + 1);
  if (notifiesAttendees(next, send_updates)) ++notifying;
  ev.resource = next;
  touch(cal, ev);
  return jsonResponse(200, json::clone(ev.resource));
}

FakeResponse GoogleTestServer::State::remove(const std::string& calendar, const std::string& id,
                                             const std::string& if_match) {
  Cal& cal = calendars.at(calendar);
  auto it = cal.events.find(id);
  if (it == cal.events.end()) {
    auto instance = synthesize(cal, id);
    if (!instance) return googleError(404, "notFound", "Not Found");
    it = cal.events.emplace(id, *instance).first;
  }
  Ev& ev = it->second;
  if (ev.cancelled()) return googleError(410, "deleted", "Resource has been deleted");
  if (!if_match.empty() && if_match != json::text(ev.resource, "etag")) {
    return googleError(412, "conditionNotMet", "Precondition Failed");
  }
  ev.resource->set("status", "cancelled");
  touch(cal, ev);
  // A deleted series takes its instances along.
  for (auto& [other_id, other] : cal.events) {
    if (json::text(other.resource, "recurringEventId") == id && !other.cancelled()) {
      other.resource->set("status", "cancelled");
      touch(cal, other);
    }
  }
  FakeResponse response;
  response.status = 204;
  return response;
}

FakeResponse GoogleTestServer::State::list(const std::string& calendar, const Query& query) {
  if (query.get("singleEvents") == "true") {
    return googleError(400, "invalid", "singleEvents=true is not implemented by this test server");
  }
  const std::string sync = query.get("syncToken");
  std::string session_id;
  std::size_t offset = 0;
  if (query.has("pageToken")) {
    const std::string page = query.get("pageToken");
    const std::size_t colon = page.rfind(':');
    session_id = page.substr(0, colon);
    auto found = sessions.find(session_id);
    if (colon == std::string::npos || found == sessions.end() || found->second.calendar != calendar ||
        found->second.sync_token != sync) {
      return googleError(400, "invalid", "Invalid page token value.");
    }
    offset = std::stoul(page.substr(colon + 1));
  } else {
    Session session;
    session.calendar = calendar;
    session.sync_token = sync;
    Cal& cal = calendars.at(calendar);
    std::vector<const Ev*> chosen;
    if (!sync.empty()) {
      for (const char* forbidden : {"iCalUID", "orderBy", "privateExtendedProperty", "q", "sharedExtendedProperty",
                                    "timeMin", "timeMax", "updatedMin"}) {
        if (query.has(forbidden)) {
          return googleError(400, "invalid", std::string("Sync token cannot be used with ") + forbidden + ".");
        }
      }
      if (query.get("showDeleted") == "false") return googleError(400, "invalid", "showDeleted=false with a sync token.");
      auto token = sync_tokens.find(sync);
      if (token == sync_tokens.end() || token->second.calendar != calendar || token->second.generation < min_generation) {
        return googleError(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.");
      }
      for (const auto& [id, ev] : cal.events) {
        if (ev.seq > token->second.seq) chosen.push_back(&ev);
      }
    } else {
      const bool show_deleted = query.get("showDeleted") == "true";
      const std::string ical_uid = query.get("iCalUID");
      const std::string property = query.get("privateExtendedProperty");
      auto time_min = web::parseRfc3339(query.get("timeMin"));
      auto time_max = web::parseRfc3339(query.get("timeMax"));
      for (const auto& [id, ev] : cal.events) {
        const std::string master = json::text(ev.resource, "recurringEventId");
        if (ev.cancelled()) {
          // Cancelled instances of a live series are listed whenever series are not expanded.
          const bool live_series = !master.empty() && cal.events.count(master) && !cal.events.at(master).cancelled();
          if (!show_deleted && !live_series) continue;
        }
        if (!ical_uid.empty() && json::text(ev.resource, "iCalUID") != ical_uid) continue;
        if (!property.empty()) {
          const std::size_t eq = property.find('=');
          auto props = json::object(json::object(ev.resource, "extendedProperties"), "private");
          if (eq == std::string::npos || json::text(props, property.substr(0, eq), "\x01") != property.substr(eq + 1)) {
            continue;
          }
        }
        if ((time_min || time_max) && json::strings(ev.resource, "recurrence").empty() && !ev.cancelled()) {
          auto s = momentOf(json::object(ev.resource, "start"));
          auto e = momentOf(json::object(ev.resource, "end"));
          if (time_min && e && e->instant <= time_min->instant()) continue;
          if (time_max && s && s->instant >= time_max->instant()) continue;
        }
        chosen.push_back(&ev);
      }
    }
    std::sort(chosen.begin(), chosen.end(), [](const Ev* a, const Ev* b) { return a->seq < b->seq; });
    for (const Ev* ev : chosen) session.items.push_back(listed(*ev));
    if (!query.has("iCalUID") && !query.has("privateExtendedProperty")) session.next_sync_token = newSyncToken(calendar);
    session_id = "page-" + oauth::randomToken();
    sessions[session_id] = std::move(session);
  }
  const Session& session = sessions.at(session_id);
  std::size_t size = 250;
  if (query.has("maxResults")) size = std::stoul(query.get("maxResults"));
  size = std::max<std::size_t>(1, std::min<std::size_t>({size, 2500, static_cast<std::size_t>(max_page)}));
  Object::Ptr body = new Object;
  body->set("kind", "calendar#events");
  body->set("etag", "\"" + std::to_string(calendars.at(calendar).seq) + "\"");
  body->set("summary", calendars.at(calendar).summary);
  body->set("updated", nowRfc3339());
  body->set("timeZone", calendars.at(calendar).time_zone);
  body->set("accessRole", calendars.at(calendar).access_role);
  body->set("defaultReminders", Array::Ptr(new Array));
  Array::Ptr items = new Array;
  for (std::size_t i = offset; i < session.items.size() && i < offset + size; ++i) items->add(session.items[i]);
  body->set("items", items);
  if (offset + size < session.items.size()) {
    body->set("nextPageToken", session_id + ":" + std::to_string(offset + size));
  } else if (!session.next_sync_token.empty()) {
    body->set("nextSyncToken", session.next_sync_token);
  }
  return jsonResponse(200, body);
}

FakeResponse GoogleTestServer::State::instances(const std::string& calendar, const std::string& id, const Query& query) {
  Cal& cal = calendars.at(calendar);
  auto master = cal.events.find(id);
  if (master == cal.events.end() || master->second.cancelled()) return googleError(404, "notFound", "Not Found");
  const bool show_deleted = query.get("showDeleted") == "true";
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::optional<std::int64_t> only;
  if (query.has("originalStart")) {
    const std::string text = query.get("originalStart");
    if (auto date = web::parseDate(text)) {
      only = civilToEpoch(date->year, date->month, date->day, 0, 0, 0);
    } else if (auto parsed = web::parseRfc3339(text); parsed && parsed->has_offset) {
      only = parsed->instant();
    } else {
      return googleError(400, "invalid", "Invalid value for originalStart.");
    }
    from = *only - 1;
    to = *only + 1;
  } else {
    auto start = momentOf(json::object(master->second.resource, "start"));
    from = web::parseRfc3339(query.get("timeMin")) ? web::parseRfc3339(query.get("timeMin"))->instant()
                                                   : (start ? start->instant : 0);
    to = web::parseRfc3339(query.get("timeMax")) ? web::parseRfc3339(query.get("timeMax"))->instant()
                                                 : from + 2 * 366 * 86400;
  }
  Array::Ptr items = new Array;
  for (const auto& occurrence : occurrencesOf(master->second.resource, from, to)) {
    if (only && occurrence.original != *only) continue;
    Ev instance = instanceFrom(master->second, occurrence);
    auto stored = cal.events.find(json::text(instance.resource, "id"));
    if (stored != cal.events.end()) {
      if (stored->second.cancelled() && !show_deleted) continue;
      items->add(listed(stored->second));
    } else {
      items->add(instance.resource);
    }
  }
  // Cancelled instances are not occurrences any more, but showDeleted lists them.
  if (show_deleted) {
    for (const auto& [other_id, other] : cal.events) {
      if (json::text(other.resource, "recurringEventId") != id || !other.cancelled()) continue;
      auto original = momentOf(json::object(other.resource, "originalStartTime"));
      if (!original || (only && original->instant != *only)) continue;
      if (!only && (original->instant < from || original->instant >= to)) continue;
      bool listed_already = false;
      for (std::size_t i = 0; i < items->size(); ++i) {
        if (json::text(items->getObject(static_cast<unsigned>(i)), "id") == other_id) listed_already = true;
      }
      if (!listed_already) items->add(listed(other));
    }
  }
  Object::Ptr body = new Object;
  body->set("kind", "calendar#events");
  body->set("timeZone", cal.time_zone);
  body->set("items", items);
  return jsonResponse(200, body);
}

FakeResponse GoogleTestServer::State::calendarList(const Query& query) const {
  std::size_t size = query.has("maxResults") ? std::stoul(query.get("maxResults")) : 100;
  size = std::max<std::size_t>(1, std::min<std::size_t>(size, 250));
  std::size_t offset = query.has("pageToken") ? std::stoul(query.get("pageToken").substr(3)) : 0;
  Array::Ptr items = new Array;
  for (std::size_t i = offset; i < order.size() && i < offset + size; ++i) {
    const Cal& cal = calendars.at(order[i]);
    Object::Ptr entry = new Object;
    entry->set("kind", "calendar#calendarListEntry");
    entry->set("etag", "\"" + std::to_string(cal.seq) + "\"");
    entry->set("id", order[i]);
    entry->set("summary", cal.summary);
    entry->set("description", cal.description);
    entry->set("timeZone", cal.time_zone);
    entry->set("backgroundColor", cal.background);
    entry->set("foregroundColor", cal.foreground);
    entry->set("accessRole", cal.access_role);
    entry->set("selected", true);
    if (i == 0) entry->set("primary", true);
    items->add(entry);
  }
  Object::Ptr body = new Object;
  body->set("kind", "calendar#calendarList");
  body->set("items", items);
  if (offset + size < order.size()) body->set("nextPageToken", "cl:" + std::to_string(offset + size));
  return jsonResponse(200, body);
}

GoogleTestServer::GoogleTestServer() : state_(std::make_unique<State>()) {
  http_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); },
                                           FakeHttpServer::Transport::Https);
  state_->oauth.setTokenUrl(tokenUrl());
}

GoogleTestServer::~GoogleTestServer() { http_.reset(); }

std::string GoogleTestServer::apiUrl() const { return http_->baseUrl() + kApiPrefix; }
std::string GoogleTestServer::tokenUrl() const { return http_->baseUrl() + "/token"; }
std::string GoogleTestServer::authUrl() const { return http_->baseUrl() + "/o/oauth2/v2/auth"; }
OAuthTestProvider& GoogleTestServer::oauth() { return state_->oauth; }

FakeResponse GoogleTestServer::handle(const FakeRequest& request) {
  const std::size_t question = request.target.find('?');
  const std::string path = request.target.substr(0, question);
  Query query;
  if (question != std::string::npos) {
    for (auto& [name, value] : oauth::formDecode(request.target.substr(question + 1))) query.values[name] = value;
  }
  if (path == "/token") return state_->oauth.tokenEndpoint(request);
  if (path.rfind(kApiPrefix, 0) != 0) return googleError(404, "notFound", "Not Found");
  if (!state_->oauth.subjectOf(request.header("Authorization"))) {
    return googleError(401, "authError", "Request had invalid authentication credentials.");
  }
  std::lock_guard lock(state_->mutex);
  State& s = *state_;
  if (s.throttle_count > 0) {
    --s.throttle_count;
    FakeResponse throttled = s.throttle_status == 403
                                 ? googleError(403, s.throttle_reason, "Rate Limit Exceeded", "usageLimits")
                                 : googleError(429, s.throttle_reason, "Rate Limit Exceeded", "usageLimits");
    if (s.retry_after >= 0) throttled.headers.emplace_back("Retry-After", std::to_string(s.retry_after));
    return throttled;
  }
  const auto segments = pathSegments(path.substr(std::string(kApiPrefix).size()));
  const std::string& method = request.method;
  Object::Ptr body;
  if (method == "POST" || method == "PATCH" || method == "PUT") {
    try {
      body = json::parseObject(request.body, "request");
    } catch (const std::exception&) {
      return googleError(400, "parseError", "Parse Error");
    }
  }
  // users/me/calendarList[/id]
  if (segments.size() >= 3 && segments[0] == "users" && segments[1] == "me" && segments[2] == "calendarList") {
    if (segments.size() == 3 && method == "GET") return s.calendarList(query);
    if (segments.size() == 4 && method == "PATCH") {
      auto cal = s.calendars.find(segments[3]);
      if (cal == s.calendars.end()) return googleError(404, "notFound", "Not Found");
      const bool rgb = !json::text(body, "backgroundColor").empty() || !json::text(body, "foregroundColor").empty();
      if (rgb && query.get("colorRgbFormat") != "true") return googleError(400, "invalid", "Invalid color.");
      if (rgb) {
        cal->second.background = json::text(body, "backgroundColor", cal->second.background);
        cal->second.foreground = json::text(body, "foregroundColor", cal->second.foreground);
      }
      cal->second.seq = ++s.seq;
      return jsonResponse(200, "{}");
    }
    return googleError(405, "notImplemented", "Method not supported");
  }
  if (segments.size() < 2 || segments[0] != "calendars") return googleError(404, "notFound", "Not Found");
  auto cal = s.calendars.find(segments[1]);
  if (cal == s.calendars.end()) return googleError(404, "notFound", "Not Found");
  const std::string& calendar = segments[1];
  if (segments.size() == 2) {
    if (method == "PATCH") {
      if (cal->second.access_role != "owner") return googleError(403, "forbidden", "Forbidden");
      if (body->has("summary")) cal->second.summary = json::text(body, "summary");
      if (body->has("description")) cal->second.description = json::text(body, "description");
      cal->second.seq = ++s.seq;
    }
    Object::Ptr answer = new Object;
    answer->set("kind", "calendar#calendar");
    answer->set("id", calendar);
    answer->set("summary", cal->second.summary);
    answer->set("description", cal->second.description);
    answer->set("timeZone", cal->second.time_zone);
    return jsonResponse(200, answer);
  }
  if (segments[2] != "events") return googleError(404, "notFound", "Not Found");
  const bool writer = cal->second.access_role == "owner" || cal->second.access_role == "writer";
  if (method != "GET" && !writer) return googleError(403, "forbidden", "Forbidden");
  const std::string send_updates = query.get("sendUpdates");
  if (segments.size() == 3) {
    if (method == "GET") return s.list(calendar, query);
    if (method == "POST") return s.insert(calendar, body, send_updates);
  } else if (segments.size() == 4) {
    const std::string& id = segments[3];
    if (method == "GET") {
      auto ev = cal->second.events.find(id);
      if (ev != cal->second.events.end()) return jsonResponse(200, json::clone(ev->second.resource));
      if (auto instance = s.synthesize(cal->second, id)) return jsonResponse(200, instance->resource);
      return googleError(404, "notFound", "Not Found");
    }
    if (method == "PATCH" || method == "PUT") {
      return s.update(calendar, id, body, method == "PUT", request.header("If-Match"), send_updates);
    }
    if (method == "DELETE") return s.remove(calendar, id, request.header("If-Match"));
  } else if (segments.size() == 5 && segments[4] == "instances" && method == "GET") {
    return s.instances(calendar, segments[3], query);
  }
  return googleError(405, "notImplemented", "Method not supported");
}

void GoogleTestServer::addCalendar(const std::string& id, const std::string& summary, const std::string& time_zone,
                                   const std::string& access_role) {
  std::lock_guard lock(state_->mutex);
  State::Cal cal;
  cal.summary = summary;
  cal.time_zone = time_zone;
  cal.access_role = access_role;
  state_->calendars[id] = cal;
  state_->order.push_back(id);
}

std::optional<GoogleTestServer::CalendarState> GoogleTestServer::calendar(const std::string& id) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->calendars.find(id);
  if (it == state_->calendars.end()) return std::nullopt;
  return CalendarState{it->second.summary, it->second.description, it->second.time_zone, it->second.background,
                       it->second.foreground};
}

namespace {

void expectOk(const FakeResponse& response, const std::string& what) {
  if (response.status / 100 != 2) throw std::runtime_error(what + " failed: " + std::to_string(response.status) + " " + response.body);
}

std::string instanceId(const std::string& master_id, const std::string& original_start) {
  if (auto date = web::parseDate(original_start)) return master_id + "_" + date->toIcalValue();
  auto parsed = web::parseRfc3339(original_start);
  if (!parsed) throw std::runtime_error("not an RFC 3339 time: " + original_start);
  return master_id + "_" + basicForm(parsed->instant(), false);
}

}  // namespace

std::string GoogleTestServer::insertEvent(const std::string& calendar, const std::string& event_json) {
  std::lock_guard lock(state_->mutex);
  FakeResponse response = state_->insert(calendar, json::parseObject(event_json, "event"), "none");
  expectOk(response, "insertEvent");
  return json::text(json::parseObject(response.body, "answer"), "id");
}

void GoogleTestServer::patchEvent(const std::string& calendar, const std::string& id, const std::string& patch_json) {
  std::lock_guard lock(state_->mutex);
  expectOk(state_->update(calendar, id, json::parseObject(patch_json, "patch"), false, "", "none"), "patchEvent");
}

void GoogleTestServer::deleteEvent(const std::string& calendar, const std::string& id) {
  std::lock_guard lock(state_->mutex);
  expectOk(state_->remove(calendar, id, ""), "deleteEvent");
}

std::string GoogleTestServer::modifyInstance(const std::string& calendar, const std::string& master_id,
                                             const std::string& original_start, const std::string& patch_json) {
  const std::string id = instanceId(master_id, original_start);
  std::lock_guard lock(state_->mutex);
  expectOk(state_->update(calendar, id, json::parseObject(patch_json, "patch"), false, "", "none"), "modifyInstance");
  return id;
}

void GoogleTestServer::cancelInstance(const std::string& calendar, const std::string& master_id,
                                      const std::string& original_start) {
  const std::string id = instanceId(master_id, original_start);
  std::lock_guard lock(state_->mutex);
  expectOk(state_->remove(calendar, id, ""), "cancelInstance");
}

std::optional<std::string> GoogleTestServer::eventJson(const std::string& calendar, const std::string& id) const {
  std::lock_guard lock(state_->mutex);
  auto cal = state_->calendars.find(calendar);
  if (cal == state_->calendars.end()) return std::nullopt;
  auto ev = cal->second.events.find(id);
  if (ev == cal->second.events.end()) return std::nullopt;
  return json::stringify(ev->second.resource);
}

std::vector<std::string> GoogleTestServer::liveEventIds(const std::string& calendar) const {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> out;
  auto cal = state_->calendars.find(calendar);
  if (cal == state_->calendars.end()) return out;
  for (const auto& [id, ev] : cal->second.events) {
    if (!ev.cancelled()) out.push_back(id);
  }
  return out;
}

void GoogleTestServer::expireSyncTokens() {
  std::lock_guard lock(state_->mutex);
  state_->min_generation = ++state_->generation;
}

void GoogleTestServer::throttle(int count, int status, const std::string& reason, int retry_after) {
  std::lock_guard lock(state_->mutex);
  state_->throttle_count = count;
  state_->throttle_status = status;
  state_->throttle_reason = reason;
  state_->retry_after = retry_after;
}

void GoogleTestServer::setMaxPageSize(int size) {
  std::lock_guard lock(state_->mutex);
  state_->max_page = size;
}

int GoogleTestServer::notifyingWrites() const {
  std::lock_guard lock(state_->mutex);
  return state_->notifying;
}

std::vector<FakeRequest> GoogleTestServer::requests() const { return http_->requests(); }

}  // namespace calsync::testing
