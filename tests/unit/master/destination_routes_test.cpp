// POST /sync/config/destination/TYPE (checks the calendar with the provider before asking the
// daemon for the drop-in, audits, reloads after answering) and POST /sync/test/end-to-end in
// master mode (writes what agents delivered into the Google test server, reports a revoked
// sign-in as an error without deleting anything).
#include "core/hash.h"
#include "google/google_config.h"
#include "google/google_connector.h"
#include "ical/ical_codec.h"
#include "protocol/batch.h"
#include "tests/unit/master/config_api_fixture.h"

namespace calsync::master::testing {
namespace {

std::string event(const std::string& uid, const std::string& summary, int day) {
  const std::int64_t start = now() + day * 86400;
  const auto stamp = [](std::int64_t t) { return epochToUtc(t).toIcalValue(); };
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
         "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + stamp(start) + "\r\nDTEND:" + stamp(start + 3600) +
         "\r\nSUMMARY:" + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

class DestinationRoutesTest : public ConfigApiFixture {};

TEST_F(DestinationRoutesTest, ChecksTheCalendarWithTheProviderThenAsksForTheDropInAndReloads) {
  serve();
  ASSERT_EQ(signInGoogle("work").status, 200);

  Answer answer = call("POST", "/sync/config/destination/google", "{\"source\":\"work\",\"calendar_id\":\"nope\"}");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(answer.code(), "calendar_not_found");
  EXPECT_NE(answer.message().find(kGoogleCalendar), std::string::npos) << "says which calendars there are";
  answer = call("POST", "/sync/config/destination/google",
                std::string("{\"source\":\"work\",\"calendar_id\":\"") + kReadOnlyCalendar + "\"}");
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.code(), "calendar_read_only");
  EXPECT_TRUE(daemon_.replacedSoFar().empty()) << "nothing changes before the calendar checks out";
  EXPECT_EQ(daemon_.reloads, 0);

  answer = call("POST", "/sync/config/destination/google",
                std::string("{\"credentials\":\"source.work\",\"calendar_id\":\"") + kGoogleCalendar + "\"}");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto destination = json::object(answer.json, "destination");
  EXPECT_EQ(json::text(destination, "type"), "google");
  EXPECT_EQ(json::text(destination, "calendar"), kGoogleCalendar);
  EXPECT_EQ(json::text(destination, "calendar_name"), "Work");
  EXPECT_EQ(json::text(destination, "credentials_from"), "[source.work]");
  EXPECT_EQ(daemon_.replacedSoFar(), (std::vector<std::pair<std::string, std::string>>{{"work", kGoogleCalendar}}));
  EXPECT_TRUE(waitFor([&] { return daemon_.reloads == 1; })) << "the reload follows the answer";
  const auto entry = audit().front();
  EXPECT_EQ(entry.action, "destination.replace");
  EXPECT_EQ(entry.before, "{\"type\":\"caldav\"}");
  EXPECT_NE(entry.after.find(kGoogleCalendar), std::string::npos);
}

TEST_F(DestinationRoutesTest, RefusesWhatCannotWorkBeforeChangingAnything) {
  serve();
  ASSERT_EQ(signInGoogle("work").status, 200);
  const std::string body = std::string("{\"source\":\"work\",\"calendar_id\":\"") + kGoogleCalendar + "\"}";
  EXPECT_EQ(call("POST", "/sync/config/destination/google",
                 std::string("{\"source\":\"work\",\"credentials\":\"source.work\",\"calendar_id\":\"x\"}")).code(),
            "bad_request");
  EXPECT_EQ(call("POST", "/sync/config/destination/google", "{\"calendar_id\":\"x\"}").code(), "bad_request");
  EXPECT_EQ(call("POST", "/sync/config/destination/google", "{\"source\":\"work\"}").code(), "bad_request");
  EXPECT_EQ(call("POST", "/sync/config/destination/graph", body).code(), "wrong_type");
  EXPECT_EQ(call("POST", "/sync/config/destination/ics", body).status, 404) << "ics cannot be a destination";

  daemon_.refusal = ControlError(409, "no_conf_d", "create /etc/calsync/conf.d");
  Answer answer = call("POST", "/sync/config/destination/google", body);
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.code(), "no_conf_d");
  EXPECT_EQ(answer.message(), "create /etc/calsync/conf.d");

  daemon_.refusal.reset();
  daemon_.can_reload = false;
  answer = call("POST", "/sync/config/destination/google", body);
  EXPECT_EQ(answer.code(), "cannot_reload");
  EXPECT_TRUE(daemon_.replacedSoFar().empty());

