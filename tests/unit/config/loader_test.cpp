#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config/config.h"
#include "tests/unit/config/fake_connector.h"
#include "tests/support/temp_dir.h"

namespace calsync::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kDestinationAndSource =
    "[destination]\n"
    "type = fake\n"
    "url = https://dav.example.com/cal/\n"
    "\n"
    "[source.work]\n"
    "type = fake\n"
    "url = https://work.example.com/cal/\n";

class LoaderTest : public ::testing::Test {
 protected:
  Config loadMain(const std::string& content) { return load(dir_.write("main.ini", content), registry_); }

  // The issues of a load that must fail, with the temp dir stripped from the file names.
  std::vector<std::string> issuesOf(const std::string& content) {
    try {
      loadMain(content);
    } catch (const ConfigError& error) {
      std::vector<std::string> lines;
      for (const Issue& issue : error.issues) {
        std::string line = issue.toString();
        const std::string prefix = dir_.path().string() + "/";
        if (line.starts_with(prefix)) line.erase(0, prefix.size());
        lines.push_back(line);
      }
      return lines;
    }
    ADD_FAILURE() << "the configuration loaded without issues";
    return {};
  }

  testing::TempDir dir_;
  ConnectorRegistry registry_ = testing::fakeRegistry();
};

TEST_F(LoaderTest, MinimalStandaloneConfigGetsEveryDefault) {
  const Config config = loadMain(kDestinationAndSource);

  EXPECT_EQ(config.daemon.mode, "standalone");
  EXPECT_EQ(config.daemon.data_dir, "/var/lib/calsync");
  EXPECT_EQ(config.daemon.log_level, "info");
  EXPECT_TRUE(config.daemon.component_levels.empty());
  EXPECT_TRUE(config.daemon.log_console);
  EXPECT_EQ(config.daemon.log_file, "");
  EXPECT_EQ(config.daemon.log_file_max_bytes, 10 * 1024 * 1024);
  EXPECT_EQ(config.daemon.log_file_count, 5);
  EXPECT_FALSE(config.daemon.log_syslog);

  EXPECT_FALSE(config.agent.id.empty());   // the host name
  EXPECT_EQ(config.agent.name, config.agent.id);
  EXPECT_EQ(config.agent.sync_interval_seconds, 30 * 60);
  EXPECT_EQ(config.agent.window_past_seconds, 30 * 86400);
  EXPECT_EQ(config.agent.window_future_seconds, 90 * 86400);
  EXPECT_EQ(config.agent.max_retry_attempts, 5);

  EXPECT_EQ(config.master.listen, "0.0.0.0:8008");
  EXPECT_EQ(config.master.store, "sqlite");
  EXPECT_EQ(config.master.conflict_resolution, "latest_wins");
  EXPECT_FALSE(config.master.allow_plain_http);

  ASSERT_TRUE(config.destination);
  EXPECT_EQ(config.destination->spec.type, "fake");
  EXPECT_EQ(config.destination->spec.settings.at("url"), "https://dav.example.com/cal/");
  EXPECT_EQ(config.destination->spec.settings.count("type"), 0u);
  EXPECT_EQ(config.destination->calendar, "");
  EXPECT_EQ(config.destination->origin.line, 1);

  ASSERT_EQ(config.sources.size(), 1u);
  const SourceConfig& work = config.sources.front();
  EXPECT_EQ(work.name, "work");
  EXPECT_EQ(work.spec.name, "work");
  EXPECT_EQ(work.spec.data_dir, "/var/lib/calsync/sources/work");
  EXPECT_EQ(work.spec.settings.at("depth"), "3");
  EXPECT_EQ(work.spec.settings.at("password"), "");
  EXPECT_TRUE(work.calendars.empty());
  EXPECT_TRUE(work.enabled);
  EXPECT_FALSE(work.allow_event_updates);
  EXPECT_FALSE(work.allow_metadata_updates);
  EXPECT_EQ(work.origin.line, 5);

  EXPECT_EQ(config.files_read, std::vector<std::string>{(dir_.path() / "main.ini").string()});
  EXPECT_EQ(config.sections.at("source.work").origins.at("url").line, 7);
  EXPECT_EQ(config.sections.at("daemon").origins.count("mode"), 0u);   // a default has no origin
}

