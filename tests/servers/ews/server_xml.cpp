#include "server_xml.h"

#include <cstdio>

#include "core/date_time.h"

namespace calsync::testing::ews {
namespace {

const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

std::string el(const std::string& name, const std::string& value) { return "<t:" + name + ">" + esc(value) + "</t:" + name + ">"; }

bool wants(const Shape& shape, const std::string& field) { return shape.full || shape.fields.count(field) > 0; }

std::string mailboxXml(const Mailbox& mailbox) {
  return "<t:Mailbox>" + el("Name", mailbox.name) + el("EmailAddress", mailbox.email) + el("RoutingType", "SMTP") + "</t:Mailbox>";
}

std::string zoneXml(const char* element, const ItemSpec& spec) {
  if (!spec.custom_zone_xml.empty()) {
    std::string xml = spec.custom_zone_xml;
    const std::string open = "<t:TimeZoneDefinition", close = "</t:TimeZoneDefinition>";
    if (xml.rfind(open, 0) == 0) xml.replace(0, open.size(), std::string("<t:") + element);
    if (auto at = xml.rfind(close); at != std::string::npos) xml.replace(at, close.size(), std::string("</t:") + element + ">");
    return xml;
  }
  return std::string("<t:") + element + " Id=\"" + esc(spec.time_zone) + "\" Name=\"" + esc(spec.time_zone) + "\"/>";
}

std::string dateOf(std::int64_t local_seconds) {
  DateTime t = epochToUtc(local_seconds);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", t.year, t.month, t.day);
  return buffer;
}

// The fields shared by a master, a single item and an occurrence.
std::string body(const StoredItem& item, const Shape& shape, const std::string& id, const std::string& change_key,
                 const std::string& subject, const std::string& text, const std::string& location, std::int64_t start,
                 std::int64_t end, const char* type, const Instance* instance) {
  const ItemSpec& spec = item.spec;
  std::string xml = "<t:CalendarItem><t:ItemId Id=\"" + esc(id) + "\" ChangeKey=\"" + esc(change_key) + "\"/>";
  if (shape.full) xml += "<t:ParentFolderId Id=\"" + esc(item.folder_id) + "\"/>" + el("ItemClass", "IPM.Appointment");
  if (wants(shape, "item:Subject")) xml += el("Subject", subject);
  if (shape.full) xml += el("Sensitivity", spec.sensitivity);
  if (wants(shape, "item:Body") && (shape.full || shape.fields.count("item:Body"))) {
    xml += "<t:Body BodyType=\"Text\">" + esc(text) + "</t:Body>";
  }
  if (shape.full && !spec.categories.empty()) {
    xml += "<t:Categories>";
    for (const auto& c : spec.categories) xml += el("String", c);
    xml += "</t:Categories>";
  }
  if (shape.full) {
    xml += el("DateTimeCreated", utc(item.created)) + el("ReminderIsSet", spec.reminder_set ? "true" : "false") +
           el("ReminderMinutesBeforeStart", std::to_string(spec.reminder_minutes));
  }
  for (const auto& key : shape.extended) {
    auto found = item.extended.find(key);
    if (found == item.extended.end()) continue;
    auto slash = key.find('/');
    xml += "<t:ExtendedProperty><t:ExtendedFieldURI PropertySetId=\"" + esc(key.substr(0, slash)) + "\" PropertyName=\"" +
           esc(key.substr(slash + 1)) + "\" PropertyType=\"String\"/>" + el("Value", found->second) + "</t:ExtendedProperty>";
  }
  if (shape.full) xml += el("LastModifiedTime", utc(item.modified));
  if (wants(shape, "calendar:UID")) xml += el("UID", spec.uid);
  if (instance && wants(shape, "calendar:RecurrenceId")) xml += el("RecurrenceId", utc(instance->original_start));
  if (wants(shape, "calendar:Start")) xml += el("Start", utc(start));
  if (wants(shape, "calendar:End")) xml += el("End", utc(end));
  if (instance && shape.full) xml += el("OriginalStart", utc(instance->original_start));
  if (shape.full) {
    xml += el("IsAllDayEvent", spec.all_day ? "true" : "false") + el("LegacyFreeBusyStatus", spec.busy);
    if (!location.empty()) xml += el("Location", location);
    xml += el("IsMeeting", spec.required_attendees.empty() && spec.optional_attendees.empty() ? "false" : "true") +
           el("IsCancelled", spec.cancelled ? "true" : "false") + el("IsRecurring", instance ? "true" : "false");
  }
  if (wants(shape, "calendar:CalendarItemType")) xml += el("CalendarItemType", type);
  if (shape.full) {
    if (spec.organizer) xml += "<t:Organizer>" + mailboxXml(*spec.organizer) + "</t:Organizer>";
    auto attendees = [&](const char* name, const std::vector<Mailbox>& list) {
      if (list.empty()) return;
      xml += std::string("<t:") + name + ">";
      for (const auto& m : list) xml += "<t:Attendee>" + mailboxXml(m) + el("ResponseType", "Accept") + "</t:Attendee>";
      xml += std::string("</t:") + name + ">";
    };
    attendees("RequiredAttendees", spec.required_attendees);
    attendees("OptionalAttendees", spec.optional_attendees);
  }
  return xml;
}

}  // namespace

std::string esc(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#13;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string_view local(const pugi::xml_node& node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string nsOf(const pugi::xml_node& node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  std::string attribute = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  for (pugi::xml_node at = node; at; at = at.parent()) {
    if (pugi::xml_attribute a = at.attribute(attribute.c_str())) return a.value();
  }
  return {};
}

