#include "ical/event_reader.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "ical/ical_time.h"
#include "ical/libical_ptr.h"

namespace calsync::ical {
namespace {

constexpr const char* kOriginProperty = "X-CALSYNC-ORIGIN";

std::string text(const char* value) { return value ? value : ""; }

std::string tzidParam(icalproperty* p) {
  icalparameter* tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  return tz ? text(icalparameter_get_tzid(tz)) : "";
}

std::optional<DateTime> timeValue(const icaltimetype& t, icalproperty* p) {
  if (icaltime_is_null_time(t)) return std::nullopt;
  DateTime v = fromIcalTime(t, tzidParam(p));
  if (!isValidCivil(v)) return std::nullopt;
  return v;
}

std::string unfold(std::string line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\r' && i + 1 < line.size() && line[i + 1] == '\n') continue;
    if (line[i] == '\n') {
      if (i + 1 < line.size() && (line[i + 1] == ' ' || line[i + 1] == '\t')) ++i;
      continue;
    }
    out.push_back(line[i]);
  }
  return out;
}

// The property as libical writes it, split into name, parameters and value.
ExtraProperty extraProperty(icalproperty* p) {
  const std::string line = unfold(takeString(icalproperty_as_ical_string_r(p)));
  ExtraProperty extra;
  std::size_t i = line.find_first_of(";:");
  extra.name = line.substr(0, i);
  if (i != std::string::npos && line[i] == ';') {
    const std::size_t params_start = ++i;
    bool quoted = false;
    for (; i < line.size() && (quoted || line[i] != ':'); ++i) {
      if (line[i] == '"') quoted = !quoted;
    }
    extra.params = line.substr(params_start, i - params_start);
  }
  if (i != std::string::npos && i < line.size()) extra.value = line.substr(i + 1);
  return extra;
}

std::string withoutMailto(const std::string& address) {
  if (address.size() >= 7) {
    std::string scheme = address.substr(0, 7);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme == "mailto:") return address.substr(7);
  }
  return address;
}

std::string commonName(icalproperty* p) {
  icalparameter* cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
  return cn ? text(icalparameter_get_cn(cn)) : "";
}

Attendee attendee(icalproperty* p) {
  Attendee a;
  a.person.email = withoutMailto(text(icalproperty_get_attendee(p)));
  a.person.name = commonName(p);
  if (icalparameter* role = icalproperty_get_first_parameter(p, ICAL_ROLE_PARAMETER)) {
    switch (icalparameter_get_role(role)) {
      case ICAL_ROLE_CHAIR: a.role = AttendeeRole::Chair; break;
      case ICAL_ROLE_OPTPARTICIPANT: a.role = AttendeeRole::Optional; break;
      case ICAL_ROLE_NONPARTICIPANT: a.role = AttendeeRole::NonParticipant; break;
      default: a.role = AttendeeRole::Required;
    }
  }
  if (icalparameter* partstat = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER)) {
    switch (icalparameter_get_partstat(partstat)) {
      case ICAL_PARTSTAT_ACCEPTED: a.status = ParticipationStatus::Accepted; break;
      case ICAL_PARTSTAT_DECLINED: a.status = ParticipationStatus::Declined; break;
      case ICAL_PARTSTAT_TENTATIVE: a.status = ParticipationStatus::Tentative; break;
      case ICAL_PARTSTAT_DELEGATED: a.status = ParticipationStatus::Delegated; break;
      default: a.status = ParticipationStatus::NeedsAction;
    }
  }
  if (icalparameter* rsvp = icalproperty_get_first_parameter(p, ICAL_RSVP_PARAMETER)) {
    a.rsvp = icalparameter_get_rsvp(rsvp) == ICAL_RSVP_TRUE;
  }
  return a;
}

