// `calsyncctl import outlook-config`: the mapping (calendars, schedule, destination), every key
// it does not map reported by JSON path, secrets never copied, and the result checked by the
// config loader before anything is written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ctl_runner.h"
#include "daemon/config/config.h"
#include "daemon/ctl/outlook_import.h"
#include "tests/support/temp_dir.h"

namespace calsync::ctl {
namespace {

using testing::runCtl;

const ImportIssue* issueAt(const ImportResult& r, const std::string& path) {
  for (const auto& u : r.unmapped) {
    if (u.path == path) return &u;
  }
  return nullptr;
}

constexpr const char* kSeedAgent = R"({
  "master_url": "https://master.example.com:8008",
  "agent_id": "office-mac-3",
  "agent_name": "Front desk Mac",
  "api_key": "sk-live-7f3a9c-SECRET",
  "sync_interval_minutes": 5,
  "days_back": 14,
  "days_forward": 120,
  "log_level": "WARN",
  "work_domains": ["example.com", "example.org"],
  "outlook": {"type": "mac", "profile_root": "/Users/frontdesk/Library/Group Containers/UBF8T346G9.Office/Outlook/Outlook 15 Profiles/Main Profile"},
  "calendars": [
    {"name": "Calendar", "folder_id": 101, "account": "desk@example.com", "color": "#ff0000"},
    {"name": "Team Ünïcode", "enabled": true},
    {"name": "Birthdays", "enabled": false},
    "Holidays in Germany"
  ],
  "ui": {"theme": "dark", "notifications": true},
  "smtp_password": "hunter2-SECRET"
})";

