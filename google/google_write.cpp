// Writing to a Google calendar: insert with a UID-derived id, patch and delete with If-Match,
// every call with sendUpdates=none so no attendee ever hears of a copy. Overridden
// occurrences are written onto their instances; cancelled ones become EXDATEs on the master.
#include <algorithm>

#include "core/log.h"
#include "google/google_connector.h"
#include "ical/zone_lookup.h"
#include "oauth/encoding.h"

namespace calsync::google {
namespace {

constexpr std::string_view kLog = "google";
constexpr const char* kQuiet = "sendUpdates=none";

bool ok(int status) { return status >= 200 && status < 300; }

bool hasOverrides(const CalendarObject& object) {
  return std::any_of(object.components.begin(), object.components.end(),
                     [](const Event& e) { return e.recurrence_id && e.status != EventStatus::Cancelled; });
}

// The occurrence at `original` as the master alone defines it.
Event plainOccurrence(const Event& master, const DateTime& original) {
  Event occurrence = master;
  occurrence.recurrence = Recurrence{};
  occurrence.recurrence_id = original;
  const auto start = ical::instantOf(master.start);
  const auto end = ical::instantOf(master.end);
  const auto at = ical::instantOf(original);
  occurrence.start = original;
  occurrence.end = original;
  if (start && end && at) {
    const std::int64_t length = *end - *start;
    if (original.is_date) {
      DateTime d = epochToUtc(*at + length);
      d.is_date = true;
      d.hour = d.minute = d.second = 0;
      d.tzid.clear();
      occurrence.end = d;
    } else if (auto local = ical::wallTimeAt(*at + length, original.tzid.empty() ? "UTC" : original.tzid)) {
      occurrence.end = *local;
      if (original.tzid.empty()) occurrence.end.tzid.clear();
    }
  }
  occurrence.status = EventStatus::Confirmed;
  return occurrence;
}

}  // namespace

WriteResult GoogleConnector::apply(const EventChange& change) {
  switch (change.kind) {
    case EventChange::Kind::Create: return create(change);
    case EventChange::Kind::Update: return update(change);
    case EventChange::Kind::Delete: remove(change); return WriteResult{change.object.native_id, {}};
  }
  throw ConnectorError(ErrorKind::BadData, "google: unknown change kind");
}

WriteResult GoogleConnector::create(const EventChange& change) {
  const CalendarObject& object = change.object;
  if (object.uid.empty()) throw ConnectorError(ErrorKind::BadData, "google: cannot create an event without a UID");
  const std::string zone = calendarZone(change.calendar);
  const std::string id = eventIdForUid(object.uid);
  auto body = masterBody(object, zone);
  body->set("id", id);
  const std::string context = "POST event " + id + " to " + change.calendar;
  auto response = api_->send("POST", eventsPath(change.calendar) + "?" + kQuiet, json::stringify(body));
  std::string etag;
  if (response.status == 409) {
    // The id is taken: by a live event (then it exists: Conflict), or by one deleted earlier,
    // whose id Google keeps; bring that one back with the new content.
    auto current = api_->send("GET", eventsPath(change.calendar) + "/" + id);
    if (current.status != 200) throw api_->errorFor(response, context);
    auto existing = json::parseObject(current.body, context);
    if (json::text(existing, "status") != "cancelled") {
      throw ConnectorError(ErrorKind::Conflict, context + ": an event with this UID already exists");
    }
    log::debug(kLog, context + ": reviving the deleted event with this id");
    response = api_->send("PUT", eventsPath(change.calendar) + "/" + id + "?" + kQuiet, json::stringify(body),
                          json::text(existing, "etag"));
  }
  if (!ok(response.status)) throw api_->errorFor(response, context);
  etag = json::text(json::parseObject(response.body, context), "etag");
  if (hasOverrides(object)) etag = writeOverrides(change.calendar, id, object, zone);
  return WriteResult{id, etag};
}

WriteResult GoogleConnector::update(const EventChange& change) {
  const CalendarObject& object = change.object;
  const std::string id = object.native_id;
  if (id.empty()) throw ConnectorError(ErrorKind::BadData, "google: update without the event's id");
  const std::string zone = calendarZone(change.calendar);
  const std::string path = eventsPath(change.calendar) + "/" + oauth::urlEncode(id);
  const std::string context = "PATCH event " + id;
  auto response = api_->send("PATCH", path + "?" + kQuiet, json::stringify(masterBody(object, zone)), change.if_match);
  if (response.status == 412) {
    // Re-read: an event deleted in the meantime is NotFound (write it anew), anything else
    // is a real conflict for the caller to merge.
    auto current = api_->send("GET", path);
    if (current.status == 404 || current.status == 410 ||
        (current.status == 200 && json::text(json::parseObject(current.body, context), "status") == "cancelled")) {
      throw ConnectorError(ErrorKind::NotFound, context + ": the event was deleted");
    }
    throw ConnectorError(ErrorKind::Conflict, context + ": the event changed since it was read (HTTP 412)");
  }
  if (!ok(response.status)) throw api_->errorFor(response, context);
  std::string etag = json::text(json::parseObject(response.body, context), "etag");
  if (object.master() && object.master()->isRecurring()) {
    resetStaleInstances(change.calendar, id, object, zone);
    if (hasOverrides(object)) etag = writeOverrides(change.calendar, id, object, zone);
  }
  return WriteResult{id, etag};
}

void GoogleConnector::remove(const EventChange& change) {
  const std::string id = change.object.native_id;
  if (id.empty()) throw ConnectorError(ErrorKind::BadData, "google: delete without the event's id");
  const std::string context = "DELETE event " + id;
  auto response = api_->send("DELETE", eventsPath(change.calendar) + "/" + oauth::urlEncode(id) + "?" + kQuiet, {},
                             change.if_match);
  if (response.status == 412) {
    throw ConnectorError(ErrorKind::Conflict, context + ": the event changed since it was read (HTTP 412)");
  }
  if (!ok(response.status)) throw api_->errorFor(response, context);
}

std::string GoogleConnector::writeOverrides(const std::string& calendar, const std::string& master_id,
                                            const CalendarObject& object, const std::string& zone) {
  const std::string base = eventsPath(calendar) + "/" + oauth::urlEncode(master_id);
  for (const Event& e : object.components) {
    if (!e.recurrence_id || e.status == EventStatus::Cancelled) continue;
    const std::string original = originalStartParameter(*e.recurrence_id, zone);
    const std::string context = "instance " + original + " of " + master_id;
    auto listing = api_->getJson(base + "/instances?showDeleted=true&maxResults=1&originalStart=" +
                                     oauth::urlEncode(original),
                                 "GET " + context);
    auto items = json::objects(listing, "items");
    if (items.empty()) {
      throw ConnectorError(ErrorKind::BadData, "google: the series has no occurrence at " + original +
                                                   " to override");
    }
    const std::string instance_id = json::text(items.front(), "id");
    auto response = api_->send("PATCH", eventsPath(calendar) + "/" + oauth::urlEncode(instance_id) + "?" + kQuiet,
                               json::stringify(instanceBody(e, object, zone)), json::text(items.front(), "etag"));
    if (!ok(response.status)) throw api_->errorFor(response, "PATCH " + context);
  }
  return json::text(api_->getJson(base, "GET event " + master_id), "etag");
}

void GoogleConnector::resetStaleInstances(const std::string& calendar, const std::string& master_id,
                                          const CalendarObject& object, const std::string& zone) {
  auto series = fetchSeries(calendar, master_id);
  if (!series) return;
  const Event& master = *object.master();
  auto wanted = [&](const DateTime& original) {
    for (const Event& e : object.components) {
      if (e.recurrence_id && sameOccurrence(*e.recurrence_id, original)) return true;
    }
    for (const DateTime& d : master.recurrence.exdates) {
      if (sameOccurrence(d, original)) return true;
    }
    return false;
  };
  auto reset = [&](const json::Object::Ptr& instance) {
    auto original = originalStartOf(instance, master.start, zone);
    if (!original || wanted(*original)) return;
    // The occurrence is no longer overridden or cancelled: make it look like the series again.
    const std::string instance_id = json::text(instance, "id");
    auto response = api_->send("PATCH", eventsPath(calendar) + "/" + oauth::urlEncode(instance_id) + "?" + kQuiet,
                               json::stringify(instanceBody(plainOccurrence(master, *original), object, zone)),
                               json::text(instance, "etag"));
    if (!ok(response.status)) throw api_->errorFor(response, "PATCH instance " + instance_id);
  };
  for (const auto& instance : series->exceptions) reset(instance);
  for (const auto& instance : series->cancelled) reset(instance);
}

}  // namespace calsync::google
