#include <cctype>
#include <map>
#include <set>

#include "ical/event_reader.h"
#include "ical/ical_codec.h"
#include "ical/libical_ptr.h"
#include "ical/line_scan.h"
#include "ical/zone_resolver.h"

namespace calsync::ical {
namespace {

// Real calendars nest three deep (VCALENDAR > VEVENT > VALARM); anything far deeper is an
// attack on the parser, whose component teardown recurses.
constexpr std::size_t kMaxNesting = 16;

ParsedCalendar refuse(std::string why) {
  ParsedCalendar out;
  out.recognized = false;
  out.warnings.push_back({1, std::move(why)});
  return out;
}

std::vector<icalcomponent*> vcalendarsOf(icalcomponent* root) {
  std::vector<icalcomponent*> out;
  if (!root) return out;
  if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
    out.push_back(root);
  } else if (icalcomponent_isa(root) == ICAL_XROOT_COMPONENT) {
    // Several VCALENDARs in one stream.
    for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT); c;
         c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)) {
      out.push_back(c);
    }
  }
  return out;
}

bool equalsNoCase(const std::string& a, const char* b) {
  std::size_t i = 0;
  for (; i < a.size() && b[i]; ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return i == a.size() && !b[i];
}

std::string calendarProperty(icalcomponent* calendar, const char* name) {
  for (icalproperty* p = icalcomponent_get_first_property(calendar, ICAL_ANY_PROPERTY); p;
       p = icalcomponent_get_next_property(calendar, ICAL_ANY_PROPERTY)) {
    const char* property_name = icalproperty_get_property_name(p);
    const char* value = icalproperty_get_value_as_string(p);
    if (property_name && value && equalsNoCase(property_name, name)) return value;
  }
  return {};
}

void collectTzid(const DateTime& value, std::set<std::string>& out) {
  if (!value.is_date && !value.tzid.empty() && !value.isUtc()) out.insert(value.tzid);
}

std::set<std::string> tzidsUsed(const CalendarObject& object) {
  std::set<std::string> out;
  for (const auto& e : object.components) {
    collectTzid(e.start, out);
    collectTzid(e.end, out);
    if (e.recurrence_id) collectTzid(*e.recurrence_id, out);
    for (const auto& t : e.recurrence.exdates) collectTzid(t, out);
    for (const auto& t : e.recurrence.rdates) collectTzid(t, out);
  }
  return out;
}

bool sameOccurrence(const Event& a, const Event& b) {
  if (!a.recurrence_id || !b.recurrence_id) return !a.recurrence_id && !b.recurrence_id;
  return a.recurrence_id->sameValue(*b.recurrence_id);
}

// Collects VEVENTs into objects by UID and remembers every VTIMEZONE seen.
class CalendarAssembler {
 public:
  explicit CalendarAssembler(ParsedCalendar& out) : out_(out) {}

  void addTimezones(icalcomponent* calendar) {
    for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VTIMEZONE_COMPONENT); c;
         c = icalcomponent_get_next_component(calendar, ICAL_VTIMEZONE_COMPONENT)) {
      icalproperty* id = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
      const char* tzid = id ? icalproperty_get_tzid(id) : nullptr;
      if (tzid && *tzid && !vtimezones_.count(tzid)) {
        vtimezones_.emplace(tzid, takeString(icalcomponent_as_ical_string_r(c)));
      }
    }
  }

  void addEvent(EventReadResult read, int line) {
    Event& event = *read.event;
    auto [slot, inserted] = index_.emplace(event.uid, out_.objects.size());
    if (inserted) {
      out_.objects.emplace_back();
      out_.objects.back().uid = event.uid;
    }
    CalendarObject& object = out_.objects[slot->second];
    for (const auto& existing : object.components) {
      if (sameOccurrence(existing, event)) {
        out_.warnings.push_back({line, "skipped event: another VEVENT with the same UID and RECURRENCE-ID came first"});
        return;
      }
    }
    if (object.origin.empty()) object.origin = read.origin;
    if (event.recurrence_id) {
      object.components.push_back(std::move(event));
    } else {
      object.components.insert(object.components.begin(), std::move(event));
    }
  }

  void finish() {
    for (auto& object : out_.objects) {
      for (const auto& tzid : tzidsUsed(object)) {
        auto it = vtimezones_.find(tzid);
        if (it != vtimezones_.end()) object.vtimezones.push_back(it->second);
      }
      computeSpan(object);
    }
  }

 private:
  ParsedCalendar& out_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, std::string> vtimezones_;
};

}  // namespace

ParsedCalendar parse(std::string_view text) {
  if (text.size() > kMaxInputBytes) {
    return refuse("input of " + std::to_string(text.size()) + " bytes is larger than the " +
                  std::to_string(kMaxInputBytes >> 20) + " MiB limit");
  }
  const LineScan scan = scanLines(text);
  if (scan.has_nul || !scan.starts_with_vcalendar) return refuse("not iCalendar data: it does not begin with BEGIN:VCALENDAR");
  if (scan.max_depth > kMaxNesting) {
    return refuse("components are nested " + std::to_string(scan.max_depth) + " deep; refusing the input");
  }

  const std::string terminated(text);  // libical reads a C string
  ComponentPtr root(icalparser_parse_string(terminated.c_str()));
  const std::vector<icalcomponent*> calendars = vcalendarsOf(root.get());
  if (calendars.empty()) return refuse("not iCalendar data: no VCALENDAR component");

  ParsedCalendar out;
  CalendarAssembler assembler(out);
  std::size_t vevent_ordinal = 0;
  for (icalcomponent* calendar : calendars) {
    if (out.name.empty()) out.name = calendarProperty(calendar, "X-WR-CALNAME");
    if (out.color.empty()) out.color = calendarProperty(calendar, "X-APPLE-CALENDAR-COLOR");
    if (out.color.empty()) out.color = calendarProperty(calendar, "COLOR");
    assembler.addTimezones(calendar);
    const ZoneResolver zones(calendar);
    for (icalcomponent* vevent = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); vevent;
         vevent = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
      const int line = vevent_ordinal < scan.vevent_lines.size() ? scan.vevent_lines[vevent_ordinal] : 0;
      ++vevent_ordinal;
      EventReadResult read = readEvent(vevent, zones);
      if (!read.event) {
        out.warnings.push_back({line, "skipped event: " + read.error});
        continue;
      }
      assembler.addEvent(std::move(read), line);
    }
  }
  assembler.finish();
  return out;
}

}  // namespace calsync::ical
