// How calsyncctl reads its command line: commands, arguments, options, and the exit code 2
// with a helpful message for every kind of usage mistake.
#include <gtest/gtest.h>

#include "ctl_runner.h"
#include "fake_master.h"

namespace calsync::ctl {
namespace {

using testing::FakeMaster;
using testing::runCtl;
using testing::ScopedEnv;

TEST(CtlOptions, NoCommandPrintsTheOverviewAsAUsageError) {
  const auto r = runCtl({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("calendars rename ID NAME"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(CtlOptions, HelpAndVersionSucceed) {
  auto r = runCtl({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("discover TYPE"), std::string::npos);
  EXPECT_NE(r.out.find("78 bad configuration"), std::string::npos);
  r = runCtl({"--version"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out.rfind("calsyncctl ", 0), 0u);
  r = runCtl({"calendars", "rename", "--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("usage: calsyncctl calendars rename ID NAME"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--token-file"), std::string::npos) << r.out;
}

TEST(CtlOptions, UnknownCommandsAndSubcommandsAreUsageErrors) {
  auto r = runCtl({"frobnicate"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
  r = runCtl({"calendars"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("list, rename, recolor"), std::string::npos) << r.err;
  r = runCtl({"calendars", "delete", "x"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("unknown command 'calendars delete'"), std::string::npos) << r.err;
}

TEST(CtlOptions, ArgumentCountsAreChecked) {
  auto r = runCtl({"calendars", "rename", "cal_1"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("missing argument"), std::string::npos) << r.err;
  r = runCtl({"calendars", "rename", "cal_1", "New", "extra"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("unexpected argument 'extra'"), std::string::npos) << r.err;
  r = runCtl({"status", "--bogus"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--bogus"), std::string::npos) << r.err;
}

TEST(CtlOptions, TheAdminTokenIsNeverAPlainArgument) {
  const auto r = runCtl({"status", "--token", "admin-secret"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.err.find("admin-secret"), std::string::npos) << "usage errors must not echo a secret-looking value";
}

TEST(CtlOptions, BadValuesAreUsageErrorsBeforeAnythingIsSent) {
  FakeMaster master;
  ScopedEnv token("CALSYNC_ADMIN_TOKEN", "admin-secret");
  const std::vector<std::vector<std::string>> cases = {
      {"calendars", "recolor", "cal_1", "blue"},
      {"calendars", "recolor", "cal_1", "#12345"},
      {"token", "create", "--expires", "10s"},
      {"token", "create", "--expires", "soon"},
      {"events", "list", "--from", "yesterday"},
      {"events", "list", "--to", "2026-13-01"},
      {"updates", "list", "--limit", "0"},
      {"conflicts", "list", "--status", "pending"},
      {"conflicts", "resolve", "cfl_1"},
      {"conflicts", "resolve", "cfl_1", "--source-wins", "--destination-wins"},
      {"status", "--timeout", "0"},
  };
  for (auto args : cases) {
    args.insert(args.end(), {"--master", master.url()});
    const auto r = runCtl(args);
    EXPECT_EQ(r.code, kExitUsage) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  EXPECT_TRUE(master.requests().empty()) << "nothing may reach the master for a usage error";
}

TEST(CtlOptions, OptionsMayComeBeforeTheCommandAndUnderscoresSpellDashes) {
  FakeMaster master;
  master.answer("GET", "/calendars", 200, R"({"calendars":[]})");
  ScopedEnv token("CALSYNC_ADMIN_TOKEN", "admin-secret");
  auto r = runCtl({"--json", "--master", master.url(), "calendars", "list"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("\"calendars\""), std::string::npos) << r.out;
  r = runCtl({"calendars", "list", "--master=" + master.url(), "--token_file=/nonexistent"});
  EXPECT_EQ(r.code, kExitUsage) << "--token_file is --token-file: " << r.err;
  EXPECT_NE(r.err.find("/nonexistent"), std::string::npos);
}

}  // namespace
}  // namespace calsync::ctl
