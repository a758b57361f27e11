// The master commands against a stand-in master that answers with the API's JSON shapes: what
// each command sends, what it prints as a table and as --json, and how failures exit.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <ctime>

#include "core/date_time.h"
#include "ctl_runner.h"
#include "fake_master.h"
#include "tests/support/temp_dir.h"

namespace calsync::ctl {
namespace {

using testing::FakeMaster;
using testing::runCtl;
using testing::ScopedEnv;

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

class CtlCommands : public ::testing::Test {
 protected:
  testing::CtlRun ctl(std::vector<std::string> args) {
    args.insert(args.end(), {"--master", master_.url()});
    return runCtl(args);
  }
  FakeMaster master_{"admin-secret"};
  ScopedEnv token_{"CALSYNC_ADMIN_TOKEN", "admin-secret"};
};

constexpr const char* kHealth = R"({"status":"degraded","mode":"standalone","version":"0.1.0","uptime_seconds":7500,
  "connectors":[{"name":"team","type":"ics","role":"source","state":"ok","events":4,"last_success":"2026-03-01T10:00:00Z","last_error":""},
                {"name":"destination","type":"caldav","role":"destination","state":"ok","events":5,"last_success":"2026-03-01T10:00:01Z","last_error":""}],
  "credentials":[{"name":"work-google","type":"google","state":"expired","expires_at":"2026-02-01T00:00:00Z",
                  "action":"run `calsyncctl auth google --source work-google`"}],
  "store":{"objects.active":5,"copies":5}})";
constexpr const char* kAgents = R"({"agent_status":{"e2e-agent":{"id":"e2e-agent","name":"Office","status":"online",
  "last_check_in":"2026-03-01T10:00:00Z","enrolled":false,"updates":{"pending":1}}}})";
constexpr const char* kQueues = R"({"agents":{"e2e-agent":{"pending":1,"processed":3}}})";

