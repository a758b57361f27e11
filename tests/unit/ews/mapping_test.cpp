// EWS CalendarItem XML -> the model, on the cases that go wrong in practice: a series with a
// moved and a deleted occurrence across a DST change, all-day events in a zone east of UTC,
// a custom (non-Windows) time zone, non-ASCII text and a 1 MB body.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/hash.h"
#include "ews/item_reader.h"
#include "ews/item_writer.h"
#include "ews/soap_xml.h"
#include "ical/ical_codec.h"

namespace calsync::ews {
namespace {

const std::string kOpen =
    "<t:Items xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">";
const std::string kClose = "</t:Items>";

EwsItem read(const std::string& calendar_item_xml) {
  pugi::xml_document doc;
  std::string text = kOpen + calendar_item_xml + kClose;
  EXPECT_FALSE(parseUntrusted(text, doc).has_value());
  return readCalendarItem(doc.document_element().first_child());
}

const std::string kBerlin = "<t:StartTimeZone Id=\"W. Europe Standard Time\" Name=\"(UTC+01:00) Amsterdam, Berlin\"/>"
                            "<t:EndTimeZone Id=\"W. Europe Standard Time\" Name=\"(UTC+01:00) Amsterdam, Berlin\"/>";

// A weekly Monday 09:00 Berlin series of 8 from 2025-03-03: the 2nd occurrence moved to
// Tuesday 11:00, the 3rd deleted; Europe changes to summer time on 2025-03-30.
const std::string kMaster =
    "<t:CalendarItem><t:ItemId Id=\"AAMkMaster=\" ChangeKey=\"CK1\"/><t:Subject>Stand-up</t:Subject>"
    "<t:Body BodyType=\"Text\">Daily notes</t:Body>"
    "<t:UID>040000008200E00074C5B7101A82E00800000000AAAABBBBCCCCDDDD0000000000000000100000001234</t:UID>"
    "<t:Start>2025-03-03T08:00:00Z</t:Start><t:End>2025-03-03T08:30:00Z</t:End>"
    "<t:IsAllDayEvent>false</t:IsAllDayEvent><t:LegacyFreeBusyStatus>Busy</t:LegacyFreeBusyStatus>"
    "<t:Location>Room 1</t:Location><t:CalendarItemType>RecurringMaster</t:CalendarItemType>"
    "<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek>"
    "<t:FirstDayOfWeek>Monday</t:FirstDayOfWeek></t:WeeklyRecurrence>"
    "<t:NumberedRecurrence><t:StartDate>2025-03-03+01:00</t:StartDate><t:NumberOfOccurrences>8</t:NumberOfOccurrences>"
    "</t:NumberedRecurrence></t:Recurrence>"
    "<t:ModifiedOccurrences><t:Occurrence><t:ItemId Id=\"AAMkOcc2=\" ChangeKey=\"CK1\"/>"
    "<t:Start>2025-03-11T10:00:00Z</t:Start><t:End>2025-03-11T10:30:00Z</t:End>"
    "<t:OriginalStart>2025-03-10T08:00:00Z</t:OriginalStart></t:Occurrence></t:ModifiedOccurrences>"
    "<t:DeletedOccurrences><t:DeletedOccurrence><t:Start>2025-03-17T08:00:00Z</t:Start></t:DeletedOccurrence>"
    "</t:DeletedOccurrences>" +
    kBerlin + "</t:CalendarItem>";

const std::string kException =
    "<t:CalendarItem><t:ItemId Id=\"AAMkOcc2=\" ChangeKey=\"CK1\"/><t:Subject>Stand-up (moved)</t:Subject>"
    "<t:UID>040000008200E00074C5B7101A82E00800000000AAAABBBBCCCCDDDD0000000000000000100000001234</t:UID>"
    "<t:RecurrenceId>2025-03-10T08:00:00Z</t:RecurrenceId>"
    "<t:Start>2025-03-11T10:00:00Z</t:Start><t:End>2025-03-11T10:30:00Z</t:End>"
    "<t:CalendarItemType>Exception</t:CalendarItemType>" +
    kBerlin + "</t:CalendarItem>";

TEST(EwsMapping, SeriesWithMovedAndDeletedOccurrencesBecomesMasterExdateAndOverride) {
  EwsItem master = read(kMaster);
  EwsItem exception = read(kException);
  ASSERT_EQ(master.kind, ItemKind::RecurringMaster);
  ASSERT_EQ(exception.kind, ItemKind::Exception);
  CalendarObject object = assembleObject(master, {exception});

  EXPECT_EQ(object.native_id, "AAMkMaster=");
  EXPECT_EQ(object.etag, "CK1");
  ASSERT_EQ(object.components.size(), 2u);
  const Event& head = object.components[0];
  EXPECT_EQ(head.recurrence.rrule, "FREQ=WEEKLY;BYDAY=MO;COUNT=8");
  EXPECT_EQ(head.start.tzid, "Europe/Berlin");
  EXPECT_EQ(head.start.hour, 9);
  ASSERT_EQ(head.recurrence.exdates.size(), 1u);
  EXPECT_EQ(head.recurrence.exdates[0].tzid, "Europe/Berlin");
  EXPECT_EQ(head.recurrence.exdates[0].toIcalValue(), "20250317T090000");
  const Event& moved = object.components[1];
  ASSERT_TRUE(moved.recurrence_id.has_value());
  EXPECT_EQ(moved.recurrence_id->toIcalValue(), "20250310T090000");
  EXPECT_EQ(moved.uid, object.uid);
  EXPECT_EQ(moved.summary, "Stand-up (moved)");
  EXPECT_EQ(moved.start.hour, 11);

  // Expanded: 8 - 1 deleted = 7 occurrences; the moved one on Tuesday; after the DST change
  // on 30 March the wall time stays 09:00, i.e. 07:00 UTC.
  auto occurrences = ical::expand(object, Window{civilToEpoch(2025, 1, 1, 0, 0, 0), civilToEpoch(2026, 1, 1, 0, 0, 0)});
  ASSERT_EQ(occurrences.size(), 7u);
  EXPECT_EQ(occurrences[1].start_utc, civilToEpoch(2025, 3, 11, 10, 0, 0));
  EXPECT_EQ(occurrences[2].start_utc, civilToEpoch(2025, 3, 24, 8, 0, 0));
  EXPECT_EQ(occurrences[3].start_utc, civilToEpoch(2025, 3, 31, 7, 0, 0));
  EXPECT_EQ(object.span_start_utc, civilToEpoch(2025, 3, 3, 8, 0, 0));
}

TEST(EwsMapping, ReadingIsDeterministicSoHashesAreStable) {
  CalendarObject a = assembleObject(read(kMaster), {read(kException)});
  CalendarObject b = assembleObject(read(kMaster), {read(kException)});
  EXPECT_EQ(contentHash(a), contentHash(b));
}

TEST(EwsMapping, AllDayEventIsADateInItsCreationZone) {
  // Created in Berlin in May (UTC+2): midnight local is 22:00 UTC the day before.
  EwsItem item = read(
      "<t:CalendarItem><t:ItemId Id=\"AAMkDay=\" ChangeKey=\"CK\"/><t:Subject>Holiday</t:Subject><t:UID>day@x</t:UID>"
      "<t:Start>2025-05-01T22:00:00Z</t:Start><t:End>2025-05-02T22:00:00Z</t:End><t:IsAllDayEvent>true</t:IsAllDayEvent>"
      "<t:LegacyFreeBusyStatus>Free</t:LegacyFreeBusyStatus><t:CalendarItemType>Single</t:CalendarItemType>" +
      kBerlin + "</t:CalendarItem>");
  CalendarObject object = assembleObject(item, {});
  const Event& e = object.components[0];
  EXPECT_TRUE(e.start.is_date);
  EXPECT_EQ(e.start.toIcalValue(), "20250502");
  EXPECT_EQ(e.end.toIcalValue(), "20250503");
  EXPECT_EQ(e.transparency, Transparency::Transparent);
}

// A zone no Windows id names: only its periods and transitions say what it is.
const std::string kCustomZone =
    "<t:StartTimeZone Id=\"tzone://Microsoft/Custom\" Name=\"Customized Time Zone\">"
    "<t:Periods><t:Period Bias=\"-PT60M\" Name=\"Standard\" Id=\"std\"/><t:Period Bias=\"-PT120M\" Name=\"Daylight\" Id=\"dlt\"/>"
    "</t:Periods><t:TransitionsGroups><t:TransitionsGroup Id=\"0\">"
    "<t:RecurringDayTransition><t:To Kind=\"Period\">std</t:To><t:TimeOffset>PT180M</t:TimeOffset><t:Month>10</t:Month>"
    "<t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>"
    "<t:RecurringDayTransition><t:To Kind=\"Period\">dlt</t:To><t:TimeOffset>PT120M</t:TimeOffset><t:Month>3</t:Month>"
    "<t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>"
    "</t:TransitionsGroup></t:TransitionsGroups>"
    "<t:Transitions><t:Transition><t:To Kind=\"Group\">0</t:To></t:Transition></t:Transitions></t:StartTimeZone>";

TEST(EwsMapping, CustomTimeZoneIsKeptAsAVtimezoneThatResolvesToTheSameInstants) {
  EwsItem item = read(
      "<t:CalendarItem><t:ItemId Id=\"AAMkCustom=\" ChangeKey=\"CK\"/><t:Subject>Custom</t:Subject><t:UID>custom@x</t:UID>"
      "<t:Start>2025-07-01T10:00:00Z</t:Start><t:End>2025-07-01T11:00:00Z</t:End>"
      "<t:CalendarItemType>RecurringMaster</t:CalendarItemType>"
      "<t:Recurrence><t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence>"
      "<t:EndDateRecurrence><t:StartDate>2025-07-01</t:StartDate><t:EndDate>2025-12-31</t:EndDate></t:EndDateRecurrence>"
      "</t:Recurrence>" +
      kCustomZone + "</t:CalendarItem>");
  CalendarObject object = assembleObject(item, {});
  const Event& e = object.components[0];
  EXPECT_EQ(e.start.tzid, "Customized Time Zone");
  EXPECT_EQ(e.start.hour, 12);  // summer: UTC+2
  ASSERT_EQ(object.vtimezones.size(), 1u);
  EXPECT_NE(object.vtimezones[0].find("TZID:Customized Time Zone"), std::string::npos);
  EXPECT_EQ(object.span_start_utc, civilToEpoch(2025, 7, 1, 10, 0, 0));
  // The UNTIL is the end of 31 December in that zone (UTC+1 in winter).
  EXPECT_EQ(e.recurrence.rrule, "FREQ=DAILY;UNTIL=20251231T225959Z");

  // After the October switch the series keeps 12:00 local, now 11:00 UTC; through iCalendar
  // text and back (what the master stores) the instants stay the same.
  auto reparsed = ical::parse(ical::serialize(object));
  ASSERT_EQ(reparsed.objects.size(), 1u);
  auto occurrences = ical::expand(reparsed.objects[0], Window{civilToEpoch(2025, 11, 3, 0, 0, 0), civilToEpoch(2025, 11, 4, 0, 0, 0)});
  ASSERT_EQ(occurrences.size(), 1u);
  EXPECT_EQ(occurrences[0].start_utc, civilToEpoch(2025, 11, 3, 11, 0, 0));
}

TEST(EwsMapping, IanaZoneIdIsAcceptedAsIs) {
  EwsItem item = read(
      "<t:CalendarItem><t:ItemId Id=\"AAMkIana=\" ChangeKey=\"CK\"/><t:UID>iana@x</t:UID>"
      "<t:Start>2025-01-10T08:00:00Z</t:Start><t:End>2025-01-10T09:00:00Z</t:End>"
      "<t:CalendarItemType>Single</t:CalendarItemType><t:StartTimeZone Id=\"Europe/Copenhagen\"/></t:CalendarItem>");
  EXPECT_EQ(item.event.start.tzid, "Europe/Copenhagen");
  EXPECT_EQ(item.event.start.hour, 9);
}

TEST(EwsMapping, NonAsciiTextAndMarkupSurviveExactly) {
  EwsItem item = read(
      "<t:CalendarItem><t:ItemId Id=\"AAMkText=\" ChangeKey=\"CK\"/>"
      "<t:Subject>Grüße – 会議 🎉</t:Subject><t:Body BodyType=\"Text\">a &lt;b&gt; &amp; &quot;c&quot;&#13;\nzweite Zeile</t:Body>"
      "<t:UID>text@x</t:UID><t:Location>Köln, Raum „Ü“</t:Location>"
      "<t:Start>2025-01-10T08:00:00Z</t:Start><t:End>2025-01-10T09:00:00Z</t:End>"
      "<t:CalendarItemType>Single</t:CalendarItemType>"
      "<t:Categories><t:String>Büro</t:String></t:Categories></t:CalendarItem>");
  EXPECT_EQ(item.event.summary, "Grüße – 会議 🎉");
  EXPECT_EQ(item.event.description, "a <b> & \"c\"\r\nzweite Zeile");
  EXPECT_EQ(item.event.location, "Köln, Raum „Ü“");
  ASSERT_EQ(item.event.categories.size(), 1u);
  EXPECT_EQ(item.event.categories[0], "Büro");
  EXPECT_EQ(item.event.start.tzid, "UTC");  // no zone given: UTC
}

TEST(EwsMapping, OneMegabyteBodyIsReadWhole) {
  std::string body;
  while (body.size() < (1u << 20)) body += "Zeile mit Ümlauten & <Zeichen> ";
  EwsItem item = read("<t:CalendarItem><t:ItemId Id=\"AAMkBig=\" ChangeKey=\"CK\"/><t:Body BodyType=\"Text\">" + escape(body) +
                      "</t:Body><t:UID>big@x</t:UID><t:Start>2025-01-10T08:00:00Z</t:Start>"
                      "<t:End>2025-01-10T09:00:00Z</t:End><t:CalendarItemType>Single</t:CalendarItemType></t:CalendarItem>");
  EXPECT_EQ(item.event.description.size(), body.size());
  EXPECT_EQ(item.event.description, body);
}

TEST(EwsMapping, OriginMarkerAttendeesAndReminderAreRead) {
  EwsItem item = read(std::string(
      "<t:CalendarItem><t:ItemId Id=\"AAMkMeet=\" ChangeKey=\"CK\"/><t:Subject>Review</t:Subject>"
      "<t:ReminderIsSet>true</t:ReminderIsSet><t:ReminderMinutesBeforeStart>10</t:ReminderMinutesBeforeStart>"
      "<t:ExtendedProperty><t:ExtendedFieldURI PropertySetId=\"3D7B0F2E-6C1A-4F55-9B8E-2A61C4D9E7F3\" "
      "PropertyName=\"CalsyncOrigin\" PropertyType=\"String\"/><t:Value>calsync:a/b/c/u</t:Value></t:ExtendedProperty>"
      "<t:UID>meet@x</t:UID><t:Start>2025-01-10T08:00:00Z</t:Start><t:End>2025-01-10T09:00:00Z</t:End>"
      "<t:IsCancelled>true</t:IsCancelled><t:CalendarItemType>Single</t:CalendarItemType>"
      "<t:Organizer><t:Mailbox><t:Name>Ann</t:Name><t:EmailAddress>ann@example.com</t:EmailAddress></t:Mailbox></t:Organizer>"
      "<t:RequiredAttendees><t:Attendee><t:Mailbox><t:Name>Bob</t:Name><t:EmailAddress>bob@example.com</t:EmailAddress>"
      "</t:Mailbox><t:ResponseType>Decline</t:ResponseType></t:Attendee></t:RequiredAttendees></t:CalendarItem>"));
  EXPECT_EQ(item.origin, "calsync:a/b/c/u");
  EXPECT_EQ(item.event.status, EventStatus::Cancelled);
  ASSERT_TRUE(item.event.organizer.has_value());
  EXPECT_EQ(item.event.organizer->email, "ann@example.com");
  ASSERT_EQ(item.event.attendees.size(), 1u);
  EXPECT_EQ(item.event.attendees[0].status, ParticipationStatus::Declined);
  ASSERT_EQ(item.event.reminders.size(), 1u);
  EXPECT_EQ(item.event.reminders[0].offset_seconds, -600);
}

TEST(EwsMapping, UnusableItemsAreBadDataNotCrashes) {
  auto kindOf = [](const std::string& xml) {
    try {
      read(xml);
    } catch (const ConnectorError& e) {
      return e.kind();
    }
    return ErrorKind::Config;
  };
  EXPECT_EQ(kindOf("<t:CalendarItem><t:Start>2025-01-10T08:00:00Z</t:Start></t:CalendarItem>"), ErrorKind::BadData);
  EXPECT_EQ(kindOf("<t:CalendarItem><t:ItemId Id=\"x\"/><t:Start>yesterday</t:Start></t:CalendarItem>"), ErrorKind::BadData);
  EXPECT_EQ(kindOf("<t:CalendarItem><t:ItemId Id=\"x\"/><t:Start>2025-01-10T08:00:00Z</t:Start>"
                   "<t:CalendarItemType>RecurringMaster</t:CalendarItemType></t:CalendarItem>"),
            ErrorKind::BadData);
}

TEST(EwsWriting, CalendarItemCarriesUidOriginZoneAndNoAttendees) {
  Event event;
  event.summary = "Copy & <paste>";
  event.start = *DateTime::fromIcalValue("20250310T090000", "Europe/Berlin");
  event.end = *DateTime::fromIcalValue("20250310T100000", "Europe/Berlin");
  event.attendees.push_back(Attendee{Person{"bob@example.com", "Bob"}});
  event.recurrence.rrule = "FREQ=WEEKLY;BYDAY=MO;COUNT=4";
  WriteZones zones{Zone::utc()};
  std::string xml = calendarItemXml(event, "calsync-123", "calsync:agent/src/cal/uid", zones);
  EXPECT_NE(xml.find("<t:UID>calsync-123</t:UID>"), std::string::npos);
  EXPECT_NE(xml.find("PropertyName=\"CalsyncOrigin\""), std::string::npos);
  EXPECT_NE(xml.find("<t:Value>calsync:agent/src/cal/uid</t:Value>"), std::string::npos);
  EXPECT_NE(xml.find("<t:Start>2025-03-10T08:00:00Z</t:Start>"), std::string::npos);
  EXPECT_NE(xml.find("<t:StartTimeZone Id=\"W. Europe Standard Time\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<t:Subject>Copy &amp; &lt;paste&gt;</t:Subject>"), std::string::npos);
  EXPECT_NE(xml.find("<t:NumberOfOccurrences>4</t:NumberOfOccurrences>"), std::string::npos);
  EXPECT_EQ(xml.find("bob@example.com"), std::string::npos);
  // Schema order: UID before Start, Recurrence before StartTimeZone.
  EXPECT_LT(xml.find("<t:UID>"), xml.find("<t:Start>"));
  EXPECT_LT(xml.find("<t:Recurrence>"), xml.find("<t:StartTimeZone"));
}

TEST(EwsWriting, AllDayEventStartsAtMidnightOfTheConfiguredZone) {
  Event event;
  event.start = *DateTime::fromIcalValue("20250502");
  event.end = *DateTime::fromIcalValue("20250503");
  WriteZones zones{zoneForTzid("Europe/Berlin")};
  std::string xml = calendarItemXml(event, "u", "", zones);
  EXPECT_NE(xml.find("<t:Start>2025-05-01T22:00:00Z</t:Start>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<t:IsAllDayEvent>true</t:IsAllDayEvent>"), std::string::npos);
  EXPECT_NE(xml.find("Id=\"W. Europe Standard Time\""), std::string::npos);
}

}  // namespace
}  // namespace calsync::ews