  daemon_.can_reload = true;
  google_.oauth().revokeRefreshTokens();
  answer = call("POST", "/sync/config/destination/google", body);
  EXPECT_EQ(answer.code(), "sign_in_required") << answer.body;
  EXPECT_TRUE(daemon_.replacedSoFar().empty());
  EXPECT_EQ(daemon_.reloads, 0);
}

TEST_F(DestinationRoutesTest, EndToEndInMasterModeWritesWhatAgentsDeliveredAndReportsARevokedSignIn) {
  // The master's own destination: a google section signed in through the endpoints.
  daemon_.put(googleSpec("destination"));
  daemon_.destination_calendar = kGoogleCalendar;
  DestinationSetup destination;
  destination.type = "google";
  destination.calendar = kGoogleCalendar;
  destination.connector = std::make_unique<google::GoogleConnector>(google::GoogleConfig::fromSpec(googleSpec("destination")));
  serve(std::move(destination));
  ASSERT_EQ(signInGoogle("destination").status, 200);

  // An agent delivered two events.
  const auto deliver = [&](std::vector<std::string> icals, std::int64_t sequence) {
    protocol::SourceBatch batch{"team", "ics", {"team.ics", "Team", "", "", true}, {}, {}, false, {}, ""};
    for (const auto& text : icals) {
      const CalendarObject o = ical::parse(text).objects.front();
      batch.upserts.push_back({o.uid, o.uid, contentHash(o), text, o.span_start_utc, o.span_end_utc, true});
    }
    runtime_->store().recordCheckIn("pc-1", "PC one", now());
    HeartbeatRequest beat;
    beat.agent_id = "pc-1";
    beat.agent_name = "PC one";
    beat.epoch = "e1";
    beat.batches = {{sequence, protocol::encodeBatch(batch)}};
    EXPECT_EQ(runtime_->heartbeat(beat).acknowledged_sequence, sequence);
  };
  deliver({event("a@test", "Planning", 1), event("b@test", "Review", 2)}, 1);

  Answer run = call("POST", "/sync/test/end-to-end");
  ASSERT_EQ(run.status, 200) << run.body;
  EXPECT_TRUE(json::boolean(run.json, "ok")) << run.body;
  EXPECT_EQ(json::integer(run.json, "agents_processed"), 1);
  EXPECT_EQ(json::text(json::objects(run.json, "agents").at(0), "id"), "pc-1");
  auto written = json::object(run.json, "destination");
  EXPECT_EQ(json::text(written, "type"), "google");
  EXPECT_EQ(json::text(written, "calendar"), kGoogleCalendar);
  EXPECT_EQ(json::integer(written, "written"), 2);
  EXPECT_EQ(json::integer(written, "failed"), 0);
  EXPECT_EQ(json::integer(run.json, "events_synced"), 2);
  EXPECT_TRUE(json::objects(run.json, "errors").empty());
  EXPECT_EQ(google_.liveEventIds(kGoogleCalendar).size(), 2u);

  // Revoked: the run says so and what to do, and deletes nothing.
  google_.oauth().revokeRefreshTokens();
  deliver({event("c@test", "Added while revoked", 3)}, 2);
  run = call("POST", "/sync/test/end-to-end");
  ASSERT_EQ(run.status, 200) << run.body;
  EXPECT_FALSE(json::boolean(run.json, "ok"));
  const auto errors = json::strings(run.json, "errors");
  ASSERT_EQ(errors.size(), 1u) << run.body;
  EXPECT_NE(errors[0].find("calsyncctl auth google --destination"), std::string::npos) << errors[0];
  EXPECT_GE(json::integer(json::object(run.json, "destination"), "failed"), 1);
  EXPECT_EQ(google_.liveEventIds(kGoogleCalendar).size(), 2u);
  const Answer health = call("GET", "/health", "", "");
  EXPECT_EQ(json::text(healthCredential(health, "destination"), "state"), "revoked");

  // Signed in again: the next run writes what waited.
  ASSERT_EQ(signInGoogle("destination").status, 200);
  run = call("POST", "/sync/test/end-to-end");
  EXPECT_TRUE(json::boolean(run.json, "ok")) << run.body;
  EXPECT_EQ(json::integer(json::object(run.json, "destination"), "written"), 1);
  EXPECT_EQ(google_.liveEventIds(kGoogleCalendar).size(), 3u);
}

}  // namespace
}  // namespace calsync::master::testing
