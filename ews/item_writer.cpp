#include "ews/item_writer.h"

#include <algorithm>

#include "core/errors.h"
#include "core/log.h"
#include "ews/ews_time.h"
#include "ews/recurrence_map.h"
#include "ews/soap_xml.h"

namespace calsync::ews {
namespace {

std::string element(const std::string& name, const std::string& value) {
  return "<t:" + name + ">" + escape(value) + "</t:" + name + ">";
}

std::string sensitivity(PrivacyClass privacy) {
  switch (privacy) {
    case PrivacyClass::Private: return "Private";
    case PrivacyClass::Confidential: return "Confidential";
    case PrivacyClass::Public: break;
  }
  return "Normal";
}

std::string busyStatus(const Event& event) {
  for (const auto& extra : event.extra_properties) {
    if (extra.name != "X-MICROSOFT-CDO-BUSYSTATUS") continue;
    if (extra.value == "FREE") return "Free";
    if (extra.value == "TENTATIVE") return "Tentative";
    if (extra.value == "OOF") return "OOF";
    if (extra.value == "WORKINGELSEWHERE") return "WorkingElsewhere";
    if (extra.value == "BUSY") return "Busy";
  }
  return event.transparency == Transparency::Transparent ? "Free" : "Busy";
}

std::optional<std::int64_t> reminderMinutes(const Event& event) {
  for (const auto& reminder : event.reminders) {
    if (!reminder.relative_to_end && reminder.offset_seconds <= 0) return -reminder.offset_seconds / 60;
  }
  return std::nullopt;
}

std::string originPropertyXml(const std::string& origin) {
  return std::string("<t:ExtendedProperty><t:ExtendedFieldURI PropertySetId=\"") + kCalsyncPropertySet +
         "\" PropertyName=\"" + kOriginPropertyName + "\" PropertyType=\"String\"/>" + element("Value", origin) +
         "</t:ExtendedProperty>";
}

// The Windows zone to name for a time, and whether the wall time had to be read elsewhere.
std::string zoneIdFor(const DateTime& value, const WriteZones& zones) {
  if (value.is_date || value.isFloating()) return windowsIdFor(zones.all_day->tzid()).value_or("UTC");
  if (auto id = windowsIdFor(value.tzid)) return *id;
  // A custom VTIMEZONE: the instants are right; recurrence across DST will follow UTC.
  log::info("ews", "zone '" + value.tzid + "' has no Windows id; writing the event in UTC");
  return "UTC";
}

struct Times {
  std::string start, end, start_zone, end_zone;
  bool all_day = false;
};

Times timesOf(const Event& event, const WriteZones& zones) {
  Times times;
  times.all_day = event.isAllDay();
  std::int64_t start = instantOf(event.start, zones);
  std::int64_t end = instantOf(event.end, zones);
  if (end < start) throw ConnectorError(ErrorKind::BadData, "event ends before it starts");
  if (times.all_day && end == start) end = start + 86400;
  times.start = formatUtc(start);
  times.end = formatUtc(end);
  times.start_zone = zoneIdFor(event.start, zones);
  times.end_zone = zoneIdFor(event.end, zones);
  return times;
}

std::string recurrenceXml(const Event& master, const WriteZones& zones) {
  if (!master.recurrence.rdates.empty()) {
    throw ConnectorError(ErrorKind::BadData, "a series with RDATEs cannot be written to Exchange");
  }
  std::shared_ptr<const Zone> zone =
      master.start.is_date || master.start.isFloating() ? zones.all_day : zoneForTzid(master.start.tzid);
  if (!zone) zone = Zone::utc();
  DateTime first = master.start;
  if (!master.start.is_date && zone->tzid() != master.start.tzid) first = zone->wallTime(instantOf(master.start, zones));
  return recurrenceFromRrule(master.recurrence.rrule, first, *zone);
}

std::string setField(const std::string& uri, const std::string& value_xml) {
  return "<t:SetItemField><t:FieldURI FieldURI=\"" + uri + "\"/><t:CalendarItem>" + value_xml +
         "</t:CalendarItem></t:SetItemField>";
}

std::string deleteField(const std::string& uri) {
  return "<t:DeleteItemField><t:FieldURI FieldURI=\"" + uri + "\"/></t:DeleteItemField>";
}

std::string categoriesXml(const Event& event) {
  std::string xml = "<t:Categories>";
  for (const auto& category : event.categories) xml += element("String", category);
  return xml + "</t:Categories>";
}

// The fields an occurrence and a master share, as SetItemField/DeleteItemField updates.
std::string commonUpdates(const Event& event, const Times& times) {
  std::string xml;
  xml += setField("item:Subject", element("Subject", event.summary));
  xml += setField("item:Body", "<t:Body BodyType=\"Text\">" + escape(event.description) + "</t:Body>");
  xml += setField("calendar:Start", element("Start", times.start));
  xml += setField("calendar:End", element("End", times.end));
  xml += setField("calendar:IsAllDayEvent", element("IsAllDayEvent", times.all_day ? "true" : "false"));
  xml += setField("calendar:LegacyFreeBusyStatus", element("LegacyFreeBusyStatus", busyStatus(event)));
  xml += event.location.empty() ? deleteField("calendar:Location") : setField("calendar:Location", element("Location", event.location));
  return xml;
}

}  // namespace

std::int64_t instantOf(const DateTime& value, const WriteZones& zones) {
  if (value.is_date || value.isFloating()) {
    return zones.all_day->toUtc(value.year, value.month, value.day, value.hour, value.minute, value.second);
  }
  if (value.utc) return *value.utc;
  if (auto zone = zoneForTzid(value.tzid)) {
    return zone->toUtc(value.year, value.month, value.day, value.hour, value.minute, value.second);
  }
  throw ConnectorError(ErrorKind::BadData, "time in unknown zone '" + value.tzid + "'");
}

std::string calendarItemXml(const Event& master, const std::string& uid, const std::string& origin,
                            const WriteZones& zones) {
  const Times times = timesOf(master, zones);
  std::string xml = "<t:CalendarItem>";
  xml += element("Subject", master.summary);
  xml += element("Sensitivity", sensitivity(master.privacy));
  xml += "<t:Body BodyType=\"Text\">" + escape(master.description) + "</t:Body>";
  if (!master.categories.empty()) xml += categoriesXml(master);
  auto reminder = reminderMinutes(master);
  xml += element("ReminderIsSet", reminder ? "true" : "false");
  if (reminder) xml += element("ReminderMinutesBeforeStart", std::to_string(*reminder));
  if (!origin.empty()) xml += originPropertyXml(origin);
  xml += element("UID", uid);
  xml += element("Start", times.start);
  xml += element("End", times.end);
  xml += element("IsAllDayEvent", times.all_day ? "true" : "false");
  xml += element("LegacyFreeBusyStatus", busyStatus(master));
  if (!master.location.empty()) xml += element("Location", master.location);
  if (master.isRecurring()) xml += recurrenceXml(master, zones);
  xml += "<t:StartTimeZone Id=\"" + escape(times.start_zone) + "\"/>";
  xml += "<t:EndTimeZone Id=\"" + escape(times.end_zone) + "\"/>";
  return xml + "</t:CalendarItem>";
}

std::string masterChangeXml(const ItemRef& ref, const Event& master, const std::string& origin,
                            RecurrenceUpdate recurrence, const WriteZones& zones) {
  const Times times = timesOf(master, zones);
  std::string xml = "<t:ItemChange><t:ItemId Id=\"" + escape(ref.id) + "\" ChangeKey=\"" + escape(ref.change_key) +
                    "\"/><t:Updates>";
  xml += commonUpdates(master, times);
  xml += setField("item:Sensitivity", element("Sensitivity", sensitivity(master.privacy)));
  xml += master.categories.empty() ? deleteField("item:Categories") : setField("item:Categories", categoriesXml(master));
  auto reminder = reminderMinutes(master);
  xml += setField("item:ReminderIsSet", element("ReminderIsSet", reminder ? "true" : "false"));
  if (reminder) xml += setField("item:ReminderMinutesBeforeStart", element("ReminderMinutesBeforeStart", std::to_string(*reminder)));
  if (!origin.empty()) {
    xml += std::string("<t:SetItemField><t:ExtendedFieldURI PropertySetId=\"") + kCalsyncPropertySet + "\" PropertyName=\"" +
           kOriginPropertyName + "\" PropertyType=\"String\"/><t:CalendarItem>" + originPropertyXml(origin) +
           "</t:CalendarItem></t:SetItemField>";
  }
  if (recurrence == RecurrenceUpdate::Set) xml += setField("calendar:Recurrence", recurrenceXml(master, zones));
  if (recurrence == RecurrenceUpdate::Remove) xml += deleteField("calendar:Recurrence");
  xml += setField("calendar:StartTimeZone", "<t:StartTimeZone Id=\"" + escape(times.start_zone) + "\"/>");
  xml += setField("calendar:EndTimeZone", "<t:EndTimeZone Id=\"" + escape(times.end_zone) + "\"/>");
  return xml + "</t:Updates></t:ItemChange>";
}

std::string occurrenceIdXml(const std::string& master_id, int instance_index) {
  return "<t:OccurrenceItemId RecurringMasterId=\"" + escape(master_id) + "\" InstanceIndex=\"" +
         std::to_string(instance_index) + "\"/>";
}

std::string occurrenceChangeXml(const std::string& master_id, int instance_index, const Event& occurrence,
                                const WriteZones& zones) {
  const Times times = timesOf(occurrence, zones);
  return "<t:ItemChange>" + occurrenceIdXml(master_id, instance_index) + "<t:Updates>" + commonUpdates(occurrence, times) +
         "</t:Updates></t:ItemChange>";
}

}  // namespace calsync::ews
