#include "core/hash.h"

#include <algorithm>
#include <string>
#include <vector>

namespace calsync {

std::string normalizeText(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\r') {
      if (i + 1 < in.size() && in[i + 1] == '\n') continue;
      out.push_back('\n');
      continue;
    }
    out.push_back(in[i]);
  }
  std::string trimmed;
  trimmed.reserve(out.size());
  std::size_t line_start = 0;
  while (line_start <= out.size()) {
    std::size_t nl = out.find('\n', line_start);
    if (nl == std::string::npos) nl = out.size();
    std::size_t end = nl;
    while (end > line_start && (out[end - 1] == ' ' || out[end - 1] == '\t')) --end;
    trimmed.append(out, line_start, end - line_start);
    if (nl < out.size()) trimmed.push_back('\n');
    line_start = nl + 1;
  }
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return trimmed;
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string timeText(const DateTime& t) { return t.toIcalValue() + (t.is_date || t.isUtc() ? "" : "@" + t.tzid); }

// Each field is written as "name=length:value\n" so no value can imitate another field.
void field(std::string& out, const char* name, const std::string& value) {
  out += name;
  out += '=';
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

std::vector<std::string> sortedTimes(const std::vector<DateTime>& times) {
  std::vector<std::string> v;
  for (const auto& t : times) v.push_back(timeText(t));
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

std::string canonicalForm(const Event& e) {
  std::string out;
  field(out, "uid", e.uid);
  field(out, "recurrence-id", e.recurrence_id ? timeText(*e.recurrence_id) : "");
  field(out, "summary", normalizeText(e.summary));
  field(out, "description", normalizeText(e.description));
  field(out, "location", normalizeText(e.location));
  field(out, "start", timeText(e.start));
  field(out, "end", timeText(e.end));
  field(out, "rrule", e.recurrence.rrule);
  for (const auto& t : sortedTimes(e.recurrence.exdates)) field(out, "exdate", t);
  for (const auto& t : sortedTimes(e.recurrence.rdates)) field(out, "rdate", t);
  field(out, "status", std::to_string(static_cast<int>(e.status)));
  field(out, "transp", std::to_string(static_cast<int>(e.transparency)));
  field(out, "class", std::to_string(static_cast<int>(e.privacy)));
  if (e.organizer) field(out, "organizer", lower(e.organizer->email) + "\x1f" + e.organizer->name);

  std::vector<std::string> attendees;
  for (const auto& a : e.attendees) {
    attendees.push_back(lower(a.person.email) + "\x1f" + a.person.name + "\x1f" +
                        std::to_string(static_cast<int>(a.role)) + "\x1f" +
                        std::to_string(static_cast<int>(a.status)) + "\x1f" + (a.rsvp ? "1" : "0"));
  }
  std::sort(attendees.begin(), attendees.end());
  for (const auto& a : attendees) field(out, "attendee", a);

  std::vector<std::string> categories;
  for (const auto& c : e.categories) categories.push_back(normalizeText(c));
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  for (const auto& c : categories) field(out, "category", c);

  std::vector<std::string> reminders;
  for (const auto& r : e.reminders) {
    reminders.push_back(std::to_string(r.offset_seconds) + (r.relative_to_end ? "E" : "S") + "\x1f" + r.action +
                        "\x1f" + normalizeText(r.description));
  }
  std::sort(reminders.begin(), reminders.end());
  for (const auto& r : reminders) field(out, "reminder", r);

  field(out, "url", e.url);

  std::vector<std::string> extras;
  for (const auto& x : e.extra_properties) extras.push_back(x.name + ";" + x.params + ":" + x.value);
  std::sort(extras.begin(), extras.end());
  for (const auto& x : extras) field(out, "x", x);
  return out;
}

std::string contentHash(const Event& event) { return sha256Hex(canonicalForm(event)); }

std::string contentHash(const CalendarObject& object) {
  std::vector<std::string> parts;
  for (const auto& c : object.components) parts.push_back(canonicalForm(c));
  // The master has no RECURRENCE-ID, so it sorts first; overrides follow in a fixed order.
  std::sort(parts.begin(), parts.end());
  std::string all;
  field(all, "origin", object.origin);
  for (const auto& p : parts) field(all, "component", p);
  return sha256Hex(all);
}

}  // namespace calsync