pugi::xml_node sub(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_element && local(n) == name) return n;
  }
  return {};
}

std::string subText(const pugi::xml_node& parent, std::string_view name) { return sub(parent, name).child_value(); }

std::string utc(std::int64_t instant) {
  DateTime t = epochToUtc(instant);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
  return buffer;
}

std::optional<std::int64_t> parseInstant(const std::string& text) {
  int y, mo, d, h, mi, s;
  char tail[16] = {0};
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%15s", &y, &mo, &d, &h, &mi, &s, tail) < 6) return std::nullopt;
  std::int64_t value = civilToEpoch(y, mo, d, h, mi, s);
  std::string zone = tail;
  if (!zone.empty() && zone[0] == '.') zone = zone.substr(zone.find_first_not_of("0123456789", 1) == std::string::npos
                                                              ? zone.size()
                                                              : zone.find_first_not_of("0123456789", 1));
  if (zone.empty() || zone == "Z") return value;
  int oh = 0, om = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && std::sscanf(zone.c_str() + 1, "%2d:%2d", &oh, &om) == 2) {
    std::int64_t offset = oh * 3600 + om * 60;
    return zone[0] == '+' ? value - offset : value + offset;
  }
  return std::nullopt;
}

Shape readShape(const pugi::xml_node& item_shape) {
  Shape shape;
  shape.full = subText(item_shape, "BaseShape") != "IdOnly";
  for (pugi::xml_node field : sub(item_shape, "AdditionalProperties").children()) {
    if (local(field) == "FieldURI") shape.fields.insert(field.attribute("FieldURI").value());
    if (local(field) == "ExtendedFieldURI") {
      std::string set = field.attribute("PropertySetId").value();
      for (auto& c : set) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      shape.extended.insert(set + "/" + field.attribute("PropertyName").value());
    }
  }
  return shape;
}

