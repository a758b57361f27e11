#include "ews_corpus.h"

#include <cstdio>

#include "core/date_time.h"

namespace calsync::bench {
namespace {

std::string utc(std::int64_t t) {
  DateTime d = epochToUtc(t);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, d.hour, d.minute, d.second);
  return buffer;
}

const char* kZones[] = {"W. Europe Standard Time", "Eastern Standard Time", "Tokyo Standard Time", "UTC"};
const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

}  // namespace

std::string makeEwsGetItemResponse(std::size_t items) {
  std::string xml;
  xml.reserve(items * 2600);
  xml += "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
         "<s:Header><h:ServerVersionInfo xmlns:h=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
         "MajorVersion=\"15\" MinorVersion=\"1\" MajorBuildNumber=\"2507\" MinorBuildNumber=\"6\" Version=\"V2017_07_11\"/>"
         "</s:Header><s:Body><m:GetItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
         "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:ResponseMessages>\n";
  const std::int64_t base = civilToEpoch(2026, 1, 5, 0, 0, 0);
  for (std::size_t i = 0; i < items; ++i) {
    const bool recurring = i % 5 == 0;
    const bool all_day = !recurring && i % 10 == 3;
    const bool meeting = i % 3 == 0;
    const char* zone = kZones[i % 4];
    const std::int64_t start = all_day ? base + static_cast<std::int64_t>(i % 400) * 86400 - 3600
                                       : base + static_cast<std::int64_t>(i % 400) * 86400 + (8 + i % 9) * 3600;
    const std::int64_t end = all_day ? start + 86400 : start + 1800 * (1 + i % 4);
    const std::string id = "AAMkADk4ZjM2NjM4LTExMmQtNDBhZi04YjE1LTIwZDIyZDM3NGYxNQBGAAAAAAB" + std::to_string(100000 + i) + "AAA=";
    xml += "<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>"
           "<t:CalendarItem><t:ItemId Id=\"" + id + "\" ChangeKey=\"DwAAABYAAAB" + std::to_string(i) + "\"/>"
           "<t:ParentFolderId Id=\"AAMkADk4ZjM2NjM4LTExMmQtNDBhZi04YjE1LTIwZDIyZDM3NGYxNQAuAAAAAAA\" ChangeKey=\"AQAAAA==\"/>"
           "<t:ItemClass>IPM.Appointment</t:ItemClass><t:Subject>";
    xml += recurring ? "Wöchentliche Abstimmung " : all_day ? "Betriebsausflug – Köln " : "Kundentermin ";
    xml += std::to_string(i) + "</t:Subject><t:Sensitivity>Normal</t:Sensitivity><t:Body BodyType=\"Text\">";
    for (int line = 0; line < 4; ++line) {
      xml += "Agenda Punkt " + std::to_string(line + 1) + ": Budget &amp; Planung für Q" + std::to_string(1 + i % 4) +
             ", bitte Unterlagen mitbringen &lt;Ordner 7&gt;.&#13;\n";
    }
    xml += "</t:Body><t:DateTimeReceived>2025-12-01T10:00:00Z</t:DateTimeReceived><t:Size>4096</t:Size>"
           "<t:Categories><t:String>Arbeit</t:String></t:Categories><t:Importance>Normal</t:Importance>"
           "<t:DateTimeCreated>2025-12-01T10:00:00Z</t:DateTimeCreated><t:ReminderIsSet>true</t:ReminderIsSet>"
           "<t:ReminderMinutesBeforeStart>15</t:ReminderMinutesBeforeStart><t:HasAttachments>false</t:HasAttachments>"
           "<t:LastModifiedTime>2025-12-02T11:00:00Z</t:LastModifiedTime>";
    xml += "<t:UID>040000008200E00074C5B7101A82E0080000000000000000000000000000000000000000100000000" + std::to_string(10000000 + i) +
           "</t:UID><t:Start>" + utc(start) + "</t:Start><t:End>" + utc(end) + "</t:End><t:IsAllDayEvent>" +
           (all_day ? "true" : "false") + "</t:IsAllDayEvent><t:LegacyFreeBusyStatus>" + (all_day ? "Free" : "Busy") +
           "</t:LegacyFreeBusyStatus><t:Location>Besprechungsraum " + std::to_string(i % 12) +
           " (3. OG)</t:Location><t:IsMeeting>" + (meeting ? "true" : "false") + "</t:IsMeeting>"
           "<t:IsCancelled>false</t:IsCancelled><t:IsRecurring>" + (recurring ? "true" : "false") +
           "</t:IsRecurring><t:CalendarItemType>" + (recurring ? "RecurringMaster" : "Single") + "</t:CalendarItemType>";
    if (meeting) {
      xml += "<t:Organizer><t:Mailbox><t:Name>Jürgen Müller</t:Name><t:EmailAddress>j.mueller@example.com</t:EmailAddress>"
             "<t:RoutingType>SMTP</t:RoutingType></t:Mailbox></t:Organizer><t:RequiredAttendees>";
      for (int a = 0; a < 3; ++a) {
        xml += "<t:Attendee><t:Mailbox><t:Name>Person " + std::to_string(a) + "</t:Name><t:EmailAddress>person" +
               std::to_string(a) + "@example.com</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType></t:Mailbox>"
               "<t:ResponseType>" + (a == 0 ? "Accept" : a == 1 ? "Tentative" : "NoResponseReceived") +
               "</t:ResponseType></t:Attendee>";
      }
      xml += "</t:RequiredAttendees>";
    }
    if (recurring) {
      xml += "<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>";
      DateTime d = epochToUtc(start);
      const std::int64_t days = start / 86400;
      const int weekday = static_cast<int>((days % 7 + 11) % 7);
      xml += std::string(kDays[weekday]) + "</t:DaysOfWeek><t:FirstDayOfWeek>Monday</t:FirstDayOfWeek></t:WeeklyRecurrence>"
             "<t:NumberedRecurrence><t:StartDate>";
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", d.year, d.month, d.day);
      xml += std::string(date) + "</t:StartDate><t:NumberOfOccurrences>20</t:NumberOfOccurrences></t:NumberedRecurrence>"
             "</t:Recurrence><t:FirstOccurrence><t:ItemId Id=\"" + id + "1\"/><t:Start>" + utc(start) + "</t:Start><t:End>" +
             utc(end) + "</t:End><t:OriginalStart>" + utc(start) + "</t:OriginalStart></t:FirstOccurrence>"
             "<t:ModifiedOccurrences><t:Occurrence><t:ItemId Id=\"" + id + "2\" ChangeKey=\"DwAAAB\"/><t:Start>" +
             utc(start + 8 * 86400) + "</t:Start><t:End>" + utc(end + 8 * 86400) + "</t:End><t:OriginalStart>" +
             utc(start + 7 * 86400) + "</t:OriginalStart></t:Occurrence></t:ModifiedOccurrences>"
             "<t:DeletedOccurrences><t:DeletedOccurrence><t:Start>" + utc(start + 14 * 86400) +
             "</t:Start></t:DeletedOccurrence></t:DeletedOccurrences>";
    }
    xml += std::string("<t:StartTimeZone Id=\"") + zone + "\" Name=\"" + zone + "\"/><t:EndTimeZone Id=\"" + zone +
           "\" Name=\"" + zone + "\"/></t:CalendarItem></m:Items></m:GetItemResponseMessage>\n";
  }
  xml += "</m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>\n";
  return xml;
}

}  // namespace calsync::bench
