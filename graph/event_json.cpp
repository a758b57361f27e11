#include "graph/event_json.h"

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "graph/recurrence.h"
#include "ical/ical_codec.h"
#include "ical/windows_zones.h"
#include "ical/zone_lookup.h"
#include "oauth/rfc3339.h"

namespace calsync::graph {

const char* const kOriginPropertyId = "String {8b4f3c52-1d7e-4c0a-9e65-3f2a7d91c6b8} Name calsyncOrigin";
const char* const kUidPropertyId = "String {8b4f3c52-1d7e-4c0a-9e65-3f2a7d91c6b8} Name calsyncUid";

namespace {

using json::Array;
using json::Object;

bool sameText(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string extendedProperty(const Object::Ptr& item, const char* id) {
  for (const auto& property : json::objects(item, "singleValueExtendedProperties")) {
    if (sameText(json::text(property, "id"), id)) return json::text(property, "value");
  }
  return {};
}

// The IANA zone an event's own zone name stands for; empty when unknown or custom.
std::string eventZone(const Object::Ptr& item, const char* key) {
  const std::string name = json::text(item, key);
  if (name.empty() || name == "tzone://Microsoft/Custom") return {};
  if (name == "UTC" || name == "Etc/UTC") return "UTC";
  return ical::ianaZoneFor(name).value_or("");
}

// dateTimeTimeZone -> instant; without Prefer: outlook.timezone Graph answers in UTC.
std::optional<std::int64_t> instantOf(const Object::Ptr& dtz) {
  auto parsed = web::parseRfc3339(json::text(dtz, "dateTime"));
  if (!parsed) return std::nullopt;
  if (parsed->has_offset) return parsed->instant();
  DateTime wall = parsed->wall;
  const std::string zone = json::text(dtz, "timeZone", "UTC");
  wall.tzid = zone == "UTC" ? "UTC" : ical::ianaZoneFor(zone).value_or("UTC");
  return ical::instantOf(wall);
}

std::optional<DateTime> readTime(const Object::Ptr& dtz, const std::string& zone, bool all_day) {
  if (!dtz) return std::nullopt;
  if (all_day) {
    auto parsed = web::parseRfc3339(json::text(dtz, "dateTime"));
    if (!parsed) return std::nullopt;
    DateTime date = parsed->wall;
    date.is_date = true;
    date.hour = date.minute = date.second = 0;
    return date;
  }
  auto instant = instantOf(dtz);
  if (!instant) return std::nullopt;
  if (!zone.empty() && zone != "UTC") {
    if (auto local = ical::wallTimeAt(*instant, zone)) return local;
  }
  DateTime utc = epochToUtc(*instant);
  utc.tzid = "UTC";
  utc.utc = *instant;
  return utc;
}

std::string plainText(const Object::Ptr& body) {
  const std::string content = json::text(body, "content");
  if (json::text(body, "contentType") != "html") return content;
  // Outlook bodies are HTML: keep the text, drop the markup.
  std::string out;
  bool in_tag = false;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const char c = content[i];
    if (c == '<') {
      in_tag = true;
      if (content.compare(i, 3, "<br") == 0 || content.compare(i, 3, "<p>") == 0 || content.compare(i, 4, "</p>") == 0 ||
          content.compare(i, 5, "</div") == 0) {
        if (!out.empty() && out.back() != '\n') out += '\n';
      }
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  for (auto [from, to] : {std::pair<std::string, std::string>{"&nbsp;", " "}, {"&lt;", "<"}, {"&gt;", ">"},
                          {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (std::size_t p = out.find(from); p != std::string::npos; p = out.find(from, p + to.size())) out.replace(p, from.size(), to);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\r')) out.pop_back();
  std::size_t first = out.find_first_not_of("\r\n ");
  return first == std::string::npos ? std::string() : out.substr(first);
}

ParticipationStatus readResponse(const Object::Ptr& status) {
  const std::string response = json::text(status, "response");
  if (response == "accepted" || response == "organizer") return ParticipationStatus::Accepted;
  if (response == "declined") return ParticipationStatus::Declined;
  if (response == "tentativelyAccepted") return ParticipationStatus::Tentative;
  return ParticipationStatus::NeedsAction;
}

std::optional<DateTime> readStamp(const Object::Ptr& item, const char* key) {
  auto parsed = web::parseRfc3339(json::text(item, key));
  if (!parsed) return std::nullopt;
  DateTime utc = epochToUtc(parsed->instant());
  utc.tzid = "UTC";
  utc.utc = parsed->instant();
  return utc;
}

std::optional<Event> readEvent(const Object::Ptr& item, std::vector<ReadWarning>& warnings) {
  const std::string where = "event " + json::text(item, "id");
  Event event;
  event.uid = uidOf(item);
  event.summary = json::text(item, "subject");
  event.description = plainText(json::object(item, "body"));
  event.location = json::text(json::object(item, "location"), "displayName");
  const bool all_day = json::boolean(item, "isAllDay");
  auto start = readTime(json::object(item, "start"), eventZone(item, "originalStartTimeZone"), all_day);
  auto end = readTime(json::object(item, "end"), eventZone(item, "originalEndTimeZone"), all_day);
  if (!start) {
    warnings.push_back({where, "no usable start time"});
    return std::nullopt;
  }
  event.start = *start;
  event.end = end ? *end : *start;
  const std::string show_as = json::text(item, "showAs");
  event.transparency = show_as == "free" || show_as == "workingElsewhere" ? Transparency::Transparent : Transparency::Opaque;
  event.status = json::boolean(item, "isCancelled") ? EventStatus::Cancelled
                 : show_as == "tentative"           ? EventStatus::Tentative
                                                    : EventStatus::Confirmed;
  const std::string sensitivity = json::text(item, "sensitivity");
  event.privacy = sensitivity == "private" || sensitivity == "personal" ? PrivacyClass::Private
                  : sensitivity == "confidential"                         ? PrivacyClass::Confidential
                                                                          : PrivacyClass::Public;
  event.categories = json::strings(item, "categories");
  if (auto organizer = json::object(json::object(item, "organizer"), "emailAddress")) {
    if (!json::text(organizer, "address").empty()) {
      event.organizer = Person{json::text(organizer, "address"), json::text(organizer, "name")};
    }
  }
  for (const auto& a : json::objects(item, "attendees")) {
    auto address = json::object(a, "emailAddress");
    Attendee attendee;
    attendee.person = Person{json::text(address, "address"), json::text(address, "name")};
    if (attendee.person.email.empty()) continue;
    const std::string type = json::text(a, "type");
    attendee.role = type == "optional" ? AttendeeRole::Optional
                    : type == "resource" ? AttendeeRole::NonParticipant
                                         : AttendeeRole::Required;
    attendee.status = readResponse(json::object(a, "status"));
    event.attendees.push_back(attendee);
  }
  if (json::boolean(item, "isReminderOn")) {
    Reminder reminder;
    reminder.offset_seconds = -60 * json::integer(item, "reminderMinutesBeforeStart", 15);
    event.reminders.push_back(reminder);
  }
  event.created = readStamp(item, "createdDateTime");
  event.last_modified = readStamp(item, "lastModifiedDateTime");
  return event;
}

// ---- writing ----

Object::Ptr writeTime(const DateTime& value, bool all_day) {
  Object::Ptr dtz = new Object;
  if (all_day) {
    DateTime midnight = value;
    midnight.hour = midnight.minute = midnight.second = 0;
    dtz->set("dateTime", web::formatWall(midnight));
    dtz->set("timeZone", "UTC");
    return dtz;
  }
  if (value.isUtc() || value.tzid.empty()) {
    dtz->set("dateTime", web::formatWall(value));
    dtz->set("timeZone", "UTC");
    return dtz;
  }
  if (auto iana = ical::ianaZoneFor(value.tzid)) {
    dtz->set("dateTime", web::formatWall(value));
    // Graph takes every Windows zone name but only some IANA names.
    dtz->set("timeZone", ical::ianaToWindows(*iana).value_or(*iana));
    return dtz;
  }
  auto instant = value.utc ? value.utc : ical::instantOf(value);
  if (!instant) throw ConnectorError(ErrorKind::BadData, "graph: the time zone " + value.tzid + " is unknown");
  dtz->set("dateTime", web::formatWall(epochToUtc(*instant)));
  dtz->set("timeZone", "UTC");
  return dtz;
}

void setContent(Object& body, const Event& event) {
  body.set("subject", event.summary);
  Object::Ptr text = new Object;
  text->set("contentType", "text");
  text->set("content", event.description);
  body.set("body", text);
  Object::Ptr location = new Object;
  location->set("displayName", event.location);
  body.set("location", location);
  const bool all_day = event.start.is_date;
  body.set("isAllDay", all_day);
  body.set("start", writeTime(event.start, all_day));
  DateTime end = event.end.year ? event.end : event.start;
  if (all_day && civilToEpoch(end.year, end.month, end.day, 0, 0, 0) <=
                     civilToEpoch(event.start.year, event.start.month, event.start.day, 0, 0, 0)) {
    end = epochToUtc(civilToEpoch(event.start.year, event.start.month, event.start.day, 0, 0, 0) + 86400);
    end.is_date = true;
  }
  body.set("end", writeTime(end, all_day));
  body.set("showAs", event.status == EventStatus::Tentative               ? "tentative"
                     : event.transparency == Transparency::Transparent ? "free"
                                                                       : "busy");
  body.set("sensitivity", event.privacy == PrivacyClass::Private        ? "private"
                          : event.privacy == PrivacyClass::Confidential ? "confidential"
                                                                        : "normal");
  Array::Ptr categories = new Array;
  for (const auto& c : event.categories) categories->add(c);
  body.set("categories", categories);
  const Reminder* reminder = nullptr;
  for (const auto& r : event.reminders) {
    if (!r.relative_to_end && r.offset_seconds <= 0) {
      reminder = &r;
      break;
    }
  }
  body.set("isReminderOn", reminder != nullptr);
  if (reminder) body.set("reminderMinutesBeforeStart", static_cast<std::int64_t>(-reminder->offset_seconds / 60));
}

}  // namespace

std::string extendedPropertiesExpand() {
  return std::string("singleValueExtendedProperties($filter=id eq '") + kOriginPropertyId + "' or id eq '" +
         kUidPropertyId + "')";
}

std::string uidOf(const json::Object::Ptr& item) {
  const std::string own = extendedProperty(item, kUidPropertyId);
  return own.empty() ? json::text(item, "iCalUId") : own;
}

std::optional<std::int64_t> originalStartOf(const json::Object::Ptr& instance) {
  auto parsed = web::parseRfc3339(json::text(instance, "originalStart"));
  if (!parsed) return std::nullopt;
  return parsed->instant();
}

CalendarObject objectFromSingle(const json::Object::Ptr& item, std::vector<ReadWarning>& warnings) {
  auto event = readEvent(item, warnings);
  const std::string id = json::text(item, "id");
  if (!event) throw ConnectorError(ErrorKind::BadData, "event " + id + " has no usable start time");
  if (event->uid.empty()) throw ConnectorError(ErrorKind::BadData, "event " + id + " has no iCalUId");
  CalendarObject object;
  object.native_id = id;
  object.etag = json::text(item, "@odata.etag");
  object.uid = event->uid;
  object.origin = extendedProperty(item, kOriginPropertyId);
  object.components.push_back(std::move(*event));
  ical::computeSpan(object);
  return object;
}

CalendarObject objectFromSeries(const GraphSeries& series, std::vector<ReadWarning>& warnings) {
  const std::string id = json::text(series.master, "id");
  auto master = readEvent(series.master, warnings);
  if (!master) throw ConnectorError(ErrorKind::BadData, "series " + id + " has no usable start time");
  if (master->uid.empty()) throw ConnectorError(ErrorKind::BadData, "series " + id + " has no iCalUId");
  auto recurrence = json::object(series.master, "recurrence");
  if (!recurrence) throw ConnectorError(ErrorKind::BadData, "series " + id + " has no recurrence");
  // The range's zone is where the rule is read.
  if (const std::string zone = eventZone(json::object(recurrence, "range"), "recurrenceTimeZone");
      !zone.empty() && !master->start.is_date && zone != master->start.tzid) {
    if (auto instant = ical::instantOf(master->start)) {
      if (auto local = ical::wallTimeAt(*instant, zone)) master->start = *local;
    }
    if (auto instant = ical::instantOf(master->end)) {
      if (auto local = ical::wallTimeAt(*instant, zone)) master->end = *local;
    }
  }
  master->recurrence.rrule = rruleFromPattern(recurrence, master->start);

  CalendarObject object;
  object.native_id = id;
  object.etag = json::text(series.master, "@odata.etag");
  object.uid = master->uid;
  object.origin = extendedProperty(series.master, kOriginPropertyId);

  // Placing a RECURRENCE-ID in the master's zone.
  auto inMasterZone = [&](std::int64_t instant) {
    if (master->start.is_date) {
      DateTime date = epochToUtc(instant);
      if (!master->start.tzid.empty() && master->start.tzid != "UTC") {
        if (auto local = ical::wallTimeAt(instant, master->start.tzid)) date = *local;
      }
      date.is_date = true;
      date.hour = date.minute = date.second = 0;
      date.tzid.clear();
      date.utc.reset();
      return date;
    }
    if (master->start.tzid.empty() || master->start.isUtc()) {
      DateTime utc = epochToUtc(instant);
      utc.tzid = "UTC";
      return utc;
    }
    return ical::wallTimeAt(instant, master->start.tzid).value_or(epochToUtc(instant));
  };

  std::set<std::int64_t> listed;
  std::vector<Event> overrides;
  for (const auto& instance : series.instances) {
    auto original = originalStartOf(instance);
    if (!original) {
      warnings.push_back({"event " + json::text(instance, "id"), "instance without originalStart; ignored"});
      continue;
    }
    if (master->start.is_date) {
      // All-day originals are midnight in the series zone; compare by date.
      const DateTime d = inMasterZone(*original);
      *original = civilToEpoch(d.year, d.month, d.day, 0, 0, 0);
    }
    listed.insert(*original);
    if (json::text(instance, "type") != "exception") continue;
    auto event = readEvent(instance, warnings);
    if (!event) continue;
    event->uid = object.uid;
    event->recurrence_id = inMasterZone(*original);
    overrides.push_back(std::move(*event));
  }

  // Occurrences of the rule that Graph did not list inside the checked window were cancelled.
  CalendarObject rule_only;
  rule_only.uid = object.uid;
  rule_only.components.push_back(*master);
  ical::computeSpan(rule_only);
  if (series.checked.end_utc > series.checked.start_utc) {
    for (const auto& occurrence : ical::expand(rule_only, series.checked)) {
      std::int64_t original = occurrence.recurrence_id && occurrence.recurrence_id->utc ? *occurrence.recurrence_id->utc
                                                                                          : occurrence.start_utc;
      if (master->start.is_date) {
        const DateTime d = occurrence.recurrence_id ? *occurrence.recurrence_id : occurrence.start;
        original = civilToEpoch(d.year, d.month, d.day, 0, 0, 0);
      }
      if (!listed.count(original)) master->recurrence.exdates.push_back(inMasterZone(original));
    }
  }
  object.components.push_back(std::move(*master));
  for (auto& e : overrides) object.components.push_back(std::move(e));
  ical::computeSpan(object);
  return object;
}

json::Object::Ptr masterBody(const CalendarObject& object) {
  const Event* master = object.master();
  if (!master || master->recurrence_id) throw ConnectorError(ErrorKind::BadData, "graph: the object has no master event");
  Object::Ptr body = new Object;
  setContent(*body, *master);
  if (!master->recurrence.rrule.empty()) {
    std::string zone = "UTC";
    if (!master->start.is_date && !master->start.tzid.empty() && !master->start.isUtc()) {
      if (auto iana = ical::ianaZoneFor(master->start.tzid)) zone = ical::ianaToWindows(*iana).value_or(*iana);
    }
    body->set("recurrence", patternFromRrule(master->recurrence.rrule, master->start, zone));
  } else if (!master->recurrence.rdates.empty()) {
    throw ConnectorError(ErrorKind::BadData, "graph: RDATE-only recurrence cannot be written to Graph");
  } else {
    body->set("recurrence", Poco::Dynamic::Var());  // null: a single event
  }
  Array::Ptr properties = new Array;
  Object::Ptr uid = new Object;
  uid->set("id", kUidPropertyId);
  uid->set("value", object.uid);
  properties->add(uid);
  if (!object.origin.empty()) {
    Object::Ptr origin = new Object;
    origin->set("id", kOriginPropertyId);
    origin->set("value", object.origin);
    properties->add(origin);
  }
  body->set("singleValueExtendedProperties", properties);
  return body;
}

json::Object::Ptr occurrenceBody(const Event& override_event, const CalendarObject&) {
  Object::Ptr body = new Object;
  setContent(*body, override_event);
  return body;
}

}  // namespace calsync::graph