// Errors libical records as X-LIC-ERROR properties on the VEVENT itself. A bad value or a
// broken component means the event is not what its author wrote. An empty value ("SUMMARY:"),
// an unknown property or parameter name, or a problem inside a VALARM only loses that piece.
std::optional<std::string> fatalParseError(icalcomponent* vevent) {
  for (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(vevent, ICAL_XLICERROR_PROPERTY)) {
    icalparameter* type = icalproperty_get_first_parameter(p, ICAL_XLICERRORTYPE_PARAMETER);
    if (!type) continue;
    switch (icalparameter_get_xlicerrortype(type)) {
      case ICAL_XLICERRORTYPE_VALUEPARSEERROR:
        if (text(icalproperty_get_xlicerror(p)).rfind("No value for", 0) == 0) break;
        return "a property value could not be parsed";
      case ICAL_XLICERRORTYPE_COMPONENTPARSEERROR: return "the component is malformed";
      default: break;
    }
  }
  return std::nullopt;
}

// Alarm triggers as offsets; an absolute trigger becomes its distance from the start.
std::optional<Reminder> reminder(icalcomponent* alarm, const Event& event, const ZoneResolver& zones) {
  icalproperty* trigger_property = icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);
  if (!trigger_property) return std::nullopt;
  Reminder r;
  const icaltriggertype trigger = icalproperty_get_trigger(trigger_property);
  if (!icaltime_is_null_time(trigger.time)) {
    const auto at = zones.toUtc(fromIcalTime(trigger.time, tzidParam(trigger_property)));
    const auto start = zones.toUtc(event.start);
    if (!at || !start) return std::nullopt;
    r.offset_seconds = *at - *start;
  } else {
    r.offset_seconds = icaldurationtype_as_int(trigger.duration);
    if (icalparameter* related = icalproperty_get_first_parameter(trigger_property, ICAL_RELATED_PARAMETER)) {
      r.relative_to_end = icalparameter_get_related(related) == ICAL_RELATED_END;
    }
  }
  if (icalproperty* action = icalcomponent_get_first_property(alarm, ICAL_ACTION_PROPERTY)) {
    const std::string value = text(icalproperty_get_value_as_string(action));
    if (!value.empty()) r.action = value;
  }
  if (icalproperty* description = icalcomponent_get_first_property(alarm, ICAL_DESCRIPTION_PROPERTY)) {
    r.description = text(icalproperty_get_description(description));
  }
  return r;
}

class EventReader {
 public:
  EventReader(icalcomponent* vevent, const ZoneResolver& zones) : vevent_(vevent), zones_(zones) {}

  EventReadResult read() {
    EventReadResult result;
    if (auto error = fatalParseError(vevent_)) {
      result.error = *error;
      return result;
    }
    for (icalproperty* p = icalcomponent_get_first_property(vevent_, ICAL_ANY_PROPERTY); p;
         p = icalcomponent_get_next_property(vevent_, ICAL_ANY_PROPERTY)) {
      if (!readProperty(p)) {
        result.error = std::string("unparseable ") + text(icalproperty_get_property_name(p));
        return result;
      }
    }
    if (event_.uid.empty()) {
      result.error = "no UID";
      return result;
    }
    if (!has_start_) {
      result.error = "no DTSTART";
      return result;
    }
    settleEnd();
    for (icalcomponent* alarm = icalcomponent_get_first_component(vevent_, ICAL_VALARM_COMPONENT); alarm;
         alarm = icalcomponent_get_next_component(vevent_, ICAL_VALARM_COMPONENT)) {
      if (auto r = reminder(alarm, event_, zones_)) event_.reminders.push_back(std::move(*r));
    }
    result.origin = origin_;
    result.event = std::move(event_);
    return result;
  }

