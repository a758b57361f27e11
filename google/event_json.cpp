#include "google/event_json.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/errors.h"
#include "core/hash.h"
#include "ical/ical_codec.h"
#include "ical/zone_lookup.h"
#include "oauth/rfc3339.h"

namespace calsync::google {
namespace {

using json::Array;
using json::Object;

std::int64_t wallEpochOf(const DateTime& v) { return civilToEpoch(v.year, v.month, v.day, v.hour, v.minute, v.second); }

// ---- reading ----

std::optional<DateTime> readDateTime(const Object::Ptr& edt, const std::string& calendar_zone) {
  if (!edt) return std::nullopt;
  if (const std::string date = json::text(edt, "date"); !date.empty()) return web::parseDate(date);
  const std::string text = json::text(edt, "dateTime");
  auto parsed = web::parseRfc3339(text);
  if (!parsed) return std::nullopt;
  std::string zone = json::text(edt, "timeZone", calendar_zone);
  if (!zone.empty() && zone != "UTC" && !ical::ianaZoneFor(zone)) zone.clear();  // unknown: keep the instant
  if (parsed->has_offset) {
    const std::int64_t instant = parsed->instant();
    if (!zone.empty()) {
      if (auto local = ical::wallTimeAt(instant, zone)) return local;
    }
    DateTime utc = epochToUtc(instant);
    utc.tzid = "UTC";
    utc.utc = instant;
    return utc;
  }
  DateTime wall = parsed->wall;
  wall.tzid = zone;  // no offset: Google only allows that with a timeZone
  return wall;
}

// The original start of an instance, in the zone of the series' DTSTART so the RECURRENCE-ID
// reads like the occurrence it replaces.
std::optional<DateTime> readOriginalStart(const Object::Ptr& edt, const DateTime& master_start,
                                          const std::string& calendar_zone) {
  auto value = readDateTime(edt, calendar_zone);
  if (!value) return std::nullopt;
  if (master_start.is_date || value->is_date) {
    if (!value->is_date) {
      DateTime date = *value;
      date.is_date = true;
      date.hour = date.minute = date.second = 0;
      date.tzid.clear();
      return date;
    }
    return value;
  }
  if (master_start.tzid == value->tzid) return value;
  auto instant = ical::instantOf(*value);
  if (!instant) return value;
  if (master_start.tzid.empty() || master_start.tzid == "UTC") {
    DateTime utc = epochToUtc(*instant);
    utc.tzid = master_start.tzid.empty() ? "" : "UTC";
    return utc;
  }
  if (auto local = ical::wallTimeAt(*instant, master_start.tzid)) return local;
  return value;
}

// "EXDATE;TZID=Europe/Berlin:20260105T090000,20260112T090000" -> values.
std::vector<DateTime> readDateList(const std::string& line) {
  std::vector<DateTime> out;
  const std::size_t colon = line.find(':');
  if (colon == std::string::npos) return out;
  std::string tzid;
  const std::string params = line.substr(0, colon);
  for (std::size_t at = params.find(';'); at != std::string::npos; at = params.find(';', at + 1)) {
    const std::size_t end = params.find(';', at + 1);
    const std::string param = params.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    if (param.rfind("TZID=", 0) == 0) tzid = param.substr(5);
  }
  if (!tzid.empty() && tzid.front() == '"' && tzid.back() == '"' && tzid.size() >= 2) tzid = tzid.substr(1, tzid.size() - 2);
  std::string values = line.substr(colon + 1);
  std::size_t start = 0;
  while (start <= values.size()) {
    const std::size_t comma = values.find(',', start);
    const std::string one = values.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (auto value = DateTime::fromIcalValue(one, tzid)) out.push_back(*value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void readRecurrence(const Object::Ptr& item, Event& event, std::vector<ReadWarning>& warnings, const std::string& where) {
  for (const std::string& line : json::strings(item, "recurrence")) {
    const std::string name = line.substr(0, line.find_first_of(":;"));
    if (name == "RRULE") {
      event.recurrence.rrule = line.substr(line.find(':') + 1);
    } else if (name == "EXDATE") {
      for (auto& value : readDateList(line)) event.recurrence.exdates.push_back(value);
    } else if (name == "RDATE") {
      for (auto& value : readDateList(line)) event.recurrence.rdates.push_back(value);
    } else {
      warnings.push_back({where, "recurrence line " + name + " is not supported and was ignored"});
    }
  }
}

ParticipationStatus readResponse(const std::string& status) {
  if (status == "accepted") return ParticipationStatus::Accepted;
  if (status == "declined") return ParticipationStatus::Declined;
  if (status == "tentative") return ParticipationStatus::Tentative;
  return ParticipationStatus::NeedsAction;
}

std::optional<DateTime> readTimestamp(const Object::Ptr& item, const std::string& key) {
  auto parsed = web::parseRfc3339(json::text(item, key));
  if (!parsed) return std::nullopt;
  DateTime utc = epochToUtc(parsed->instant());
  utc.tzid = "UTC";
  utc.utc = parsed->instant();
  return utc;
}

// The content of one event resource. Returns nullopt (with a warning) when it has no usable start.
std::optional<Event> readEvent(const Object::Ptr& item, const std::string& calendar_zone,
                               std::vector<ReadWarning>& warnings) {
  const std::string where = "event " + json::text(item, "id");
  Event event;
  event.uid = uidOf(item);
  event.summary = json::text(item, "summary");
  event.description = json::text(item, "description");
  event.location = json::text(item, "location");
  auto start = readDateTime(json::object(item, "start"), calendar_zone);
  if (!start) {
    warnings.push_back({where, "no usable start time"});
    return std::nullopt;
  }
  event.start = *start;
  auto end = json::boolean(item, "endTimeUnspecified") ? std::nullopt : readDateTime(json::object(item, "end"), calendar_zone);
  event.end = end ? *end : event.start;
  const std::string status = json::text(item, "status");
  event.status = status == "tentative" ? EventStatus::Tentative
                 : status == "cancelled" ? EventStatus::Cancelled
                 : status == "confirmed" ? EventStatus::Confirmed
                                         : EventStatus::None;
  event.transparency = json::text(item, "transparency") == "transparent" ? Transparency::Transparent : Transparency::Opaque;
  const std::string visibility = json::text(item, "visibility");
  event.privacy = visibility == "private"        ? PrivacyClass::Private
                  : visibility == "confidential" ? PrivacyClass::Confidential
                                                 : PrivacyClass::Public;
  if (auto organizer = json::object(item, "organizer"); organizer && !json::text(organizer, "email").empty()) {
    event.organizer = Person{json::text(organizer, "email"), json::text(organizer, "displayName")};
  }
  for (const auto& a : json::objects(item, "attendees")) {
    Attendee attendee;
    attendee.person = Person{json::text(a, "email"), json::text(a, "displayName")};
    if (attendee.person.email.empty()) continue;
    attendee.role = json::boolean(a, "resource")   ? AttendeeRole::NonParticipant
                    : json::boolean(a, "optional") ? AttendeeRole::Optional
                                                   : AttendeeRole::Required;
    attendee.status = readResponse(json::text(a, "responseStatus"));
    event.attendees.push_back(attendee);
  }
  if (auto reminders = json::object(item, "reminders"); reminders && !json::boolean(reminders, "useDefault", true)) {
    for (const auto& r : json::objects(reminders, "overrides")) {
      Reminder reminder;
      reminder.offset_seconds = -60 * json::integer(r, "minutes");
      reminder.action = json::text(r, "method") == "email" ? "EMAIL" : "DISPLAY";
      event.reminders.push_back(reminder);
    }
  }
  if (auto source = json::object(item, "source")) event.url = json::text(source, "url");
  event.sequence = static_cast<int>(json::integer(item, "sequence"));
  event.created = readTimestamp(item, "created");
  event.last_modified = readTimestamp(item, "updated");
  readRecurrence(item, event, warnings, where);
  return event;
}

std::string privateProperty(const Object::Ptr& item, const std::string& name) {
  return json::text(json::object(json::object(item, "extendedProperties"), "private"), name);
}

bool sameInstant(const DateTime& a, const DateTime& b) {
  if (a.is_date || b.is_date) return a.is_date == b.is_date && a.year == b.year && a.month == b.month && a.day == b.day;
  auto x = ical::instantOf(a);
  auto y = ical::instantOf(b);
  return x && y ? *x == *y : a.sameValue(b);
}

// ---- writing ----

std::string icalValueFor(const DateTime& value) {
  DateTime copy = value;
  return copy.toIcalValue();
}

Array::Ptr recurrenceLines(const Event& master, const std::vector<DateTime>& extra_exdates) {
  Array::Ptr lines = new Array;
  if (!master.recurrence.rrule.empty()) lines->add("RRULE:" + master.recurrence.rrule);
  auto dateLines = [&](const std::string& name, const std::vector<DateTime>& values) {
    std::map<std::string, std::vector<std::string>> groups;  // parameter text -> values
    for (const DateTime& v : values) {
      if (v.is_date) {
        groups[";VALUE=DATE"].push_back(v.toIcalValue());
      } else if (v.isUtc() || v.tzid.empty()) {
        groups[""].push_back(v.toIcalValue());
      } else if (auto iana = ical::ianaZoneFor(v.tzid)) {
        DateTime local = v;
        local.tzid = *iana;
        groups[";TZID=" + *iana].push_back(icalValueFor(local));
      } else if (auto instant = v.utc ? v.utc : ical::instantOf(v)) {
        DateTime utc = epochToUtc(*instant);
        utc.tzid = "UTC";
        groups[""].push_back(utc.toIcalValue());
      } else {
        throw ConnectorError(ErrorKind::BadData, "google: a " + name + " value names the unknown zone " + v.tzid);
      }
    }
    for (auto& [params, list] : groups) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      std::string line = name + params + ":";
      for (std::size_t i = 0; i < list.size(); ++i) line += (i ? "," : "") + list[i];
      lines->add(line);
    }
  };
  std::vector<DateTime> exdates = master.recurrence.exdates;
  exdates.insert(exdates.end(), extra_exdates.begin(), extra_exdates.end());
  if (!exdates.empty()) dateLines("EXDATE", exdates);
  if (!master.recurrence.rdates.empty()) dateLines("RDATE", master.recurrence.rdates);
  return lines;
}

void setContent(Object& body, const Event& event, const CalendarObject& object, const std::string& calendar_zone) {
  body.set("summary", event.summary);
  body.set("description", event.description);
  body.set("location", event.location);
  body.set("start", eventDateTime(event.start, calendar_zone));
  DateTime end = event.end;
  if (end.year == 0) end = event.start;
  if (event.start.is_date && !end.is_date) end = event.start;
  if (event.start.is_date && wallEpochOf(end) <= wallEpochOf(event.start)) {
    end = epochToUtc(wallEpochOf(event.start) + 86400);
    end.is_date = true;
    end.tzid.clear();
    end.hour = end.minute = end.second = 0;
  }
  body.set("end", eventDateTime(end, calendar_zone));
  body.set("status", event.status == EventStatus::Tentative ? "tentative" : "confirmed");
  body.set("transparency", event.transparency == Transparency::Transparent ? "transparent" : "opaque");
  body.set("visibility", event.privacy == PrivacyClass::Private        ? "private"
                         : event.privacy == PrivacyClass::Confidential ? "confidential"
                                                                       : "default");
  Object::Ptr reminders = new Object;
  std::vector<Reminder> usable;
  for (const Reminder& r : event.reminders) {
    if (!r.relative_to_end && r.offset_seconds <= 0) usable.push_back(r);
  }
  reminders->set("useDefault", usable.empty());
  if (!usable.empty()) {
    Array::Ptr overrides = new Array;
    for (std::size_t i = 0; i < usable.size() && i < 5; ++i) {  // Google allows five
      Object::Ptr r = new Object;
      r->set("method", usable[i].action == "EMAIL" ? "email" : "popup");
      r->set("minutes", static_cast<std::int64_t>(-usable[i].offset_seconds / 60));
      overrides->add(r);
    }
    reminders->set("overrides", overrides);
  }
  body.set("reminders", reminders);
  if (event.url.rfind("http://", 0) == 0 || event.url.rfind("https://", 0) == 0) {
    Object::Ptr source = new Object;
    source->set("url", event.url);
    source->set("title", event.summary.empty() ? std::string("link") : event.summary);
    body.set("source", source);
  }
  Object::Ptr extended = new Object;
  Object::Ptr properties = new Object;
  properties->set(kUidProperty, object.uid);
  if (!object.origin.empty()) properties->set(kOriginProperty, object.origin);
  extended->set("private", properties);
  body.set("extendedProperties", extended);
}

}  // namespace

std::optional<DateTime> originalStartOf(const json::Object::Ptr& instance, const DateTime& master_start,
                                        const std::string& calendar_zone) {
  return readOriginalStart(json::object(instance, "originalStartTime"), master_start, calendar_zone);
}

bool sameOccurrence(const DateTime& a, const DateTime& b) { return sameInstant(a, b); }

std::string uidOf(const json::Object::Ptr& item) {
  const std::string own = privateProperty(item, kUidProperty);
  return own.empty() ? json::text(item, "iCalUID") : own;
}

CalendarObject objectFromSeries(const std::string& native_id, const SeriesItems& items, const std::string& calendar_zone,
                                std::vector<ReadWarning>& warnings) {
  CalendarObject object;
  object.native_id = native_id;
  std::optional<Event> master;
  if (items.master) {
    master = readEvent(items.master, calendar_zone, warnings);
    if (!master) throw ConnectorError(ErrorKind::BadData, "event " + native_id + " has no usable start time");
    object.etag = json::text(items.master, "etag");
    object.uid = master->uid;
    object.origin = privateProperty(items.master, kOriginProperty);
    master->status = master->status == EventStatus::Cancelled ? EventStatus::None : master->status;
  }
  const DateTime anchor = master ? master->start : DateTime{};
  std::vector<Event> overrides;
  for (const auto& item : items.exceptions) {
    auto event = readEvent(item, calendar_zone, warnings);
    if (!event) continue;
    auto original = readOriginalStart(json::object(item, "originalStartTime"), master ? anchor : event->start, calendar_zone);
    if (!original) {
      warnings.push_back({"event " + json::text(item, "id"), "modified instance without originalStartTime; skipped"});
      continue;
    }
    event->recurrence_id = *original;
    event->recurrence = Recurrence{};
    if (object.uid.empty()) object.uid = event->uid;
    event->uid = object.uid;
    if (object.etag.empty()) object.etag = json::text(item, "etag");
    overrides.push_back(std::move(*event));
  }
  if (master) {
    for (const auto& item : items.cancelled) {
      auto original = readOriginalStart(json::object(item, "originalStartTime"), anchor, calendar_zone);
      if (!original) {
        warnings.push_back({"event " + json::text(item, "id"), "cancelled instance without originalStartTime; ignored"});
        continue;
      }
      auto& exdates = master->recurrence.exdates;
      const bool known = std::any_of(exdates.begin(), exdates.end(), [&](const DateTime& d) { return sameInstant(d, *original); });
      if (!known) exdates.push_back(*original);
      // A cancelled instance replaces a modification of the same occurrence.
      overrides.erase(std::remove_if(overrides.begin(), overrides.end(),
                                     [&](const Event& e) { return sameInstant(*e.recurrence_id, *original); }),
                      overrides.end());
    }
    object.components.push_back(std::move(*master));
  }
  if (object.uid.empty()) throw ConnectorError(ErrorKind::BadData, "event " + native_id + " has no iCalUID");
  for (auto& e : overrides) object.components.push_back(std::move(e));
  if (object.components.empty()) throw ConnectorError(ErrorKind::BadData, "event " + native_id + " has nothing readable");
  ical::computeSpan(object);
  return object;
}

json::Object::Ptr eventDateTime(const DateTime& value, const std::string& calendar_zone) {
  Object::Ptr edt = new Object;
  if (value.is_date) {
    edt->set("date", web::formatDate(value));
    return edt;
  }
  if (value.isUtc()) {
    edt->set("dateTime", web::formatWall(value) + "Z");
    edt->set("timeZone", "UTC");
    return edt;
  }
  if (value.tzid.empty()) {
    // Floating: read in the calendar's own zone, which is what a floating time means there.
    edt->set("dateTime", web::formatWall(value));
    edt->set("timeZone", calendar_zone.empty() ? std::string("UTC") : calendar_zone);
    return edt;
  }
  if (auto iana = ical::ianaZoneFor(value.tzid)) {
    edt->set("dateTime", web::formatWall(value));
    edt->set("timeZone", *iana);
    return edt;
  }
  // A custom VTIMEZONE Google cannot name: keep the instant.
  if (value.utc) {
    edt->set("dateTime", web::formatUtc(*value.utc));
    edt->set("timeZone", "UTC");
    return edt;
  }
  throw ConnectorError(ErrorKind::BadData, "google: the time zone " + value.tzid + " is unknown");
}

json::Object::Ptr masterBody(const CalendarObject& object, const std::string& calendar_zone) {
  const Event* master = object.master();
  if (!master || master->recurrence_id) throw ConnectorError(ErrorKind::BadData, "google: the object has no master event");
  Object::Ptr body = new Object;
  setContent(*body, *master, object, calendar_zone);
  std::vector<DateTime> cancelled;
  for (const Event& e : object.components) {
    if (e.recurrence_id && e.status == EventStatus::Cancelled) cancelled.push_back(*e.recurrence_id);
  }
  body->set("recurrence", master->isRecurring() ? recurrenceLines(*master, cancelled) : Array::Ptr(new Array));
  return body;
}

json::Object::Ptr instanceBody(const Event& override_event, const CalendarObject& object, const std::string& calendar_zone) {
  Object::Ptr body = new Object;
  setContent(*body, override_event, object, calendar_zone);
  return body;
}

std::string eventIdForUid(const std::string& uid) { return sha256Hex(uid); }

std::string originalStartParameter(const DateTime& recurrence_id, const std::string& calendar_zone) {
  if (recurrence_id.is_date) return web::formatDate(recurrence_id);
  DateTime value = recurrence_id;
  if (value.tzid.empty() && !calendar_zone.empty()) value.tzid = calendar_zone;
  auto instant = ical::instantOf(value);
  if (!instant) throw ConnectorError(ErrorKind::BadData, "google: cannot place the overridden occurrence in time");
  return web::formatUtc(*instant);
}

}  // namespace calsync::google
