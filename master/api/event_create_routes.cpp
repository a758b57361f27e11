// Events created through the API (POST /api/calendar/event): checked, turned into one
// calendar object and queued for the agent that owns the calendar as an event_create. The
// answer comes at once; GET /api/calendar/event/{id} follows the request to applied or
// failed. An API-made event never invites anyone.
#include <Poco/JSON/Array.h>

#include "core/hash.h"
#include "ical/ical_codec.h"
#include "master/api/context.h"
#include "master/credentials.h"
#include "master/events_query.h"
#include "master/master_runtime.h"
#include "master/public_ids.h"

namespace calsync::master::api {
namespace {

constexpr std::size_t kMaxIcalBytes = 256 * 1024;
constexpr std::size_t kMaxTextField = 1024;          // summary, location, uid
constexpr std::size_t kMaxDescription = 32 * 1024;
constexpr std::size_t kMaxUid = 255;

std::string textField(const Poco::JSON::Object::Ptr& event, const std::string& name, std::size_t limit) {
  const std::string value = optionalString(event, name);
  if (value.size() > limit) throw badRequest("event." + name + " is longer than " + std::to_string(limit) + " bytes");
  for (unsigned char c : value) {
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') throw badRequest("event." + name + " holds control characters");
  }
  return value;
}

void checkUid(const std::string& uid) {
  if (uid.empty()) throw badRequest("the event's UID must not be empty");
  if (uid.size() > kMaxUid) throw badRequest("the event's UID is longer than " + std::to_string(kMaxUid) + " bytes");
  for (unsigned char c : uid) {
    if (c < 0x21 || c == 0x7f) throw badRequest("the event's UID must not hold spaces or control characters");
  }
}

// "2026-03-02" for all-day events; "2026-03-02T09:00:00" read in `zone`, or with Z / an
// offset for an instant (kept in UTC).
DateTime timeField(const std::string& name, const std::string& text, bool all_day, const std::string& zone) {
  if (all_day) {
    if (text.size() != 10) throw badRequest("event." + name + " of an all-day event must be a date like 2026-03-02");
    const auto instant = parseIsoInstant(text);
    if (!instant) throw badRequest("event." + name + " is not a date like 2026-03-02");
    DateTime d = epochToUtc(*instant);
    d.hour = d.minute = d.second = 0;
    d.is_date = true;
    d.tzid.clear();
    d.utc = *instant;
    return d;
  }
  if (text.size() < 19 || text[10] != 'T') {
    throw badRequest("event." + name + " must be a date-time like 2026-03-02T09:00:00 (with time_zone) or "
                     "2026-03-02T08:00:00Z");
  }
  const bool has_zone = text.size() > 19 && text.find_first_of("Zz+-", 19) != std::string::npos;
  if (has_zone) {
    const auto instant = parseIsoInstant(text);
    if (!instant) throw badRequest("event." + name + " is not a valid date-time");
    DateTime t = epochToUtc(*instant);
    t.tzid = "UTC";
    t.utc = *instant;
    return t;
  }
  if (zone.empty()) {
    throw badRequest("event." + name + " has no UTC offset: give event.time_zone (an IANA zone like Europe/Berlin) "
                     "or write the time with Z or an offset");
  }
  const auto as_utc = parseIsoInstant(text + "Z");
  if (!as_utc) throw badRequest("event." + name + " is not a valid date-time");
  DateTime t = epochToUtc(*as_utc);
  t.tzid = zone;
  t.utc = resolveWithIana(t);
  if (!t.utc) throw badRequest("event." + name + " cannot be read in time zone " + zone);
  return t;
}

CalendarObject objectFromFields(const Poco::JSON::Object::Ptr& event) {
  Event e;
  e.uid = optionalString(event, "uid");
  if (e.uid.empty()) e.uid = newCredential("") + "@calsync";
  e.summary = textField(event, "summary", kMaxTextField);
  if (e.summary.empty()) throw badRequest("event.summary is required");
  e.location = textField(event, "location", kMaxTextField);
  e.description = textField(event, "description", kMaxDescription);
  bool all_day = false;
  if (event->has("all_day") && !event->isNull("all_day")) {
    if (!event->get("all_day").isBoolean()) throw badRequest("event.all_day must be true or false");
    all_day = event->getValue<bool>("all_day");
  }
  const std::string zone = optionalString(event, "time_zone");
  if (!zone.empty() && !isIanaZone(zone)) throw badRequest("event.time_zone '" + zone + "' is not an IANA time zone");
  e.start = timeField("start", requiredString(event, "start"), all_day, zone);
  if (all_day && !hasString(event, "end")) {
    e.end = epochToUtc(*e.start.utc + 86400);
    e.end.is_date = true;
    e.end.utc = *e.start.utc + 86400;
  } else {
    e.end = timeField("end", requiredString(event, "end"), all_day, zone);
  }
  if (*e.end.utc <= *e.start.utc) throw badRequest("event.end must be after event.start");
  CalendarObject object;
  object.uid = e.uid;
  object.components.push_back(std::move(e));
  return object;
}

CalendarObject objectFromIcal(const std::string& text) {
  if (text.size() > kMaxIcalBytes) throw badRequest("\"ical\" is larger than " + std::to_string(kMaxIcalBytes) + " bytes");
  ical::ParsedCalendar parsed = ical::parse(text);
  if (!parsed.recognized) throw badRequest("\"ical\" is not iCalendar text");
  if (!parsed.warnings.empty()) {
    throw badRequest("\"ical\" has a component that cannot be read (line " + std::to_string(parsed.warnings[0].line) +
                     ": " + parsed.warnings[0].message + ")");
  }
  if (parsed.objects.size() != 1) throw badRequest("\"ical\" must hold exactly one event (one UID, with its overrides)");
  CalendarObject object = std::move(parsed.objects.front());
  if (!object.origin.empty()) throw badRequest("\"ical\" is a copy made by calsync (X-CALSYNC-ORIGIN); it cannot be created");
  return object;
}

// Why the object cannot be sent, checked the same way for both input forms.
void checkObject(const CalendarObject& object) {
  checkUid(object.uid);
  for (const Event& e : object.components) {
    // Other connectors than CalDAV cannot be told not to mail attendees, so an event created
    // here has none: calsync never sends invitations.
    if (!e.attendees.empty()) {
      throw badRequest("events created through the API cannot have attendees: calsync never sends invitations");
    }
  }
}

std::string requestId(const std::string& public_calendar_id, const std::string& uid) {
  return "evt_" + sha256Hex(public_calendar_id + '\x1f' + uid).substr(0, 16);
}

// Brings one request up to date with its queued update.
store::EventRequest refreshed(Context& context, store::EventRequest request) {
  if (request.status != "pending") return request;
  const auto queued = context.runtime.updates().queue().find(request.update_id);
  if (!queued) {
    request.status = "failed";
    request.error = "the queued update was removed before its outcome was recorded";
  } else if (queued->status == store::UpdateStatus::Processed) {
    request.status = "applied";
    request.native_id = queued->result;
    request.error.clear();
  } else if (queued->status == store::UpdateStatus::Failed) {
    request.status = "failed";
    request.error = queued->last_error;
  } else {
    request.error = queued->last_error;   // a retryable failure so far, or ""
    return request;
  }
  request.updated_at = nowSeconds();
  context.runtime.control().settleEventRequest(request);
  return request;
}

Poco::JSON::Object requestJson(Context& context, const store::EventRequest& r) {
  Poco::JSON::Object o;
  o.set("id", r.id);
  o.set("status", r.status);
  o.set("update_id", r.update_id);
  o.set("calendar_id", publicCalendarId(r.agent_id, r.source, r.calendar_id));
  o.set("agent_id", r.agent_id);
  o.set("source", r.source);
  o.set("uid", r.uid);
  o.set("native_id", r.native_id);
  o.set("error", r.error);
  o.set("created_by", r.created_by);
  o.set("created_at", timeText(r.created_at));
  o.set("updated_at", timeText(r.updated_at));
  if (const auto queued = context.runtime.updates().queue().find(r.update_id)) {
    o.set("update_status", std::string(store::toString(queued->status)));
    o.set("attempts", queued->update.attempt);
  }
  return o;
}

void createEvent(Context& context, Request& request) {
  const auto body = request.jsonBody();
  const std::string public_id = requiredString(body, "calendar_id");
  const bool has_event = body->has("event") && !body->isNull("event");
  if (has_event == hasString(body, "ical")) throw badRequest("give either \"event\" (an object) or \"ical\" (text)");
  CalendarObject object;
  if (has_event) {
    Poco::JSON::Object::Ptr event;
    try {
      event = body->getObject("event");
    } catch (const Poco::Exception&) {
    }
    if (!event) throw badRequest("\"event\" must be an object");
    object = objectFromFields(event);
  } else {
    object = objectFromIcal(requiredString(body, "ical"));
  }
  checkObject(object);

  const auto calendar = findCalendar(context, public_id);
  if (!calendar) throw notFound("no calendar '" + public_id + "'");
  for (const auto& rule : context.runtime.control().calendarRules(calendar->agent_id)) {
    if (rule.excluded && rule.source == calendar->source && rule.calendar_id == calendar->calendar.id) {
      throw ApiError(409, "calendar_not_synced", "calendar '" + public_id + "' was taken out of the sync; include it "
                     "again with POST /calendars first");
    }
  }
  if (!calendar->calendar.writable) {
    throw ApiError(409, "calendar_read_only", "calendar '" + public_id + "' is read-only at its source");
  }

  const std::string id = requestId(public_id, object.uid);
  if (auto existing = context.runtime.control().eventRequest(id)) {
    // The same create again (a client retry): one event, one request.
    request.send(200, requestJson(context, refreshed(context, *existing)));
    return;
  }
  const std::string ical = ical::serialize(object, {.suppress_scheduling = true});
  if (ical.size() > kMaxIcalBytes) throw badRequest("the event is larger than " + std::to_string(kMaxIcalBytes) + " bytes");

  AgentUpdate update;
  update.kind = AgentUpdate::Kind::EventCreate;
  update.source = calendar->source;
  update.calendar_id = calendar->calendar.id;
  update.uid = object.uid;
  update.ical = ical;
  const std::int64_t update_id = context.runtime.updates().enqueue(calendar->agent_id, update, request.actor);
  store::EventRequest r;
  r.id = id;
  r.update_id = update_id;
  r.agent_id = calendar->agent_id;
  r.source = calendar->source;
  r.calendar_id = calendar->calendar.id;
  r.uid = object.uid;
  r.status = "pending";
  r.created_by = request.actor;
  r.created_at = r.updated_at = nowSeconds();
  context.runtime.control().addEventRequest(r);
  // The audit names the event, never its content.
  context.runtime.audit().append({0, 0, request.actor, "event.create", id, "",
                                  "{\"calendar_id\":\"" + public_id + "\",\"update_id\":" + std::to_string(update_id) +
                                      "}"});
  request.send(202, requestJson(context, r));
}

}  // namespace

void settleEventRequests(Context& context) {
  for (const auto& r : context.runtime.control().pendingEventRequests(10000)) refreshed(context, r);
}

void addEventCreateRoutes(Router& router, Context& c) {
  router.add({"POST", "/api/calendar/event", Access::Admin, [&c](Request& r) { createEvent(c, r); }});
  router.add({"GET", "/api/calendar/event/{id}", Access::Admin, [&c](Request& r) {
                const auto found = c.runtime.control().eventRequest(r.param("id"));
                if (!found) throw notFound("no event request '" + r.param("id") + "'");
                r.send(200, requestJson(c, refreshed(c, *found)));
              }});
}

}  // namespace calsync::master::api
