// POST /api/calendar/event and GET /api/calendar/event/{id}.
#include "api_fixture.h"

namespace calsync::master {
namespace {

using testing::simpleObject;

class EventCreateRoutesTest : public ApiFixture {
 protected:
  void SetUp() override {
    send({}, "cal");
    send({}, "readonly", "agent-1", false);
    calendar_ = calendarId("cal");
  }
  Answer create(const std::string& fields) {
    return call("POST", "/api/calendar/event", R"({"calendar_id": ")" + calendar_ + R"(", )" + fields + "}");
  }
  // Hands the agent its due updates and reports `outcome` for each, as an agent would.
  std::vector<AgentUpdate> agentTakes(bool ok, bool retryable = true, const std::string& error = "") {
    auto updates = runtime_->pendingUpdates("agent-1", 0);
    for (const auto& u : updates) {
      UpdateOutcome outcome;
      outcome.id = u.id;
      outcome.ok = ok;
      outcome.retryable = retryable;
      outcome.error = error;
      if (ok) outcome.native_id = u.uid + ".ics";
      runtime_->reportUpdate("agent-1", outcome);
    }
    return updates;
  }
  std::string calendar_;
};

TEST_F(EventCreateRoutesTest, QueuesTheCreateAndFollowsItToApplied) {
  auto r = create(R"("event": {"uid": "lunch@example.com", "summary": "Lunch", "location": "Canteen",
                     "start": "2026-03-02T12:00:00", "end": "2026-03-02T13:00:00", "time_zone": "Europe/Berlin"})");
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string id = r.json->getValue<std::string>("id");
  EXPECT_EQ(id.rfind("evt_", 0), 0u);
  EXPECT_EQ(r.json->getValue<std::string>("status"), "pending");
  EXPECT_EQ(r.json->getValue<std::string>("uid"), "lunch@example.com");

  auto taken = agentTakes(true);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].kind, AgentUpdate::Kind::EventCreate);
  EXPECT_EQ(taken[0].source, "work");
  EXPECT_EQ(taken[0].calendar_id, "cal");
  EXPECT_NE(taken[0].ical.find("DTSTART;TZID=Europe/Berlin:20260302T120000"), std::string::npos) << taken[0].ical;
  EXPECT_NE(taken[0].ical.find("SUMMARY:Lunch"), std::string::npos);
  EXPECT_NE(taken[0].ical.find("BEGIN:VTIMEZONE"), std::string::npos);
  EXPECT_EQ(taken[0].ical.find("ATTENDEE"), std::string::npos);

  auto status = call("GET", "/api/calendar/event/" + id);
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.json->getValue<std::string>("status"), "applied");
  EXPECT_EQ(status.json->getValue<std::string>("native_id"), "lunch@example.com.ics");

  // The same create again is the same request, not a second event.
  auto again = create(R"("event": {"uid": "lunch@example.com", "summary": "Lunch",
                         "start": "2026-03-02T11:00:00Z", "end": "2026-03-02T12:00:00Z"})");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json->getValue<std::string>("id"), id);
  EXPECT_TRUE(runtime_->pendingUpdates("agent-1", 0).empty());
  EXPECT_EQ(runtime_->audit().recent(1)[0].action, "event.create");
  EXPECT_EQ(runtime_->audit().recent(1)[0].after.find("Lunch"), std::string::npos) << "no event content in the audit";
  EXPECT_EQ(call("GET", "/api/calendar/event/evt_0000000000000000").status, 404);
}