TEST_F(LoaderTest, WrittenValuesAreNormalized) {
  const Config config = loadMain(
      "[daemon]\n"
      "log_levels = caldav=debug, store = warning\n"
      "log_syslog = yes\n"
      "log_file = logs/calsyncd.log   ; relative to this file\n"
      "[agent]\n"
      "sync_interval = 2h\n"
      "window_past = 1w\n"
      "window_future = \"45\"\n" +
      kDestinationAndSource +
      "calendars = Calendar ,  Team Calendar\n"
      "allow_event_updates = on\n"
      "enabled = 0\n");
  EXPECT_EQ(config.daemon.component_levels, (std::map<std::string, std::string>{{"caldav", "debug"}, {"store", "warning"}}));
  EXPECT_TRUE(config.daemon.log_syslog);
  EXPECT_EQ(config.daemon.log_file, (dir_.path() / "logs/calsyncd.log").string());
  EXPECT_EQ(config.agent.sync_interval_seconds, 7200);
  EXPECT_EQ(config.agent.window_past_seconds, 7 * 86400);
  EXPECT_EQ(config.agent.window_future_seconds, 45);
  const SourceConfig& work = config.sources.front();
  EXPECT_THAT(work.calendars, ElementsAre("Calendar", "Team Calendar"));
  EXPECT_TRUE(work.allow_event_updates);
  EXPECT_FALSE(work.enabled);
  EXPECT_EQ(work.spec.settings.at("allow_event_updates"), "true");
}

TEST_F(LoaderTest, ReportsEveryKindOfIssueWithFileAndLine) {
  const auto issues = issuesOf(
      "[daemon]\n"                      // 1
      "colour = blue\n"                 // 2 unknown key
      "log_level = loud\n"              // 3 bad enum
      "log_syslog = maybe\n"            // 4 bad bool
      "log_level = info\n"              // 5 duplicate key
      "this line is not ini\n"          // 6 malformed line
      "[agent]\n"                       // 7
      "sync_interval = 5s\n"            // 8 duration out of range
      "[gadgets]\n"                     // 9 unknown section
      "gizmo = 1\n"                     // 10 (belongs to the unknown section: not reported again)
      "[destination]\n"                 // 11
      "type = fake\n"                   // 12 missing required url
      "[source.work]\n"                 // 13
      "type = exchange2003\n");         // 14 unknown connector type
  EXPECT_THAT(issues, ElementsAre("main.ini:2: [daemon] colour: unknown key",
                                  "main.ini:3: [daemon] log_level: 'loud' is not one of: trace, debug, info, warning, error",
                                  "main.ini:4: [daemon] log_syslog: 'maybe' is not a boolean (use true/false, yes/no, on/off or 1/0)",
                                  "main.ini:5: [daemon] log_level: duplicate key (already set at line 3)",
                                  "main.ini:6: [daemon]: expected 'key = value', a [section] header or a comment",
                                  "main.ini:8: [agent] sync_interval: 5s is out of range 10s..1d",
                                  "main.ini:9: [gadgets]: unknown section (expected daemon, agent, master, destination or source.NAME)",
                                  "main.ini:11: [destination] url: missing required key",
                                  "main.ini:14: [source.work] type: unknown connector type 'exchange2003' (known: fake, readonly)"));
}

TEST_F(LoaderTest, SuggestsTheKeyThatWasMeant) {
  EXPECT_THAT(issuesOf("[daemon]\nlog_lvel = debug\nMode = agent\n" + kDestinationAndSource),
              ElementsAre("main.ini:2: [daemon] log_lvel: unknown key (did you mean 'log_level'?)",
                          "main.ini:3: [daemon] Mode: unknown key (did you mean 'mode'?)"));
}