 private:
  // False when a property the model depends on has a value we cannot use.
  bool readProperty(icalproperty* p) {
    const icalproperty_kind kind = icalproperty_isa(p);
    // A second copy of a single-valued property has no field; keep it verbatim instead.
    if (isSingleValued(kind) && !seen_.insert(kind).second) {
      event_.extra_properties.push_back(extraProperty(p));
      return true;
    }
    switch (kind) {
      case ICAL_UID_PROPERTY: event_.uid = text(icalproperty_get_uid(p)); return true;
      case ICAL_DTSTART_PROPERTY: return assign(event_.start, timeValue(icalproperty_get_dtstart(p), p), has_start_);
      case ICAL_DTEND_PROPERTY: return assign(end_, timeValue(icalproperty_get_dtend(p), p), has_end_);
      case ICAL_DURATION_PROPERTY: {
        const icaldurationtype d = icalproperty_get_duration(p);
        if (icaldurationtype_is_bad_duration(d)) return false;
        duration_seconds_ = icaldurationtype_as_int(d);
        return true;
      }
      case ICAL_RECURRENCEID_PROPERTY: {
        auto v = timeValue(icalproperty_get_recurrenceid(p), p);
        if (!v) return false;
        event_.recurrence_id = *v;
        return true;
      }
      case ICAL_SUMMARY_PROPERTY: event_.summary = text(icalproperty_get_summary(p)); return true;
      case ICAL_DESCRIPTION_PROPERTY: event_.description = text(icalproperty_get_description(p)); return true;
      case ICAL_LOCATION_PROPERTY: event_.location = text(icalproperty_get_location(p)); return true;
      case ICAL_RRULE_PROPERTY: event_.recurrence.rrule = text(icalproperty_get_value_as_string(p)); return true;
      case ICAL_EXDATE_PROPERTY: return append(event_.recurrence.exdates, timeValue(icalproperty_get_exdate(p), p));
      case ICAL_RDATE_PROPERTY: {
        const icaldatetimeperiodtype rdate = icalproperty_get_rdate(p);
        // A PERIOD RDATE keeps its start; the series' own duration applies to it.
        const icaltimetype at = icaltime_is_null_time(rdate.time) ? rdate.period.start : rdate.time;
        return append(event_.recurrence.rdates, timeValue(at, p));
      }
      case ICAL_STATUS_PROPERTY: return readStatus(p);
      case ICAL_TRANSP_PROPERTY: return readTransparency(p);
      case ICAL_CLASS_PROPERTY: return readClass(p);
      case ICAL_ORGANIZER_PROPERTY:
        event_.organizer = Person{withoutMailto(text(icalproperty_get_organizer(p))), commonName(p)};
        return true;
      case ICAL_ATTENDEE_PROPERTY: event_.attendees.push_back(attendee(p)); return true;
      case ICAL_CATEGORIES_PROPERTY: event_.categories.push_back(text(icalproperty_get_categories(p))); return true;
      case ICAL_URL_PROPERTY: event_.url = text(icalproperty_get_url(p)); return true;
      case ICAL_SEQUENCE_PROPERTY: event_.sequence = icalproperty_get_sequence(p); return true;
      case ICAL_CREATED_PROPERTY: event_.created = timeValue(icalproperty_get_created(p), p); return true;
      case ICAL_LASTMODIFIED_PROPERTY: event_.last_modified = timeValue(icalproperty_get_lastmodified(p), p); return true;
      // DTSTAMP says when the text was written, not what the event is; libical's own error
      // markers were handled before.
      case ICAL_DTSTAMP_PROPERTY:
      case ICAL_XLICERROR_PROPERTY: return true;
      case ICAL_X_PROPERTY:
        if (text(icalproperty_get_x_name(p)) == kOriginProperty) {
          origin_ = text(icalproperty_get_value_as_string(p));
          return true;
        }
        event_.extra_properties.push_back(extraProperty(p));
        return true;
      default: event_.extra_properties.push_back(extraProperty(p)); return true;
    }
  }