TEST(OutlookImport, MapsTheSeedAgentConfig) {
  const ImportResult r = importOutlookConfig(kSeedAgent, "outlook_config.json");
  EXPECT_NE(r.ini.find("[daemon]\nmode = agent\nlog_level = warning\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("master_url = https://master.example.com:8008\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("id = office-mac-3\nname = Front desk Mac\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("sync_interval = 5m\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("window_past = 14d\n"), std::string::npos);
  EXPECT_NE(r.ini.find("window_future = 120d\n"), std::string::npos);
  EXPECT_NE(r.ini.find("[source.outlook]\ntype = olk15\nprofile_root = /Users/frontdesk/Library/Group Containers/"),
            std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("work_domains = example.com, example.org\n"), std::string::npos);
  EXPECT_NE(r.ini.find("calendars = folder-101, Team Ünïcode, Holidays in Germany\n"), std::string::npos) << r.ini;
  bool birthdays_noted = false;
  for (const auto& n : r.notes) birthdays_noted = birthdays_noted || n.find("calendars[2] (Birthdays) is disabled") != std::string::npos;
  EXPECT_TRUE(birthdays_noted);
}

TEST(OutlookImport, SecretsBecomePlaceholdersAndNeverAppear) {
  const ImportResult r = importOutlookConfig(kSeedAgent, "outlook_config.json");
  EXPECT_EQ(r.ini.find("SECRET"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("enroll_token = env:CALSYNC_ENROLL_TOKEN\n"), std::string::npos) << r.ini;
  ASSERT_EQ(r.secrets.size(), 1u);
  EXPECT_EQ(r.secrets[0].path, "api_key");
  EXPECT_EQ(r.secrets[0].variable, "CALSYNC_ENROLL_TOKEN");
  // An unknown key holding a credential is reported, without its value.
  const ImportIssue* smtp = issueAt(r, "smtp_password");
  ASSERT_NE(smtp, nullptr);
  EXPECT_NE(smtp->reason.find("credential"), std::string::npos);
  for (const auto& u : r.unmapped) EXPECT_EQ(u.reason.find("SECRET"), std::string::npos);
}

TEST(OutlookImport, EveryUnmappedKeyIsReportedByItsPath) {
  const ImportResult r = importOutlookConfig(kSeedAgent, "outlook_config.json");
  for (const char* path : {"ui.theme", "ui.notifications", "calendars[0].color", "calendars[0].account", "smtp_password"}) {
    EXPECT_NE(issueAt(r, path), nullptr) << path;
    EXPECT_NE(r.ini.find(std::string(";   ") + path + ":"), std::string::npos) << "listed in the file's header: " << path;
  }
  EXPECT_EQ(r.unmapped.size(), 5u);
  EXPECT_EQ(issueAt(r, "calendars[0].name"), nullptr) << "mapped keys are not reported";
  EXPECT_EQ(issueAt(r, "master_url"), nullptr);
}

TEST(OutlookImport, TheResultPassesTheConfigLoader) {
  calsync::testing::TempDir dir;
  const ImportResult r = importOutlookConfig(kSeedAgent, "outlook_config.json");
  std::string ini = r.ini;
  ini.replace(ini.find("env:CALSYNC_ENROLL_TOKEN"), 24, "stand-in");
  const config::Config loaded = config::load(dir.write("calsyncd.ini", ini));
  EXPECT_EQ(loaded.daemon.mode, "agent");
  EXPECT_EQ(loaded.agent.sync_interval_seconds, 300);
  ASSERT_EQ(loaded.sources.size(), 1u);
  EXPECT_EQ(loaded.sources[0].calendars, (std::vector<std::string>{"folder-101", "Team Ünïcode", "Holidays in Germany"}));
}

TEST(OutlookImport, OtherShapesOfTheSameFacts) {
  const ImportResult r = importOutlookConfig(R"({
    "master": {"url": "master.example.com:8443", "verify_ssl": false},
    "agent": {"id": "pc-7", "name": "PC 7", "token": "abc"},
    "sync": {"interval": "15m", "days_back": 7},
    "calendars": {"Calendar": true, "Birthdays": false, "Team": {"enabled": true}},
    "work_domains": "example.com, example.net",
    "bidirectional": true})", "x.json");
  EXPECT_NE(r.ini.find("master_url = https://master.example.com:8443\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("sync_interval = 15m\n"), std::string::npos);
  EXPECT_NE(r.ini.find("window_past = 7d\n"), std::string::npos);
  EXPECT_NE(r.ini.find("calendars = Calendar, Team\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("work_domains = example.com, example.net\n"), std::string::npos);
  EXPECT_NE(r.ini.find("allow_event_updates = true\n"), std::string::npos);
  const ImportIssue* verify = issueAt(r, "master.verify_ssl");
  ASSERT_NE(verify, nullptr) << "turning TLS verification off is not carried over, and it says so";
  EXPECT_NE(verify->reason.find("always verifies"), std::string::npos);
  EXPECT_EQ(r.ini.find("abc"), std::string::npos);
}

TEST(OutlookImport, NoEnabledCalendarNeverMeansAllCalendars) {
  const ImportResult r = importOutlookConfig(
      R"({"master_url":"https://m:8008","calendars":[{"name":"A","enabled":false},{"name":"B","sync":false}]})", "x.json");
  EXPECT_EQ(r.ini.find("calendars ="), std::string::npos);
  EXPECT_NE(r.ini.find("enabled = false\n"), std::string::npos) << r.ini;
}

TEST(OutlookImport, AStandaloneDestinationIsMappedWithoutItsPassword) {
  const ImportResult r = importOutlookConfig(R"({
    "calendars": ["Calendar"],
    "destination": {"type": "sogo", "url": "https://mail.example.com/SOGo/dav/u@example.com/Calendar/personal/",
                    "username": "u@example.com", "password": "dest-SECRET", "refresh_token": "rt-SECRET", "verify": true}})",
                                             "x.json");
  EXPECT_NE(r.ini.find("mode = standalone\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("[master]\nlisten = 127.0.0.1:8008\nallow_plain_http = true\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("[destination]\ntype = caldav\n"), std::string::npos) << r.ini;
  EXPECT_NE(r.ini.find("password = env:CALSYNC_DESTINATION_PASSWORD\n"), std::string::npos);
  EXPECT_NE(r.ini.find("username = u@example.com\n"), std::string::npos);
  EXPECT_EQ(r.ini.find("SECRET"), std::string::npos);
  EXPECT_NE(issueAt(r, "destination.refresh_token"), nullptr);
  EXPECT_NE(issueAt(r, "destination.verify"), nullptr);
}

TEST(OutlookImport, AnAgentsDestinationBelongsToTheMaster) {
  const ImportResult r = importOutlookConfig(
      R"({"master_url":"https://m:8008","destination":{"type":"google","client_secret":"x"}})", "x.json");
  EXPECT_EQ(r.ini.find("\n[destination]\n"), std::string::npos) << r.ini;
  const ImportIssue* destination = issueAt(r, "destination");
  ASSERT_NE(destination, nullptr);
  EXPECT_NE(destination->reason.find("master's [destination]"), std::string::npos);
}

TEST(OutlookImport, OutlookForWindowsIsReportedNotGuessed) {
  const ImportResult r = importOutlookConfig(
      R"({"master_url":"https://m:8008","outlook":{"type":"windows","profile":"Outlook"},"calendars":["Calendar"]})", "x.json");
  EXPECT_EQ(r.ini.find("[source."), std::string::npos) << r.ini;
  ASSERT_NE(issueAt(r, "outlook.type"), nullptr);
  ASSERT_NE(issueAt(r, "calendars[0]"), nullptr) << "what would have gone into the source is reported too";
  EXPECT_NE(issueAt(r, "outlook.profile"), nullptr);
}

TEST(OutlookImport, AStrangeKeyCannotBreakTheFile) {
  calsync::testing::TempDir dir;
  const ImportResult r =
      importOutlookConfig(R"({"master_url": "https://m:8008", "calendars": ["C"], "bad\n[daemon]\nmode": 1})", "x.json");
  ASSERT_NE(issueAt(r, "bad\n[daemon]\nmode"), nullptr);
  EXPECT_NO_THROW(config::load(dir.write("calsyncd.ini", r.ini))) << r.ini;
}

TEST(OutlookImport, NotAnObjectIsRefused) {
  EXPECT_THROW(importOutlookConfig("[1, 2]", "x.json"), std::invalid_argument);
  EXPECT_THROW(importOutlookConfig("{\"a\": ", "x.json"), std::invalid_argument);
}

// The command around the mapping.
TEST(ImportCommand, WritesAValidatedFileAndReportsWhatItLeftOut) {
  calsync::testing::TempDir dir;
  const std::string input = dir.write("outlook_config.json", kSeedAgent);
  const std::string output = (dir.path() / "calsyncd.ini").string();
  auto r = runCtl({"import", "outlook-config", input, "--output", output});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("Not imported (5), by JSON path:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  ui.theme: no calsync equivalent known"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CALSYNC_ENROLL_TOKEN  for [agent] enroll_token (was api_key)"), std::string::npos) << r.err;
  std::ifstream in(output);
  std::stringstream written;
  written << in.rdbuf();
  EXPECT_NE(written.str().find("[source.outlook]"), std::string::npos);
  EXPECT_EQ(written.str().find("SECRET"), std::string::npos);

  r = runCtl({"import", "outlook-config", input, "--output", output});
  EXPECT_EQ(r.code, kExitUsage) << "an existing file is not overwritten";
  EXPECT_NE(r.err.find("--force"), std::string::npos);
  EXPECT_EQ(runCtl({"import", "outlook-config", input, "--output", output, "--force"}).code, kExitOk);
}

TEST(ImportCommand, AResultTheLoaderRefusesIsNotWritten) {
  calsync::testing::TempDir dir;
  // No master URL and no destination: an agent without a master.
  const std::string input = dir.write("outlook_config.json", R"({"agent_id": "x", "calendars": ["Calendar"]})");
  const std::string output = (dir.path() / "calsyncd.ini").string();
  const auto r = runCtl({"import", "outlook-config", input, "--output", output});
  EXPECT_EQ(r.code, kExitConfig);
  EXPECT_NE(r.err.find("[agent] master_url: required when mode = agent"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was written"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(output));
}

TEST(ImportCommand, PrintsToStdoutAndAsJson) {
  calsync::testing::TempDir dir;
  const std::string input = dir.write("outlook_config.json", kSeedAgent);
  auto r = runCtl({"import", "outlook-config", input});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("; calsyncd configuration imported", 0), 0u);
  r = runCtl({"import", "outlook-config", input, "--json"});
  ASSERT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("\"variable\": \"CALSYNC_ENROLL_TOKEN\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"path\": \"ui.theme\""), std::string::npos);
  EXPECT_EQ(r.out.find("SECRET"), std::string::npos);
  r = runCtl({"import", "outlook-config", dir.write("bad.json", "{ not json")});
  EXPECT_EQ(r.code, kExitConfig);
  EXPECT_NE(r.err.find("not valid JSON"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace calsync::ctl