TEST_F(CtlCommands, StatusShowsHealthCredentialsAgentsAndQueues) {
  master_.answer("GET", "/health", 200, kHealth);
  master_.answer("GET", "/sync/agents/status", 200, kAgents);
  master_.answer("GET", "/sync/queues/stats", 200, kQueues);
  const auto r = ctl({"status"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Status   degraded   mode standalone   version 0.1.0   up 2h 5m"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("objects.active 5"), std::string::npos);
  EXPECT_NE(r.out.find("team         ics     source       ok"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Credentials"), std::string::npos);
  EXPECT_NE(r.out.find("work-google  google  expired"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("calsyncctl auth google --source work-google"), std::string::npos);
  EXPECT_NE(r.out.find("e2e-agent  Office  online"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("AGENT      pending  processed"), std::string::npos) << r.out;
}

TEST_F(CtlCommands, StatusWithoutCredentialsLeavesThatPartOut) {
  auto health = parse(kHealth);
  health->remove("credentials");
  std::ostringstream text;
  health->stringify(text);
  master_.answer("GET", "/health", 200, text.str());
  master_.answer("GET", "/sync/agents/status", 200, kAgents);
  master_.answer("GET", "/sync/queues/stats", 200, kQueues);
  const auto r = ctl({"status"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out.find("Credentials"), std::string::npos);
}

TEST_F(CtlCommands, AFailingMasterStillShowsItsStatusAndExitsOne) {
  master_.answer("GET", "/health", 503, R"({"status":"failing","connectors":[{"name":"destination","state":"failing",
    "last_error":"Network: connection refused"}]})");
  master_.answer("GET", "/sync/agents/status", 200, kAgents);
  master_.answer("GET", "/sync/queues/stats", 200, R"({"agents":{}})");
  const auto r = ctl({"status"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.out.find("connection refused"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("failing"), std::string::npos);
}

TEST_F(CtlCommands, StatusJsonCarriesTheApiAnswers) {
  master_.answer("GET", "/health", 200, kHealth);
  master_.answer("GET", "/sync/agents/status", 200, kAgents);
  master_.answer("GET", "/sync/queues/stats", 200, kQueues);
  const auto r = ctl({"status", "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto all = parse(r.out);
  EXPECT_EQ(all->getObject("health")->getValue<std::string>("status"), "degraded");
  EXPECT_EQ(all->getObject("health")->getArray("credentials")->size(), 1u);
  EXPECT_TRUE(all->getObject("agents")->getObject("agent_status")->has("e2e-agent"));
  EXPECT_EQ(all->getObject("queues")->getObject("agents")->getObject("e2e-agent")->getValue<int>("processed"), 3);
}

TEST_F(CtlCommands, CalendarsListRenameAndRecolor) {
  master_.answer("GET", "/calendars", 200, R"({"calendars":[{"id":"cal_abc","agent_id":"a1","source":"team",
    "calendar_id":"team.ics","name":"Team","color":"#ff0000","writable":true}]})");
  auto r = ctl({"calendars", "list"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("cal_abc  Team  #ff0000  a1     team    yes"), std::string::npos) << r.out;

  master_.answer("PUT", "/calendars/cal_abc", 202, R"({"id":"cal_abc","agent_id":"a1","name":"Team Ünïcode",
    "update_id":7,"update_status":"pending"})");
  r = ctl({"calendars", "rename", "cal_abc", "Team Ünïcode"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(parse(master_.last("PUT", "/calendars/cal_abc").body)->getValue<std::string>("name"), "Team Ünïcode");
  EXPECT_NE(r.out.find("update 7 is pending for agent 'a1'"), std::string::npos) << r.out;

  r = ctl({"calendars", "recolor", "cal_abc", "1E90ff"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto body = parse(master_.last("PUT", "/calendars/cal_abc").body);
  EXPECT_EQ(body->getValue<std::string>("color"), "#1E90ff");
  EXPECT_FALSE(body->has("name")) << "a recolor sends only the color";

  master_.answer("PUT", "/calendars/cal_nope", 404, R"({"error":{"code":"not_found","message":"no calendar 'cal_nope'"}})");
  r = ctl({"calendars", "rename", "cal_nope", "X"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("no calendar 'cal_nope'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("calsyncctl calendars list"), std::string::npos) << r.err;
}

TEST_F(CtlCommands, EventsListAsksForTheRangeGiven) {
  master_.answer("GET", "/api/calendar/events", 200, R"({"count":2,"truncated":false,"events":[
    {"summary":"Lunch","start":{"date_time":"2026-03-02T12:00:00Z","time_zone":"UTC"},"end":{"date_time":"2026-03-02T13:00:00Z"},
     "calendar":{"id":"personal.ics","name":"Personal"},"source":"personal","agent":"a1"},
    {"summary":"Holiday","start":{"date":"2026-03-03"},"end":{"date":"2026-03-04"},"calendar":{"name":"Team"},"source":"team","agent":"a1"}]})");
  auto r = ctl({"events", "list", "--from", "2026-03-01", "--to", "2026-03-08T12:00:00Z"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(master_.last("GET", "/api/calendar/events").target,
            "/api/calendar/events?time_min=2026-03-01T00%3A00%3A00Z&time_max=2026-03-08T12%3A00%3A00Z");
  EXPECT_NE(r.out.find("2026-03-02T12:00:00Z  2026-03-02T13:00:00Z  Lunch    Personal"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-03-03            2026-03-04            Holiday"), std::string::npos) << r.out;

  // Default: today (UTC) for a week.
  r = ctl({"events", "list"});
  ASSERT_EQ(r.code, kExitOk);
  const std::int64_t today = static_cast<std::int64_t>(std::time(nullptr)) / 86400 * 86400;
  const DateTime from = epochToUtc(today), to = epochToUtc(today + 7 * 86400);
  char expected[128];
  std::snprintf(expected, sizeof expected, "time_min=%04d-%02d-%02dT00%%3A00%%3A00Z&time_max=%04d-%02d-%02dT00%%3A00%%3A00Z",
                from.year, from.month, from.day, to.year, to.month, to.day);
  EXPECT_NE(master_.last("GET", "/api/calendar/events").target.find(expected), std::string::npos)
      << master_.last("GET", "/api/calendar/events").target;
}

TEST_F(CtlCommands, TokenCreatePrintsOnlyTheTokenOnStdout) {
  master_.answer("POST", "/sync/tokens", 201, R"({"id":"tok_1","label":"mac-12","expires_at":"2026-03-02T00:00:00Z",
    "state":"active","token":"cse_onetime"})");
  const auto r = ctl({"token", "create", "--expires", "24h", "--name", "mac-12"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "cse_onetime\n");
  EXPECT_NE(r.err.find("enroll_token_file"), std::string::npos);
  const auto body = parse(master_.last("POST", "/sync/tokens").body);
  EXPECT_EQ(body->getValue<std::int64_t>("expires_in"), 86400);
  EXPECT_EQ(body->getValue<std::string>("label"), "mac-12");
}

TEST_F(CtlCommands, TokenListAndRevoke) {
  master_.answer("GET", "/sync/tokens", 200, R"({"tokens":[{"id":"tok_1","label":"mac-12","state":"used","used_by":"mac-12"}]})");
  auto r = ctl({"token", "list"});
  ASSERT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("tok_1  mac-12  used"), std::string::npos) << r.out;
  master_.answer("DELETE", "/sync/tokens/tok_2", 200, R"({"id":"tok_2","revoked":true})");
  r = ctl({"token", "revoke", "tok_2"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out, "revoked token tok_2\n");
  master_.answer("DELETE", "/sync/tokens/tok_1", 404, R"({"error":{"code":"not_found","message":"no active token 'tok_1'"}})");
  r = ctl({"token", "revoke", "tok_1"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("calsyncctl token list"), std::string::npos);
}

TEST_F(CtlCommands, UpdatesListFiltersByAgent) {
  master_.answer("GET", "/sync/queues/status", 200, R"({"updates":[{"id":7,"agent_id":"a1","kind":"calendar_metadata",
    "source":"team","calendar_id":"team.ics","status":"failed","attempts":5,"last_error":"read-only source"}]})");
  const auto r = ctl({"updates", "list", "--agent", "a1", "--limit", "20"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(master_.last("GET", "/sync/queues/status").target, "/sync/queues/status?limit=20&agent_id=a1");
  EXPECT_NE(r.out.find("read-only source"), std::string::npos);
}

TEST_F(CtlCommands, PlanShowsWhatTheNextWriteWouldDo) {
  master_.answer("GET", "/sync/plan", 200, R"({"destination":"destination","type":"caldav","calendar":"consolidated",
    "create":[{"agent_id":"a1","source":"team","calendar_id":"team.ics","uid":"u1","native_id":"n1","summary":"Stand-up"}],
    "update":[],"delete":[{"agent_id":"a1","source":"team","calendar_id":"team.ics","uid":"u2","native_id":"n2","summary":"Old"}],
    "held":[{"agent_id":"a1","source":"team","calendar_id":"team.ics","uid":"u3","native_id":"n3","summary":"",
             "reason":"the stored version does not parse back into one calendar object"}],"truncated":false})");
  auto r = ctl({"plan"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Next write to destination (caldav, calendar consolidated): 1 create, 0 update, 1 delete, 1 held"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("create  Stand-up"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("does not parse"), std::string::npos);
  r = ctl({"plan", "--json"});
  EXPECT_EQ(parse(r.out)->getArray("delete")->size(), 1u);

  master_.answer("GET", "/sync/plan", 200, R"({"destination":"","create":[],"update":[],"delete":[],"held":[]})");
  r = ctl({"plan"});
  EXPECT_NE(r.out.find("writes no destination"), std::string::npos);
}

TEST_F(CtlCommands, AnEndpointTheMasterLacksIsExplained) {
  const auto r = ctl({"plan"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("does not offer that endpoint"), std::string::npos) << r.err;
}

// Conflicts, written to the contract (CONTRACTS.md) that the `roundtrip` branch implements.
constexpr const char* kConflicts = R"({"conflicts":[{"id":"cfl_0123456789abcdef","status":"open",
  "detected_at":"2026-03-01T10:00:00Z","resolved_at":"","agent_id":"a1","source":"shared","calendar_id":"cal_9",
  "uid":"shared-1","fields":["summary","start"],"resolution":"",
  "base":"BEGIN:VCALENDAR...","source_version":"BEGIN:VCALENDAR...","destination_version":"BEGIN:VCALENDAR..."}]})";

TEST_F(CtlCommands, ConflictsListAsksForTheStatusAndShowsTheFields) {
  master_.answer("GET", "/sync/conflicts/recent", 200, kConflicts);
  auto r = ctl({"conflicts", "list"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(master_.last("GET", "/sync/conflicts/recent").target, "/sync/conflicts/recent?limit=50&status=open");
  EXPECT_NE(r.out.find("cfl_0123456789abcdef  open"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("summary, start"), std::string::npos);
  r = ctl({"conflicts", "list", "--status", "all", "--limit", "5", "--json"});
  EXPECT_EQ(master_.last("GET", "/sync/conflicts/recent").target, "/sync/conflicts/recent?limit=5&status=all");
  EXPECT_EQ(parse(r.out)->getArray("conflicts")->getObject(0)->getValue<std::string>("uid"), "shared-1");
}

TEST_F(CtlCommands, ConflictsResolveSendsTheContractsBody) {
  const std::string path = "/sync/conflicts/cfl_0123456789abcdef/resolve";
  master_.answer("POST", path, 200, R"({"id":"cfl_0123456789abcdef","status":"resolved","resolution":"source_wins"})");
  auto r = ctl({"conflicts", "resolve", "cfl_0123456789abcdef", "--source-wins"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "resolved conflict cfl_0123456789abcdef (source_wins)\n");
  auto body = parse(master_.last("POST", path).body);
  EXPECT_EQ(body->getValue<std::string>("resolution"), "source_wins");
  EXPECT_FALSE(body->has("ical"));

  r = ctl({"conflicts", "resolve", "cfl_0123456789abcdef", "--destination-wins"});
  EXPECT_EQ(parse(master_.last("POST", path).body)->getValue<std::string>("resolution"), "destination_wins");

  calsync::testing::TempDir dir;
  const std::string merged = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:shared-1\r\n"
                             "DTSTAMP:20260101T000000Z\r\nDTSTART:20260305T150000Z\r\nDTEND:20260305T160000Z\r\n"
                             "SUMMARY:Merged by hand\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  r = ctl({"conflicts", "resolve", "cfl_0123456789abcdef", "--merged", dir.write("merged.ics", merged)});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  body = parse(master_.last("POST", path).body);
  EXPECT_EQ(body->getValue<std::string>("resolution"), "merged");
  EXPECT_EQ(body->getValue<std::string>("ical"), merged);
}

TEST_F(CtlCommands, AMergedFileThatIsNoEventIsRefusedLocally) {
  calsync::testing::TempDir dir;
  const std::size_t before = master_.requests().size();
  auto r = ctl({"conflicts", "resolve", "cfl_1", "--merged", dir.write("bad.ics", "not a calendar")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("is not one iCalendar event"), std::string::npos) << r.err;
  r = ctl({"conflicts", "resolve", "cfl_1", "--merged", (dir.path() / "missing.ics").string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(master_.requests().size(), before);
}

TEST_F(CtlCommands, ConflictsResolveExplainsUnknownAndSettledConflicts) {
  master_.answer("POST", "/sync/conflicts/cfl_gone/resolve", 404, R"({"error":{"code":"not_found","message":"no conflict 'cfl_gone'"}})");
  master_.answer("POST", "/sync/conflicts/cfl_done/resolve", 409, R"({"error":{"code":"conflict","message":"already resolved"}})");
  master_.answer("POST", "/sync/conflicts/cfl_bad/resolve", 400, R"({"error":{"code":"bad_request","message":"unparsable ical"}})");
  auto r = ctl({"conflicts", "resolve", "cfl_gone", "--source-wins"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("--status all"), std::string::npos) << r.err;
  r = ctl({"conflicts", "resolve", "cfl_done", "--source-wins"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("already resolved; nothing changed"), std::string::npos) << r.err;
  r = ctl({"conflicts", "resolve", "cfl_bad", "--source-wins"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("400 bad_request"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace calsync::ctl
