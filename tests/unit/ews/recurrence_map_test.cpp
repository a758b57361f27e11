// EWS recurrence patterns <-> RRULE, both ways, including Outlook's "day 31 = last day".
#include <gtest/gtest.h>

#include "core/errors.h"
#include "ews/recurrence_map.h"
#include "ews/soap_xml.h"

namespace calsync::ews {
namespace {

std::string toRrule(const std::string& recurrence_xml, bool all_day = false) {
  pugi::xml_document doc;
  std::string text = "<t:Recurrence xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">" +
                     recurrence_xml + "</t:Recurrence>";
  EXPECT_FALSE(parseUntrusted(text, doc).has_value());
  return rruleFromRecurrence(doc.document_element(), *Zone::utc(), all_day);
}

std::string roundTrip(const std::string& rrule, const DateTime& start) {
  std::string xml = recurrenceFromRrule(rrule, start, *Zone::utc());
  pugi::xml_document doc;
  std::string text = "<r xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">" + xml + "</r>";
  EXPECT_FALSE(parseUntrusted(text, doc).has_value()) << xml;
  return rruleFromRecurrence(doc.document_element().first_child(), *Zone::utc(), start.is_date);
}

const std::string kNoEnd = "<t:NoEndRecurrence><t:StartDate>2025-01-06</t:StartDate></t:NoEndRecurrence>";

TEST(EwsRecurrence, PatternsBecomeRrules) {
  EXPECT_EQ(toRrule("<t:DailyRecurrence><t:Interval>3</t:Interval></t:DailyRecurrence>" + kNoEnd), "FREQ=DAILY;INTERVAL=3");
  EXPECT_EQ(toRrule("<t:WeeklyRecurrence><t:Interval>2</t:Interval><t:DaysOfWeek>Friday Monday</t:DaysOfWeek>"
                    "<t:FirstDayOfWeek>Monday</t:FirstDayOfWeek></t:WeeklyRecurrence>" + kNoEnd),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=MO");
  EXPECT_EQ(toRrule("<t:AbsoluteMonthlyRecurrence><t:Interval>1</t:Interval><t:DayOfMonth>15</t:DayOfMonth>"
                    "</t:AbsoluteMonthlyRecurrence>" + kNoEnd),
            "FREQ=MONTHLY;BYMONTHDAY=15");
  EXPECT_EQ(toRrule("<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Weekday</t:DaysOfWeek>"
                    "<t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence>" + kNoEnd),
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1");
  EXPECT_EQ(toRrule("<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Tuesday</t:DaysOfWeek>"
                    "<t:DayOfWeekIndex>Second</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence>" + kNoEnd),
            "FREQ=MONTHLY;BYDAY=2TU");
  EXPECT_EQ(toRrule("<t:AbsoluteYearlyRecurrence><t:DayOfMonth>29</t:DayOfMonth><t:Month>February</t:Month>"
                    "</t:AbsoluteYearlyRecurrence>" + kNoEnd),
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1");
  EXPECT_EQ(toRrule("<t:RelativeYearlyRecurrence><t:DaysOfWeek>Thursday</t:DaysOfWeek><t:DayOfWeekIndex>Fourth"
                    "</t:DayOfWeekIndex><t:Month>November</t:Month></t:RelativeYearlyRecurrence>" + kNoEnd),
            "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH");
  EXPECT_EQ(toRrule("<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence>"
                    "<t:NumberedRecurrence><t:StartDate>2025-01-06</t:StartDate><t:NumberOfOccurrences>5</t:NumberOfOccurrences>"
                    "</t:NumberedRecurrence>"),
            "FREQ=DAILY;COUNT=5");
  EXPECT_EQ(toRrule("<t:DailyRecurrence><t:Interval>1</t:Interval></t:DailyRecurrence>"
                    "<t:EndDateRecurrence><t:StartDate>2025-01-06</t:StartDate><t:EndDate>2025-01-31Z</t:EndDate>"
                    "</t:EndDateRecurrence>",
                    /*all_day=*/true),
            "FREQ=DAILY;UNTIL=20250131");
}

TEST(EwsRecurrence, MonthlyOnThe31stMeansTheLastDayLikeOutlook) {
  EXPECT_EQ(toRrule("<t:AbsoluteMonthlyRecurrence><t:Interval>1</t:Interval><t:DayOfMonth>31</t:DayOfMonth>"
                    "</t:AbsoluteMonthlyRecurrence>" + kNoEnd),
            "FREQ=MONTHLY;BYMONTHDAY=-1");
  DateTime start = *DateTime::fromIcalValue("20250131T090000Z");
  std::string xml = recurrenceFromRrule("FREQ=MONTHLY;BYMONTHDAY=-1", start, *Zone::utc());
  EXPECT_NE(xml.find("<t:DayOfMonth>31</t:DayOfMonth>"), std::string::npos);
}

TEST(EwsRecurrence, RrulesRoundTripThroughExchangePatterns) {
  DateTime start = *DateTime::fromIcalValue("20250106T090000Z");  // a Monday
  for (const std::string rule :
       {"FREQ=DAILY;INTERVAL=2;COUNT=10", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO;WKST=SU",
        "FREQ=MONTHLY;BYMONTHDAY=6;UNTIL=20251231T235959Z", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=1", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=6", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"}) {
    EXPECT_EQ(roundTrip(rule, start), rule);
  }
  // Forms that say the same thing in Exchange's terms come back in the canonical spelling.
  EXPECT_EQ(roundTrip("FREQ=WEEKLY", start), "FREQ=WEEKLY;BYDAY=MO");
  EXPECT_EQ(roundTrip("FREQ=YEARLY;INTERVAL=2", start), "FREQ=MONTHLY;INTERVAL=24;BYMONTHDAY=6");
  EXPECT_EQ(roundTrip("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", start), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
}

TEST(EwsRecurrence, RulesExchangeCannotHoldAreRefusedAsBadData) {
  DateTime start = *DateTime::fromIcalValue("20250106T090000Z");
  for (const std::string rule : {"FREQ=HOURLY", "FREQ=WEEKLY;BYHOUR=9,17", "FREQ=YEARLY;BYMONTH=1,7", "FREQ=MONTHLY;BYDAY=5MO",
                                 "FREQ=MONTHLY;BYMONTHDAY=1,15", "FREQ=YEARLY;BYWEEKNO=20"}) {
    try {
      recurrenceFromRrule(rule, start, *Zone::utc());
      ADD_FAILURE() << rule << " was accepted";
    } catch (const ConnectorError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::BadData) << rule;
    }
  }
}

TEST(EwsRecurrence, UnknownPatternsAreBadData) {
  try {
    toRrule("<t:DailyRegeneration><t:Interval>1</t:Interval></t:DailyRegeneration>" + kNoEnd);
    ADD_FAILURE();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadData);
  }
}

}  // namespace
}  // namespace calsync::ews