std::string itemXml(const StoredItem& item, const Shape& shape) {
  const ItemSpec& spec = item.spec;
  const bool recurring = spec.recurrence.has_value();
  std::string xml = body(item, shape, item.id, item.change_key, spec.subject, spec.body, spec.location, spec.start, spec.end,
                         recurring ? "RecurringMaster" : "Single", nullptr);
  if (recurring && (shape.full || shape.fields.count("calendar:Recurrence"))) {
    const std::string zone = spec.custom_zone_xml.empty() ? spec.time_zone : "UTC";
    xml += "<t:Recurrence>" + patternXml(*spec.recurrence, dateOf(spec.start + zoneOffset(zone, spec.start))) + "</t:Recurrence>";
  }
  if (recurring && (shape.full || shape.fields.count("calendar:ModifiedOccurrences"))) {
    auto instances = expandSeries(item, INT64_MAX / 2);
    std::string modified, deleted;
    for (const auto& instance : instances) {
      if (instance.deleted) {
        deleted += "<t:DeletedOccurrence>" + el("Start", utc(instance.original_start)) + "</t:DeletedOccurrence>";
      } else if (instance.modified) {
        modified += "<t:Occurrence><t:ItemId Id=\"" + esc(occurrenceId(item.id, instance.index)) + "\" ChangeKey=\"" +
                    esc(item.change_key) + "\"/>" + el("Start", utc(instance.start)) + el("End", utc(instance.end)) +
                    el("OriginalStart", utc(instance.original_start)) + "</t:Occurrence>";
      }
    }
    if (!modified.empty()) xml += "<t:ModifiedOccurrences>" + modified + "</t:ModifiedOccurrences>";
    if (!deleted.empty()) xml += "<t:DeletedOccurrences>" + deleted + "</t:DeletedOccurrences>";
  }
  if (shape.full || shape.fields.count("calendar:StartTimeZone")) xml += zoneXml("StartTimeZone", spec);
  if (shape.full || shape.fields.count("calendar:EndTimeZone")) xml += zoneXml("EndTimeZone", spec);
  return xml + "</t:CalendarItem>";
}

std::string instanceXml(const StoredItem& master, const Instance& instance, const Shape& shape) {
  const ItemSpec& spec = master.spec;
  std::string subject = spec.subject, text = spec.body, location = spec.location;
  if (auto edit = master.exceptions.find(instance.index); edit != master.exceptions.end()) {
    if (edit->second.subject) subject = *edit->second.subject;
    if (edit->second.body) text = *edit->second.body;
    if (edit->second.location) location = *edit->second.location;
  }
  std::string xml = body(master, shape, occurrenceId(master.id, instance.index), master.change_key, subject, text, location,
                         instance.start, instance.end, instance.modified ? "Exception" : "Occurrence", &instance);
  if (shape.full || shape.fields.count("calendar:StartTimeZone")) xml += zoneXml("StartTimeZone", spec);
  if (shape.full || shape.fields.count("calendar:EndTimeZone")) xml += zoneXml("EndTimeZone", spec);
  return xml + "</t:CalendarItem>";
}

std::string patternXml(const Pattern& p, const std::string& start_date) {
  std::string xml;
  auto days = [&] {
    std::string list;
    for (const auto& d : p.days) list += (list.empty() ? "" : " ") + d;
    return list;
  };
  switch (p.kind) {
    case Pattern::Kind::Daily: xml = "<t:DailyRecurrence>" + el("Interval", std::to_string(p.interval)) + "</t:DailyRecurrence>"; break;
    case Pattern::Kind::Weekly:
      xml = "<t:WeeklyRecurrence>" + el("Interval", std::to_string(p.interval)) + el("DaysOfWeek", days()) +
            el("FirstDayOfWeek", p.first_day_of_week) + "</t:WeeklyRecurrence>";
      break;
    case Pattern::Kind::AbsoluteMonthly:
      xml = "<t:AbsoluteMonthlyRecurrence>" + el("Interval", std::to_string(p.interval)) +
            el("DayOfMonth", std::to_string(p.day_of_month)) + "</t:AbsoluteMonthlyRecurrence>";
      break;
    case Pattern::Kind::RelativeMonthly:
      xml = "<t:RelativeMonthlyRecurrence>" + el("Interval", std::to_string(p.interval)) + el("DaysOfWeek", days()) +
            el("DayOfWeekIndex", p.day_index) + "</t:RelativeMonthlyRecurrence>";
      break;
    case Pattern::Kind::AbsoluteYearly:
      xml = "<t:AbsoluteYearlyRecurrence>" + el("DayOfMonth", std::to_string(p.day_of_month)) +
            el("Month", kMonths[(p.month + 11) % 12]) + "</t:AbsoluteYearlyRecurrence>";
      break;
    case Pattern::Kind::RelativeYearly:
      xml = "<t:RelativeYearlyRecurrence>" + el("DaysOfWeek", days()) + el("DayOfWeekIndex", p.day_index) +
            el("Month", kMonths[(p.month + 11) % 12]) + "</t:RelativeYearlyRecurrence>";
      break;
  }
  switch (p.range) {
    case Pattern::Range::NoEnd: xml += "<t:NoEndRecurrence>" + el("StartDate", start_date) + "</t:NoEndRecurrence>"; break;
    case Pattern::Range::EndDate:
      xml += "<t:EndDateRecurrence>" + el("StartDate", start_date) + el("EndDate", p.end_date) + "</t:EndDateRecurrence>";
      break;
    case Pattern::Range::Numbered:
      xml += "<t:NumberedRecurrence>" + el("StartDate", start_date) + el("NumberOfOccurrences", std::to_string(p.count)) +
             "</t:NumberedRecurrence>";
      break;
  }
  return xml;
}

