#include <chrono>
#include <set>

#include "ical/ical_codec.h"
#include "ical/ical_writer.h"
#include "ical/zone_resolver.h"

namespace calsync::ical {
namespace {

constexpr const char* kProdId = "-//calsync//calsync 0.1//EN";

const char* roleName(AttendeeRole role) {
  switch (role) {
    case AttendeeRole::Chair: return "CHAIR";
    case AttendeeRole::Optional: return "OPT-PARTICIPANT";
    case AttendeeRole::NonParticipant: return "NON-PARTICIPANT";
    case AttendeeRole::Required: break;
  }
  return "REQ-PARTICIPANT";
}

const char* partstatName(ParticipationStatus status) {
  switch (status) {
    case ParticipationStatus::Accepted: return "ACCEPTED";
    case ParticipationStatus::Declined: return "DECLINED";
    case ParticipationStatus::Tentative: return "TENTATIVE";
    case ParticipationStatus::Delegated: return "DELEGATED";
    case ParticipationStatus::NeedsAction: break;
  }
  return "NEEDS-ACTION";
}

// A calendar user address: plain e-mail addresses get mailto:, other URIs stay as they are.
std::string address(const std::string& email) {
  return email.find(':') == std::string::npos ? "mailto:" + email : email;
}

// Property names are tokens; anything else in a name could only corrupt the output.
bool isPropertyName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string nowStamp() {
  const auto now = std::chrono::system_clock::now();
  return epochToUtc(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()).toIcalValue();
}

class EventWriter {
 public:
  EventWriter(ContentWriter& out, const CalendarObject& object, const SerializeOptions& options)
      : out_(out), object_(object), options_(options), stamp_(nowStamp()) {}

  void write(const Event& e) {
    out_.property("BEGIN", "VEVENT");
    out_.property("UID", escapeText(e.uid.empty() ? object_.uid : e.uid));
    out_.property("DTSTAMP", stamp_);
    if (e.recurrence_id) timeProperty(out_, "RECURRENCE-ID", *e.recurrence_id);
    timeProperty(out_, "DTSTART", e.start);
    timeProperty(out_, "DTEND", e.end);
    writeRecurrence(e.recurrence);
    if (!e.summary.empty()) out_.property("SUMMARY", escapeText(e.summary));
    if (!e.description.empty()) out_.property("DESCRIPTION", escapeText(e.description));
    if (!e.location.empty()) out_.property("LOCATION", escapeText(e.location));
    writeStatus(e);
    writePeople(e);
    for (const auto& category : e.categories) out_.property("CATEGORIES", escapeText(category));
    if (!e.url.empty()) out_.property("URL", e.url);
    if (e.sequence != 0) out_.property("SEQUENCE", std::to_string(e.sequence));
    if (e.created) timeProperty(out_, "CREATED", *e.created);
    if (e.last_modified) timeProperty(out_, "LAST-MODIFIED", *e.last_modified);
    if (!object_.origin.empty()) out_.property("X-CALSYNC-ORIGIN", escapeText(object_.origin));
    for (const auto& extra : e.extra_properties) {
      if (!isPropertyName(extra.name)) continue;
      out_.property(extra.params.empty() ? extra.name : extra.name + ";" + extra.params, extra.value);
    }
    for (const auto& reminder : e.reminders) writeAlarm(reminder);
    out_.property("END", "VEVENT");
  }

 private:
  void writeRecurrence(const Recurrence& r) {
    if (!r.rrule.empty()) out_.property("RRULE", r.rrule);
    for (const auto& t : r.exdates) timeProperty(out_, "EXDATE", t);
    for (const auto& t : r.rdates) timeProperty(out_, "RDATE", t);
  }

  void writeStatus(const Event& e) {
    switch (e.status) {
      case EventStatus::Tentative: out_.property("STATUS", "TENTATIVE"); break;
      case EventStatus::Confirmed: out_.property("STATUS", "CONFIRMED"); break;
      case EventStatus::Cancelled: out_.property("STATUS", "CANCELLED"); break;
      case EventStatus::None: break;
    }
    if (e.transparency == Transparency::Transparent) out_.property("TRANSP", "TRANSPARENT");
    if (e.privacy == PrivacyClass::Private) out_.property("CLASS", "PRIVATE");
    if (e.privacy == PrivacyClass::Confidential) out_.property("CLASS", "CONFIDENTIAL");
  }

  void writePeople(const Event& e) {
    const std::string scheduling = options_.suppress_scheduling ? param("SCHEDULE-AGENT", "CLIENT") : "";
    if (e.organizer) {
      std::string head = "ORGANIZER";
      if (!e.organizer->name.empty()) head += param("CN", e.organizer->name);
      out_.property(head + scheduling, address(e.organizer->email));
    }
    for (const auto& a : e.attendees) {
      std::string head = "ATTENDEE";
      if (!a.person.name.empty()) head += param("CN", a.person.name);
      head += param("ROLE", roleName(a.role));
      head += param("PARTSTAT", partstatName(a.status));
      if (a.rsvp) head += param("RSVP", "TRUE");
      out_.property(head + scheduling, address(a.person.email));
    }
  }

  void writeAlarm(const Reminder& r) {
    out_.property("BEGIN", "VALARM");
    out_.property("ACTION", r.action.empty() ? "DISPLAY" : r.action);
    out_.property(r.relative_to_end ? "TRIGGER;RELATED=END" : "TRIGGER", formatDuration(r.offset_seconds));
    // An empty DESCRIPTION is not valid iCalendar (libical drops it), so none is written; it
    // reads back as empty either way.
    if (!r.description.empty()) out_.property("DESCRIPTION", escapeText(r.description));
    out_.property("END", "VALARM");
  }

  ContentWriter& out_;
  const CalendarObject& object_;
  const SerializeOptions& options_;
  std::string stamp_;
};

void addTzid(const DateTime& value, std::set<std::string>& out) {
  if (!value.is_date && !value.tzid.empty() && !value.isUtc()) out.insert(value.tzid);
}

// The object's own VTIMEZONEs, plus generated ones for zones it names without defining.
std::vector<std::string> vtimezonesFor(const CalendarObject& object) {
  std::vector<std::string> out;
  std::set<std::string> defined;
  for (const auto& text : object.vtimezones) {
    const std::string tzid = vtimezoneTzid(text);
    if (tzid.empty() || !defined.insert(tzid).second) continue;
    out.push_back(text);
  }
  std::set<std::string> used;
  for (const auto& e : object.components) {
    addTzid(e.start, used);
    addTzid(e.end, used);
    if (e.recurrence_id) addTzid(*e.recurrence_id, used);
    for (const auto& t : e.recurrence.exdates) addTzid(t, used);
    for (const auto& t : e.recurrence.rdates) addTzid(t, used);
  }
  for (const auto& tzid : used) {
    if (defined.count(tzid)) continue;
    if (auto iana = ianaNameFor(tzid)) {
      if (auto text = vtimezoneFromIana(*iana, tzid)) out.push_back(std::move(*text));
    }
  }
  return out;
}

}  // namespace

std::string serialize(const CalendarObject& object, const SerializeOptions& options) {
  ContentWriter out;
  out.property("BEGIN", "VCALENDAR");
  out.property("VERSION", "2.0");
  out.property("PRODID", kProdId);
  for (const auto& vtimezone : vtimezonesFor(object)) out.block(vtimezone);
  EventWriter events(out, object, options);
  for (const auto& component : object.components) events.write(component);
  out.property("END", "VCALENDAR");
  return out.take();
}

}  // namespace calsync::ical
