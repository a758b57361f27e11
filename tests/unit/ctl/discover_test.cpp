// `calsyncctl discover <type>` through the whole CLI: connector keys as options, --user, secrets
// only as env:NAME or files (and never printed), the generic listCalendars() fallback, and the
// real connectors against their test servers and fixtures.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "core/registry.h"
#include "core/settings_access.h"
#include "ctl_runner.h"
#include "daemon/config/config.h"
#include "ews_test_server.h"
#include "olk15_fixture.h"
#include "tests/servers/graph/graph_test_server.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace calsync::ctl {
namespace {

using testing::runCtl;
using testing::ScopedEnv;

// A connector whose discover callback reports what it was given, to see the settings the CLI
// builds. Its report puts the resolved password into a setting, as a careless connector might.
Settings g_seen;
ConnectorInfo fakeInfo() {
  ConnectorInfo info;
  info.type = "ctl-fake";
  info.aliases = {"fake-alias"};
  info.keys = {describeKey("url", KeyType::Url, "", "endpoint"), describeKey("username", KeyType::String, "", "who"),
               describeKey("password", KeyType::Secret, "", "secret"),
               describeKey("request_timeout", KeyType::Duration, "60s", "how long")};
  info.keys[0].required = true;
  info.create = [](const ConnectorSpec&) -> std::unique_ptr<Connector> { return nullptr; };
  info.discover = [](const ConnectorSpec& spec) {
    g_seen = spec.settings;
    DiscoveryReport report;
    DiscoveredCalendar c;
    c.calendar.id = "cal-1";
    c.calendar.name = "Main";
    c.section_name = "fake-main";
    c.settings = {{"url", spec.settings.at("url")}, {"token", spec.settings.at("password")}, {"calendars", "cal-1"}};
    report.calendars.push_back(c);
    return report;
  };
  return info;
}
CALSYNC_REGISTER_CONNECTOR(ctl_fake, fakeInfo());

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

TEST(Discover, ConnectorKeysBecomeOptionsAndUserIsAnAlias) {
  ScopedEnv pw("CTL_FAKE_PW", "pa55word");
  const auto r = runCtl({"discover", "fake-alias", "--url", "https://x.example.com/", "--user", "bob", "--password",
                         "env:CTL_FAKE_PW", "--request_timeout", "2m"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(g_seen.at("username"), "bob");
  EXPECT_EQ(g_seen.at("password"), "pa55word") << "the connector gets the resolved secret";
  EXPECT_EQ(g_seen.at("request_timeout"), "120") << "values are normalized as calsyncd does";
  EXPECT_EQ(r.out.find("pa55word"), std::string::npos) << "...but it is never printed:\n" << r.out;
  EXPECT_NE(r.out.find("[source.fake-main]\ntype = ctl-fake\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("token = env:CALSYNC_FAKE_MAIN_TOKEN\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("note: the sections read a secret from the environment variable CALSYNC_FAKE_MAIN_TOKEN"),
            std::string::npos) << r.out;
}

TEST(Discover, ASecretFromAFileWorksToo) {
  calsync::testing::TempDir dir;
  const auto r = runCtl({"discover", "ctl-fake", "--url", "https://x.example.com/", "--password-file",
                         dir.write("pw", "from-file\n")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(g_seen.at("password"), "from-file");
  EXPECT_EQ(r.out.find("from-file"), std::string::npos);
}

TEST(Discover, UsageMistakesAreExplained) {
  auto r = runCtl({"discover", "ctl-fake", "--url", "https://x/", "--password", "hunter2"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("env:NAME"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos);

  r = runCtl({"discover", "ctl-fake"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--url: missing required key"), std::string::npos) << r.err;

  r = runCtl({"discover", "ctl-fake", "--url", "not a url"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--url:"), std::string::npos) << r.err;

  r = runCtl({"discover", "nosuchtype"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("olk15 (outlook-mac)"), std::string::npos) << "lists the types and aliases: " << r.err;

  r = runCtl({"discover"});
  EXPECT_EQ(r.code, kExitUsage);

  r = runCtl({"discover", "olk15", "--user", "x"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("no user key"), std::string::npos) << r.err;

  r = runCtl({"discover", "ctl-fake", "--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("--request-timeout"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--password-file"), std::string::npos);
}

const char* kTeam =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nX-WR-CALNAME:Team Ünïcode\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
    "DTSTAMP:20260101T000000Z\r\nDTSTART:20260301T090000Z\r\nSUMMARY:A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

TEST(Discover, WithoutACallbackTheCalendarsOfTheConnectorAreListed) {
  calsync::testing::TempDir dir;
  dir.write("ics/team.ics", kTeam);
  dir.write("ics/personal.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n");
  const std::string folder = (dir.path() / "ics").string();
  // A relative path is printed absolute, so the section works wherever it is pasted.
  auto r = runCtl({"discover", "ics", "--path", std::filesystem::relative(folder).string()});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Team Ünïcode"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[source.ics-team-n-code]\ntype = ics\npath = " + folder + "\n"), std::string::npos) << r.out;

  // The printed sections, pasted into a config, pass calsyncd's loader.
  r = runCtl({"discover", "ics", "--path", folder, "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto body = parse(r.out);
  EXPECT_EQ(body->getArray("calendars")->size(), 2u);
  const std::string ini = "[daemon]\nmode = agent\n[agent]\nid = a\nmaster_url = https://m.example.com\n" +
                          body->getValue<std::string>("ini");
  const config::Config loaded = config::load(dir.write("calsyncd.ini", ini));
  EXPECT_EQ(loaded.sources.size(), 2u);
  for (const auto& s : loaded.sources) EXPECT_EQ(s.calendars.size(), 1u);
}

TEST(Discover, ANamedSectionOfTheLocalConfigIsTheStartingPoint) {
  calsync::testing::TempDir dir;
  dir.write("ics/team.ics", kTeam);
  const std::string ini = dir.write("calsyncd.ini", "[daemon]\nmode = agent\ndata_dir = data\n[agent]\nid = a\n"
                                                    "master_url = https://m.example.com\n[source.team]\ntype = ics\n"
                                                    "path = ics\ncalendar_name = Renamed\n");
  auto r = runCtl({"discover", "ics", "--source", "team", "--config", ini});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Renamed"), std::string::npos) << "the section's own keys apply: " << r.out;
  r = runCtl({"discover", "olk15", "--source", "team", "--config", ini});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("not of type olk15"), std::string::npos) << r.err;
  r = runCtl({"discover", "ics", "--source", "nope", "--config", ini});
  EXPECT_EQ(r.code, kExitConfig);
}

TEST(Discover, EwsListsTheMailboxCalendars) {
  calsync::testing::ews::EwsTestServer::Options options;
  options.auth = calsync::testing::ews::EwsTestServer::Auth::Basic;
  calsync::testing::ews::EwsTestServer server(options);
  server.addUser("jdoe", "s3cret", "jdoe@example.com");
  server.createCalendarFolder("jdoe@example.com", server.calendarFolderId("jdoe@example.com"), "Team Calendar");
  ScopedEnv pw("CTL_EWS_PW", "s3cret");
  auto r = runCtl({"discover", "ews", "--url", server.url(), "--user", "jdoe", "--password", "env:CTL_EWS_PW"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("yes    calendar"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Team Calendar"), std::string::npos);
  EXPECT_NE(r.out.find("[source.calendar]\ntype = ews\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; [source.team-calendar]"), std::string::npos) << "unsuggested sections are commented out";
  EXPECT_NE(r.out.find("password = env:CALSYNC_EWS_PASSWORD"), std::string::npos);
  EXPECT_EQ(r.out.find("s3cret"), std::string::npos);

  ScopedEnv wrong("CTL_EWS_PW", "wrong");
  r = runCtl({"discover", "ews", "--url", server.url(), "--user", "jdoe", "--password", "env:CTL_EWS_PW"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("discover ews failed (auth)"), std::string::npos) << r.err;
}

TEST(Discover, OutlookMacShowsAccountsCountsSuggestionsAndNewOutlook) {
  namespace fx = calsync::olk15::fixture;
  calsync::testing::TempDir dir;
  const auto root = dir.path() / "Outlook 15 Profiles";
  fx::ProfileBuilder profile(root);
  fx::writeSampleProfile(profile, 1790000000);
  fx::ProfileBuilder new_outlook(root, "Main Identity");
  new_outlook.writeHxStore();
  const auto r = runCtl({"discover", "outlook-mac", "--profile-root", root.string(), "--work-domains", "example.com"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("note: profile 'Main Identity'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("New Outlook"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("jdoe@example.com"), std::string::npos);
  EXPECT_NE(r.out.find("work account (example.com), 10 events"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not a work domain"), std::string::npos);
  EXPECT_NE(r.out.find("[source.outlook-jdoe]\ntype = olk15\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("calendars = folder-101\n"), std::string::npos);
  EXPECT_NE(r.out.find("; not suggested: looks like a system calendar (\"birthday\")"), std::string::npos) << r.out;
}

TEST(Discover, NothingFoundIsAFailureWithTheReason) {
  calsync::testing::TempDir dir;
  const auto r = runCtl({"discover", "outlook-mac", "--profile-root", dir.path().string()});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.out.find("note:"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("found no calendars"), std::string::npos) << r.err;
}

TEST(Discover, GraphWithAppCredentials) {
  calsync::testing::GraphTestServer server;
  server.oauth().addClient("daemon-app", "daemon-secret");
  server.addMailbox("jdoe@contoso.com");
  server.addCalendar("jdoe@contoso.com", "Calendar");
  server.addCalendar("jdoe@contoso.com", "Team (shared)", false);
  ScopedEnv secret("CTL_GRAPH_SECRET", "daemon-secret");
  const auto r = runCtl({"discover", "m365", "--auth", "client_credentials", "--client-id", "daemon-app", "--client-secret",
                         "env:CTL_GRAPH_SECRET", "--tenant", "contoso", "--user", "jdoe@contoso.com", "--login-url",
                         server.loginUrl(), "--api-url", server.apiUrl(), "--ca-file", calsync::testing::testCaFile(),
                         "--json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto body = parse(r.out);
  EXPECT_EQ(body->getValue<std::string>("type"), "graph");
  const auto calendars = body->getArray("calendars");
  ASSERT_EQ(calendars->size(), 2u);
  EXPECT_EQ(calendars->getObject(0)->getValue<std::string>("account"), "jdoe@contoso.com");
  EXPECT_EQ(calendars->getObject(1)->getValue<std::string>("reason"), "read-only (shared with you)");
  EXPECT_EQ(r.out.find("daemon-secret"), std::string::npos);
}

}  // namespace
}  // namespace calsync::ctl