std::optional<Pattern> readPattern(const pugi::xml_node& recurrence, std::string& error) {
  Pattern p;
  bool have_pattern = false, have_range = false;
  auto number = [&](const pugi::xml_node& node, const char* name, int& out) {
    try {
      out = std::stoi(subText(node, name));
      return true;
    } catch (const std::exception&) {
      error = std::string("bad ") + name;
      return false;
    }
  };
  auto month = [&](const pugi::xml_node& node) {
    std::string name = subText(node, "Month");
    for (int i = 0; i < 12; ++i) {
      if (name == kMonths[i]) return i + 1;
    }
    error = "bad Month";
    return 0;
  };
  auto split = [](const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
      auto next = text.find(' ', at);
      if (next == std::string::npos) next = text.size();
      if (next > at) out.push_back(text.substr(at, next - at));
      at = next + 1;
    }
    return out;
  };
  for (pugi::xml_node node = recurrence.first_child(); node; node = node.next_sibling()) {
    std::string_view name = local(node);
    if (name == "DailyRecurrence") {
      p.kind = Pattern::Kind::Daily;
      if (!number(node, "Interval", p.interval)) return std::nullopt;
      have_pattern = true;
    } else if (name == "WeeklyRecurrence") {
      p.kind = Pattern::Kind::Weekly;
      if (!number(node, "Interval", p.interval)) return std::nullopt;
      p.days = split(subText(node, "DaysOfWeek"));
      if (!subText(node, "FirstDayOfWeek").empty()) p.first_day_of_week = subText(node, "FirstDayOfWeek");
      have_pattern = true;
    } else if (name == "AbsoluteMonthlyRecurrence") {
      p.kind = Pattern::Kind::AbsoluteMonthly;
      if (!number(node, "Interval", p.interval) || !number(node, "DayOfMonth", p.day_of_month)) return std::nullopt;
      have_pattern = true;
    } else if (name == "RelativeMonthlyRecurrence") {
      p.kind = Pattern::Kind::RelativeMonthly;
      if (!number(node, "Interval", p.interval)) return std::nullopt;
      p.days = {subText(node, "DaysOfWeek")};
      p.day_index = subText(node, "DayOfWeekIndex");
      have_pattern = true;
    } else if (name == "AbsoluteYearlyRecurrence") {
      p.kind = Pattern::Kind::AbsoluteYearly;
      if (!number(node, "DayOfMonth", p.day_of_month) || !(p.month = month(node))) return std::nullopt;
      have_pattern = true;
    } else if (name == "RelativeYearlyRecurrence") {
      p.kind = Pattern::Kind::RelativeYearly;
      p.days = {subText(node, "DaysOfWeek")};
      p.day_index = subText(node, "DayOfWeekIndex");
      if (!(p.month = month(node))) return std::nullopt;
      have_pattern = true;
    } else if (name == "NoEndRecurrence") {
      p.range = Pattern::Range::NoEnd;
      have_range = true;
    } else if (name == "EndDateRecurrence") {
      p.range = Pattern::Range::EndDate;
      p.end_date = subText(node, "EndDate").substr(0, 10);
      have_range = true;
    } else if (name == "NumberedRecurrence") {
      p.range = Pattern::Range::Numbered;
      if (!number(node, "NumberOfOccurrences", p.count)) return std::nullopt;
      have_range = true;
    } else if (node.type() == pugi::node_element) {
      error = "unknown recurrence element " + std::string(name);
      return std::nullopt;
    }
  }
  if (!have_pattern || !have_range) {
    error = "a recurrence needs a pattern and a range";
    return std::nullopt;
  }
  if (p.interval < 1 || p.interval > 999) {
    error = "Interval out of range";
    return std::nullopt;
  }
  return p;
}

}  // namespace calsync::testing::ews
