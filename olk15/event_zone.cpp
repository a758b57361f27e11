#include "olk15/event_zone.h"

#include <cctype>

#include "core/date_time.h"
#include "ical/windows_zones.h"
#include "olk15/win_time.h"

namespace calsync::olk15 {
namespace {

bool validOffset(const std::string& s) {
  if (s.size() != 5 || (s[0] != '+' && s[0] != '-')) return false;
  for (std::size_t i = 1; i < 5; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return (s[1] - '0') * 10 + (s[2] - '0') < 24 && (s[3] - '0') * 10 + (s[4] - '0') < 60;
}

// A yearly RRULE value made only of what RFC 5545 recurrence rules contain, so the text
// cannot end the line or smuggle in a property, and cannot make libical step through
// centuries hour by hour (zones change at most twice a year).
bool validRrule(const std::string& s) {
  if (s.empty() || s.size() > 200 || s.rfind("FREQ=YEARLY", 0) != 0) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isupper(u) || std::isdigit(u) || c == '=' || c == ';' || c == ',' || c == '-' || c == '+')) return false;
  }
  return true;
}

// A TZID made safe to write as a parameter value and a property value.
std::string safeTzid(const std::string& s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && c != '"' && c != ';' && c != ':' && c != ',' && c != 0x7F && c != '\\') out.push_back(c);
  }
  return out.substr(0, 100);
}

std::string localStamp(std::int32_t minutes) {
  const DateTime t = epochToUtc(minutes1601ToEpoch(minutes));
  DateTime floating = t;
  floating.tzid.clear();
  return floating.toIcalValue();
}

bool appendRules(std::string& out, const char* kind, const std::vector<OlkZoneRule>& rules) {
  for (const auto& r : rules) {
    if (!validOffset(r.offset_from) || !validOffset(r.offset_to)) return false;
    if (!r.rrule.empty() && !validRrule(r.rrule)) return false;
    out += std::string("BEGIN:") + kind + "\r\n";
    out += "DTSTART:" + localStamp(r.start_minutes.value_or(0)) + "\r\n";
    out += "TZOFFSETFROM:" + r.offset_from + "\r\n";
    out += "TZOFFSETTO:" + r.offset_to + "\r\n";
    if (!r.rrule.empty()) out += "RRULE:" + r.rrule + "\r\n";
    out += std::string("END:") + kind + "\r\n";
  }
  return true;
}

}  // namespace

std::optional<std::string> vtimezoneFromRules(const OlkTimeZone& zone, const std::string& tzid) {
  if (zone.standard.empty() || tzid.empty()) return std::nullopt;
  std::string out = "BEGIN:VTIMEZONE\r\nTZID:" + tzid + "\r\n";
  if (!appendRules(out, "STANDARD", zone.standard) || !appendRules(out, "DAYLIGHT", zone.daylight)) return std::nullopt;
  out += "END:VTIMEZONE\r\n";
  return out;
}

EventZone chooseZone(const std::optional<OlkTimeZone>& zone) {
  EventZone out;
  if (!zone) return out;
  if (!zone->tzid.empty() && isIanaZone(zone->tzid)) {
    out.tzid = zone->tzid;
    out.iana = true;
    return out;
  }
  for (const std::string* name : {&zone->tzid, &zone->name}) {
    if (name->empty()) continue;
    if (auto iana = ical::windowsToIana(*name)) {
      if (isIanaZone(*iana)) {
        out.tzid = *iana;
        out.iana = true;
        return out;
      }
    }
  }
  std::string label = safeTzid(!zone->tzid.empty() ? zone->tzid : zone->name);
  if (label.empty() && zone->windows_id) label = "Outlook zone " + std::to_string(*zone->windows_id);
  if (auto text = vtimezoneFromRules(*zone, label)) {
    out.tzid = label;
    out.vtimezone = std::move(*text);
  }
  return out;
}

}  // namespace calsync::olk15
