// Free/busy: which events block time, how overlaps merge, and GET /api/calendar/availability.
#include "api_fixture.h"
#include "master/events_query.h"
#include "master/free_busy.h"

namespace calsync::master {
namespace {

using testing::simpleObject;

constexpr std::int64_t kMonday = 1772409600;   // 2026-03-02T00:00:00Z
constexpr std::int64_t kHour = 3600;

TEST(FreeBusy, TransparentCancelledAndFreeEventsDoNotBlockTime) {
  Event e;
  EXPECT_EQ(busyStatusOf(e), BusyStatus::Busy);
  e.status = EventStatus::Tentative;
  EXPECT_EQ(busyStatusOf(e), BusyStatus::Tentative);
  e.status = EventStatus::Cancelled;
  EXPECT_FALSE(busyStatusOf(e));
  e.status = EventStatus::Confirmed;
  e.transparency = Transparency::Transparent;
  EXPECT_FALSE(busyStatusOf(e));
  e.transparency = Transparency::Opaque;
  e.extra_properties.push_back({"X-MICROSOFT-CDO-BUSYSTATUS", "", "OOF"});
  EXPECT_EQ(busyStatusOf(e), BusyStatus::OutOfOffice);
  e.extra_properties[0].value = "FREE";
  EXPECT_FALSE(busyStatusOf(e));
  e.extra_properties[0].value = "TENTATIVE";
  EXPECT_EQ(busyStatusOf(e), BusyStatus::Tentative);
}

TEST(FreeBusy, OverlapsMergeAndTheHeavierStatusWins) {
  const auto merged = mergeBusy({
      {100, 200, BusyStatus::Busy},
      {150, 300, BusyStatus::Busy},         // overlaps: one busy block 100-300
      {250, 400, BusyStatus::Tentative},    // tentative only where nothing heavier is
      {500, 600, BusyStatus::Tentative},
      {520, 540, BusyStatus::OutOfOffice},  // splits the tentative block
      {600, 650, BusyStatus::Tentative},    // touches: joins it
      {700, 700, BusyStatus::Busy},         // empty: ignored
  });
  const std::vector<BusyInterval> expected = {
      {100, 300, BusyStatus::Busy},       {300, 400, BusyStatus::Tentative},
      {500, 520, BusyStatus::Tentative},  {520, 540, BusyStatus::OutOfOffice},
      {540, 650, BusyStatus::Tentative},
  };
  EXPECT_EQ(merged, expected);
  EXPECT_TRUE(mergeBusy({}).empty());
}

class AvailabilityTest : public ApiFixture {
 protected:
  static CalendarObject withIcal(const std::string& uid, const std::string& props) {
    const std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
                             "\r\nDTSTAMP:20260101T000000Z\r\n" + props + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    CalendarObject o = ical::parse(text).objects.at(0);
    o.native_id = uid + ".ics";
    return o;
  }
  Answer availability(const std::string& query) { return call("GET", "/api/calendar/availability?" + query); }
};

TEST_F(AvailabilityTest, AnswersMergedBusyTimeFromTheStore) {
  send({item(simpleObject("meeting", kMonday + 9 * kHour, "Meeting")),   // 09-10 busy
        item(withIcal("maybe", "DTSTART:20260302T093000Z\r\nDTEND:20260302T110000Z\r\nSTATUS:TENTATIVE\r\n")),
        item(withIcal("free", "DTSTART:20260302T120000Z\r\nDTEND:20260302T130000Z\r\nTRANSP:TRANSPARENT\r\n")),
        item(withIcal("off", "DTSTART:20260302T140000Z\r\nDTEND:20260302T150000Z\r\nSTATUS:CANCELLED\r\n")),
        item(withIcal("away", "DTSTART:20260303T000000Z\r\nDTEND:20260303T080000Z\r\n"
                              "X-MICROSOFT-CDO-BUSYSTATUS:OOF\r\n")),
        // Daily stand-up, 16:00-16:15 from Monday on: expanded inside the range only.
        item(withIcal("standup", "DTSTART:20260302T160000Z\r\nDTEND:20260302T161500Z\r\nRRULE:FREQ=DAILY\r\n"))},
       "cal");
  send({item(simpleObject("other", kMonday + 18 * kHour, "Elsewhere"))}, "other");

  auto r = availability("time_min=2026-03-02T00:00:00Z&time_max=2026-03-03T12:00:00Z");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string expected =
      R"("busy":[{"end":"2026-03-02T10:00:00Z","start":"2026-03-02T09:00:00Z","status":"busy"},)"
      R"({"end":"2026-03-02T11:00:00Z","start":"2026-03-02T10:00:00Z","status":"tentative"},)"
      R"({"end":"2026-03-02T16:15:00Z","start":"2026-03-02T16:00:00Z","status":"busy"},)"
      R"({"end":"2026-03-02T19:00:00Z","start":"2026-03-02T18:00:00Z","status":"busy"},)"
      R"({"end":"2026-03-03T08:00:00Z","start":"2026-03-03T00:00:00Z","status":"oof"}])";
  EXPECT_NE(r.body.find(expected), std::string::npos) << r.body;

  // Only the calendars asked for.
  const std::string other = calendarId("other");
  r = availability("time_min=2026-03-02T00:00:00Z&time_max=2026-03-03T00:00:00Z&calendars=" + other);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json->getArray("busy")->size(), 1u) << r.body;
  EXPECT_NE(r.body.find("\"start\":\"2026-03-02T18:00:00Z\""), std::string::npos);
  // Clipped to the range.
  r = availability("time_min=2026-03-02T09:30:00Z&time_max=2026-03-02T09:45:00Z");
  EXPECT_NE(r.body.find(R"("busy":[{"end":"2026-03-02T09:45:00Z","start":"2026-03-02T09:30:00Z","status":"busy"}])"),
            std::string::npos)
      << r.body;
}

TEST_F(AvailabilityTest, RefusesUnboundedOrUnknownQueries) {
  send({}, "cal");
  EXPECT_EQ(availability("time_min=2026-01-01T00:00:00Z&time_max=2027-01-03T00:00:00Z").status, 400);
  EXPECT_EQ(availability("time_min=2026-01-01T00:00:00Z").status, 400);
  EXPECT_EQ(availability("time_min=2026-01-02T00:00:00Z&time_max=2026-01-01T00:00:00Z").status, 400);
  EXPECT_EQ(availability("time_min=yesterday&time_max=2026-01-01T00:00:00Z").status, 400);
  EXPECT_EQ(availability("time_min=2026-01-01T00:00:00Z&time_max=2026-01-02T00:00:00Z&calendars=cal_nope").status,
            404);
  EXPECT_EQ(availability("time_min=2026-01-01T00:00:00Z&time_max=2026-12-31T00:00:00Z").status, 200);
}

}  // namespace
}  // namespace calsync::master