  static bool isSingleValued(icalproperty_kind kind) {
    switch (kind) {
      case ICAL_UID_PROPERTY:
      case ICAL_DTSTART_PROPERTY:
      case ICAL_DTEND_PROPERTY:
      case ICAL_DURATION_PROPERTY:
      case ICAL_RECURRENCEID_PROPERTY:
      case ICAL_SUMMARY_PROPERTY:
      case ICAL_DESCRIPTION_PROPERTY:
      case ICAL_LOCATION_PROPERTY:
      case ICAL_RRULE_PROPERTY:
      case ICAL_STATUS_PROPERTY:
      case ICAL_TRANSP_PROPERTY:
      case ICAL_CLASS_PROPERTY:
      case ICAL_ORGANIZER_PROPERTY:
      case ICAL_URL_PROPERTY:
      case ICAL_SEQUENCE_PROPERTY:
      case ICAL_CREATED_PROPERTY:
      case ICAL_LASTMODIFIED_PROPERTY: return true;
      default: return false;
    }
  }

  static bool assign(DateTime& field, std::optional<DateTime> value, bool& present) {
    if (!value) return false;
    field = *value;
    present = true;
    return true;
  }

  static bool append(std::vector<DateTime>& list, std::optional<DateTime> value) {
    if (!value) return false;
    list.push_back(*value);
    return true;
  }

  bool readStatus(icalproperty* p) {
    switch (icalproperty_get_status(p)) {
      case ICAL_STATUS_TENTATIVE: event_.status = EventStatus::Tentative; break;
      case ICAL_STATUS_CONFIRMED: event_.status = EventStatus::Confirmed; break;
      case ICAL_STATUS_CANCELLED: event_.status = EventStatus::Cancelled; break;
      default: event_.extra_properties.push_back(extraProperty(p));
    }
    return true;
  }

  bool readTransparency(icalproperty* p) {
    switch (icalproperty_get_transp(p)) {
      case ICAL_TRANSP_TRANSPARENT:
      case ICAL_TRANSP_TRANSPARENTNOCONFLICT: event_.transparency = Transparency::Transparent; break;
      case ICAL_TRANSP_OPAQUE:
      case ICAL_TRANSP_OPAQUENOCONFLICT: event_.transparency = Transparency::Opaque; break;
      default: event_.extra_properties.push_back(extraProperty(p));
    }
    return true;
  }

  bool readClass(icalproperty* p) {
    switch (icalproperty_get_class(p)) {
      case ICAL_CLASS_PUBLIC: event_.privacy = PrivacyClass::Public; break;
      case ICAL_CLASS_PRIVATE: event_.privacy = PrivacyClass::Private; break;
      case ICAL_CLASS_CONFIDENTIAL: event_.privacy = PrivacyClass::Confidential; break;
      default: event_.extra_properties.push_back(extraProperty(p));
    }
    return true;
  }

  // RFC 5545 3.6.1: DURATION gives the end; without DTEND or DURATION a date-time event ends
  // when it starts and an all-day event lasts one day.
  void settleEnd() {
    const DateTime& start = event_.start;
    if (has_end_) {
      event_.end = end_;
      // An end before the start in the same zone is a typo; read it as a zero-length event.
      if (end_.tzid == start.tzid && end_.is_date == start.is_date && wallSeconds(end_) < wallSeconds(start)) {
        event_.end = start;
      }
    } else if (duration_seconds_) {
      std::int64_t seconds = *duration_seconds_;
      if (start.is_date) seconds = std::max<std::int64_t>(1, seconds / 86400) * 86400;
      event_.end = addWallSeconds(start, std::max<std::int64_t>(0, seconds));
    } else {
      event_.end = start.is_date ? addWallSeconds(start, 86400) : start;
    }
  }

  icalcomponent* vevent_;
  const ZoneResolver& zones_;
  Event event_;
  std::set<icalproperty_kind> seen_;
  bool has_start_ = false;
  bool has_end_ = false;
  DateTime end_;
  std::optional<std::int64_t> duration_seconds_;
  std::string origin_;
};

}  // namespace

EventReadResult readEvent(icalcomponent* vevent, const ZoneResolver& zones) { return EventReader(vevent, zones).read(); }

}  // namespace calsync::ical