TEST_F(LoaderTest, ChecksConnectorKeysAndDestinationCapability) {
  EXPECT_THAT(issuesOf("[destination]\n"
                       "type = readonly\n"
                       "url = https://x.example.com/\n"
                       "[source.work]\n"
                       "type = fake\n"
                       "url = not a url\n"
                       "depth = 9\n"
                       "calendars = a,,b\n"
                       "[source.bad name]\n"
                       "type = fake\n"
                       "[source.empty]\n"),
              ElementsAre("main.ini:2: [destination] type: connector type 'readonly' cannot be a destination (types that can: fake)",
                          "main.ini:6: [source.work] url: not an http:// or https:// URL with a host",
                          "main.ini:7: [source.work] depth: 9 is out of range 1..5",
                          "main.ini:8: [source.work] calendars: the list has an empty item",
                          "main.ini:9: [source.bad name]: a source section is named [source.NAME], NAME made of letters, digits, '-' and '_'",
                          "main.ini:11: [source.empty] type: missing required key"));
}

TEST_F(LoaderTest, ModeDecidesWhatIsRequired) {
  EXPECT_THAT(issuesOf("[daemon]\nmode = standalone\n"),
              ElementsAre("main.ini:2: [destination]: a [destination] section is required when mode = standalone",
                          "main.ini:2: at least one [source.NAME] section is required when mode = standalone"));
  EXPECT_THAT(issuesOf("[daemon]\nmode = agent\n[agent]\nid = pc-1\n[source.work]\ntype = fake\nurl = https://a.example/\n"),
              ElementsAre("main.ini:3: [agent] master_url: required when mode = agent"));
  EXPECT_THAT(issuesOf("[daemon]\nmode = sideways\n"),
              ElementsAre("main.ini:2: [daemon] mode: 'sideways' is not one of: agent, master, standalone"));
  EXPECT_THAT(issuesOf("\n[daemon]\nmode = agent\n[source.work]\ntype = fake\nurl = https://a.example/\n"),
              ElementsAre("main.ini:3: [agent] master_url: required when mode = agent"));
  EXPECT_THAT(issuesOf("[daemon]\nmode = master\n[master]\ntls_key = /etc/calsync/key.pem\n"),
              ElementsAre("main.ini:3: [master] tls_cert: mode = master needs tls_cert and tls_key, or allow_plain_http = true",
                          "main.ini:4: [master] tls_key: tls_cert and tls_key must be given together"));

  const Config master = loadMain("[daemon]\nmode = master\n[master]\nallow_plain_http = true\nstore = postgresql://calsync@db/calsync\n");
  EXPECT_TRUE(master.sources.empty());
  EXPECT_FALSE(master.destination);
  EXPECT_EQ(master.master.store, "postgresql://calsync@db/calsync");

  const Config agent = loadMain("[daemon]\nmode = agent\n[agent]\nmaster_url = https://master.example.com:8008\n"
                                "[source.work]\ntype = fake\nurl = https://a.example/\n");
  EXPECT_EQ(agent.agent.master_url, "https://master.example.com:8008");
}

TEST_F(LoaderTest, RejectsAStoreThatIsNeitherSqliteNorPostgres) {
  EXPECT_THAT(issuesOf("[master]\nstore = mysql://db/x\n" + kDestinationAndSource),
              ElementsAre("main.ini:2: [master] store: must be 'sqlite' or a postgresql:// URL"));
}

TEST_F(LoaderTest, ChecksEachComponentLevel) {
  EXPECT_THAT(issuesOf("[daemon]\nlog_levels = caldav=debug, store=loud, =info, ics\n" + kDestinationAndSource),
              ElementsAre(HasSubstr("'store=loud' is not component=level"), HasSubstr("'=info' is not component=level"),
                          HasSubstr("'ics' is not component=level")));
}