TEST_F(EventCreateRoutesTest, AFailureShowsWithItsReason) {
  auto r = create(R"("ical": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:day@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260305\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")");
  ASSERT_EQ(r.status, 202) << r.body;
  agentTakes(false, true, "network: connection refused");
  auto status = call("GET", "/api/calendar/event/" + r.json->getValue<std::string>("id"));
  EXPECT_EQ(status.json->getValue<std::string>("status"), "pending") << "a retryable failure is retried";
  EXPECT_NE(status.json->getValue<std::string>("error").find("connection refused"), std::string::npos);

  auto second = create(R"("event": {"summary": "Focus", "all_day": true, "start": "2026-03-06"})");
  ASSERT_EQ(second.status, 202) << second.body;
  auto taken = agentTakes(false, false, "source 'work' does not take event changes (allow_event_updates = false)");
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_NE(taken[0].ical.find("DTSTART;VALUE=DATE:20260306"), std::string::npos) << taken[0].ical;
  EXPECT_NE(taken[0].ical.find("DTEND;VALUE=DATE:20260307"), std::string::npos) << taken[0].ical;
  EXPECT_FALSE(taken[0].uid.empty()) << "a UID is made when none is given";
  auto status2 = call("GET", "/api/calendar/event/" + second.json->getValue<std::string>("id"));
  EXPECT_EQ(status2.json->getValue<std::string>("status"), "failed");
  EXPECT_NE(status2.json->getValue<std::string>("error").find("allow_event_updates"), std::string::npos);
}

TEST_F(EventCreateRoutesTest, RefusesBadEventsWithTheReason) {
  const auto refused = [&](const std::string& fields, int status, const std::string& says) {
    auto r = create(fields);
    EXPECT_EQ(r.status, status) << fields << " -> " << r.body;
    EXPECT_NE(errorMessage(r).find(says), std::string::npos) << fields << " -> " << r.body;
  };
  refused(R"("event": {"summary": "X", "start": "2026-03-02T10:00:00Z", "end": "2026-03-02T09:00:00Z"})", 400,
          "end must be after");
  refused(R"("event": {"summary": "X", "start": "2026-03-02T10:00:00", "end": "2026-03-02T11:00:00"})", 400,
          "time_zone");
  refused(R"("event": {"summary": "X", "start": "2026-03-02T10:00:00", "end": "2026-03-02T11:00:00",
             "time_zone": "Mars/Olympus"})", 400, "not an IANA time zone");
  refused(R"("event": {"summary": "X", "start": "tomorrow", "end": "2026-03-02T11:00:00Z"})", 400, "event.start");
  refused(R"("event": {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T11:00:00Z"})", 400, "summary");
  refused(R"("event": {"uid": "has space", "summary": "X", "start": "2026-03-02T10:00:00Z",
             "end": "2026-03-02T11:00:00Z"})", 400, "UID");
  refused(R"("event": {"summary": "X", "description": ")" + std::string(40000, 'd') +
              R"(", "start": "2026-03-02T10:00:00Z", "end": "2026-03-02T11:00:00Z"})", 400, "longer than");
  refused(R"("ical": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:m@x\r\nDTSTART:20260302T100000Z\r\nATTENDEE:mailto:boss@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")",
          400, "never sends invitations");
  refused(R"("ical": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTART:20260302T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b@x\r\nDTSTART:20260302T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")",
          400, "exactly one event");
  refused(R"("ical": "not a calendar")", 400, "iCalendar");
  refused(R"("event": {"summary": "X", "start": "2026-03-02T10:00:00Z", "end": "2026-03-02T11:00:00Z"},
             "ical": "BEGIN:VCALENDAR")", 400, "either");
  EXPECT_TRUE(runtime_->pendingUpdates("agent-1", 0).empty()) << "nothing may be queued for a refused create";

  const std::string event = R"("event": {"summary": "X", "start": "2026-03-02T10:00:00Z", "end": "2026-03-02T11:00:00Z"})";
  calendar_ = "cal_ffffffffffffffff";
  refused(event, 404, "no calendar");
  calendar_ = calendarId("readonly");
  refused(event, 409, "read-only");
  calendar_ = calendarId("cal");
  ASSERT_EQ(call("DELETE", "/calendars/" + calendar_).status, 202);
  refused(event, 409, "taken out of the sync");
}

}  // namespace
}  // namespace calsync::master