TEST_F(LoaderTest, DropInsAreReadInNameOrderAndOverrideEarlierKeys) {
  dir_.write("conf.d/20-later.ini", "[daemon]\nlog_level = debug\n");
  dir_.write("conf.d/10-early.ini", "[daemon]\nlog_level = warning\n\n[agent]\nwindow_past = 10d\n");
  dir_.write("conf.d/30-sources.ini", "[source.home]\ntype = fake\nurl = https://home.example.com/\n");
  dir_.write("conf.d/notes.txt", "this is not ini and must be ignored\n");
  dir_.write("conf.d/.swap.ini", "neither is this\n");
  const Config config = loadMain("[daemon]\nlog_level = info\n[agent]\nwindow_future = 10d\n" + kDestinationAndSource);

  const auto in = [&](const std::string& name) { return (dir_.path() / name).string(); };
  EXPECT_EQ(config.files_read,
            (std::vector<std::string>{in("main.ini"), in("conf.d/10-early.ini"), in("conf.d/20-later.ini"), in("conf.d/30-sources.ini")}));
  EXPECT_EQ(config.daemon.log_level, "debug");
  EXPECT_EQ(config.agent.window_past_seconds, 10 * 86400);
  EXPECT_EQ(config.agent.window_future_seconds, 10 * 86400);

  const auto& daemon_origins = config.sections.at("daemon").origins;
  EXPECT_EQ(daemon_origins.at("log_level").file, in("conf.d/20-later.ini"));
  EXPECT_EQ(daemon_origins.at("log_level").line, 2);
  EXPECT_EQ(config.sections.at("agent").origins.at("window_past").file, in("conf.d/10-early.ini"));
  EXPECT_EQ(config.sections.at("agent").origins.at("window_past").line, 5);
  EXPECT_EQ(config.sections.at("agent").origins.at("window_future").file, in("main.ini"));

  ASSERT_EQ(config.sources.size(), 2u);
  EXPECT_EQ(config.sources[0].name, "home");
  EXPECT_EQ(config.sources[0].origin.file, in("conf.d/30-sources.ini"));
}

TEST_F(LoaderTest, IssuesInDropInsNameTheirOwnFile) {
  dir_.write("conf.d/10-x.ini", "[daemon]\nlog_file_count = 0\n");
  EXPECT_THAT(issuesOf("[daemon]\nlog_file_count = 7\n" + kDestinationAndSource),
              ElementsAre("conf.d/10-x.ini:2: [daemon] log_file_count: 0 is out of range 1..100"));
}

TEST_F(LoaderTest, UnreadableMainFileIsOneIssue) {
  try {
    load((dir_.path() / "missing.ini").string(), registry_);
    FAIL() << "loaded a missing file";
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.issues.size(), 1u);
    EXPECT_THAT(error.what(), HasSubstr("missing.ini: cannot read"));
  }
}

TEST_F(LoaderTest, WhatListsEveryIssueOnItsOwnLine) {
  try {
    loadMain("[daemon]\nmode = sideways\nnope = 1\n" + kDestinationAndSource);
    FAIL() << "loaded a bad file";
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.issues.size(), 2u);
    EXPECT_EQ(std::string(error.what()), error.issues[0].toString() + "\n" + error.issues[1].toString());
  }
}

TEST_F(LoaderTest, EffectiveIniShowsOriginsAndHidesSecrets) {
  const Config config = loadMain("[master]\nadmin_token = very-secret-token\n" + kDestinationAndSource +
                                 "password = another-secret\n");
  const std::string text = effectiveIni(config, registry_);
  EXPECT_THAT(text, HasSubstr("admin_token = <hidden>   ; " + (dir_.path() / "main.ini").string() + ":2"));
  EXPECT_THAT(text, HasSubstr("sync_interval = 30m   ; default"));
  EXPECT_THAT(text, HasSubstr("[source.work]\ntype = fake"));
  EXPECT_THAT(text, Not(HasSubstr("very-secret-token")));
  EXPECT_THAT(text, Not(HasSubstr("another-secret")));
}

TEST(ConfigPaths, DefaultConfigPathNamesTheIniFile) {
  EXPECT_THAT(defaultConfigPath(), ::testing::EndsWith("calsyncd.ini"));
}

}  // namespace
}  // namespace calsync::config
