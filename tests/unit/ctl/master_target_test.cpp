// Which master calsyncctl talks to and with which admin token: --master or the local config's
// [master] listen (or an agent's master_url), and --token-file, CALSYNC_ADMIN_TOKEN or the
// config's admin_token, in that order. Plain http only to loopback.
#include <gtest/gtest.h>

#include <filesystem>

#include "ctl_runner.h"
#include "fake_master.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace calsync::ctl {
namespace {

using testing::FakeMaster;
using testing::runCtl;
using testing::ScopedEnv;

constexpr const char* kAgents = R"({"agent_status":{"office-pc-1":{"id":"office-pc-1","name":"Office PC","status":"online",
  "last_check_in":"2026-03-01T10:00:00Z","enrolled":true,"updates":{"pending":2,"failed":1}}}})";

class MasterTarget : public ::testing::Test {
 protected:
  void SetUp() override { master_.answer("GET", "/sync/agents/status", 200, kAgents); }

  std::string config(const std::string& master_section, const std::string& extra = "") {
    return dir_.write("calsyncd.ini", "[daemon]\nmode = standalone\ndata_dir = data\n\n[master]\n" + master_section +
                                          "\n" + extra + "\n[destination]\ntype = caldav\nurl = http://127.0.0.1:1/\n"
                                          "password = env:CALSYNC_TEST_UNSET_DEST_PASSWORD\n\n"
                                          "[source.team]\ntype = ics\npath = team.ics\n");
  }
  std::string port() const { return std::to_string(master_.port()); }

  calsync::testing::TempDir dir_;
  FakeMaster master_{"admin-secret"};
  ScopedEnv no_env_token_{"CALSYNC_ADMIN_TOKEN", std::nullopt};
};

TEST_F(MasterTarget, TheLocalDaemonIsFoundFromTheConfig) {
  ScopedEnv token("CALSYNC_TEST_ADMIN", "admin-secret");
  // A wildcard listener is reached on loopback; the admin token may come from env:NAME. The
  // destination's unset secret does not matter to calsyncctl (only [master] is read).
  const std::string ini = config("listen = 0.0.0.0:" + port() + "\nallow_plain_http = true\nadmin_token = env:CALSYNC_TEST_ADMIN");
  const auto r = runCtl({"agents", "list", "--config", ini});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("office-pc-1"), std::string::npos);
  EXPECT_NE(r.out.find("Office PC"), std::string::npos);
  EXPECT_EQ(master_.last("GET", "/sync/agents/status").header("Authorization"), "Bearer admin-secret");
}

TEST_F(MasterTarget, AnAdminTokenFileNextToTheConfigIsFound) {
  dir_.write("admin.token", "admin-secret\n");
  const std::string ini = config("listen = 127.0.0.1:" + port() + "\nallow_plain_http = true\nadmin_token_file = admin.token");
  EXPECT_EQ(runCtl({"agents", "list", "--config", ini}).code, kExitOk);
}

TEST_F(MasterTarget, TokenFileBeatsTheEnvironmentWhichBeatsTheConfig) {
  const std::string ini = config("listen = 127.0.0.1:" + port() + "\nallow_plain_http = true\nadmin_token = from-config");
  ScopedEnv env("CALSYNC_ADMIN_TOKEN", "from-env");
  const std::string file = dir_.write("token", "admin-secret\n");
  EXPECT_EQ(runCtl({"agents", "list", "--config", ini, "--token-file", file}).code, kExitOk);
  EXPECT_EQ(master_.last("GET", "/sync/agents/status").header("Authorization"), "Bearer admin-secret");

  const auto refused = runCtl({"agents", "list", "--config", ini});
  EXPECT_EQ(refused.code, kExitFailed);
  EXPECT_EQ(master_.last("GET", "/sync/agents/status").header("Authorization"), "Bearer from-env");
  EXPECT_NE(refused.err.find("401"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("from CALSYNC_ADMIN_TOKEN"), std::string::npos) << "says where the refused token came from";
  EXPECT_EQ(refused.err.find("from-env"), std::string::npos) << "never the token itself";
}

TEST_F(MasterTarget, AnAgentMachineTalksToItsMaster) {
  ScopedEnv env("CALSYNC_ADMIN_TOKEN", "admin-secret");
  const std::string ini = dir_.write("agent.ini", "[daemon]\nmode = agent\n[agent]\nid = a1\nmaster_url = " + master_.url() +
                                                      "\n[source.team]\ntype = ics\npath = team.ics\n");
  const auto r = runCtl({"agents", "list", "--config", ini});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(master_.requests().size(), 1u);
}

TEST_F(MasterTarget, TheLocalTokenGoesToAnotherMasterOnlyWhenTheConfigIsNamed) {
  const std::string ini = config("listen = 127.0.0.1:1\nallow_plain_http = true\nadmin_token = admin-secret");
  auto r = runCtl({"agents", "list", "--master", master_.url(), "--config", ini});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  // Without --config the default path is not consulted for a token at all.
  r = runCtl({"agents", "list", "--master", master_.url()});
  EXPECT_EQ(r.code, kExitConfig) << r.err;
  EXPECT_NE(r.err.find("no admin token"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("local configuration"), std::string::npos) << "the local config was not even read: " << r.err;
  EXPECT_EQ(master_.requests().size(), 1u);
}

TEST_F(MasterTarget, PlainHttpOnlyToThisMachineAndNoCredentialsInTheUrl) {
  ScopedEnv env("CALSYNC_ADMIN_TOKEN", "admin-secret");
  auto r = runCtl({"agents", "list", "--master", "http://192.0.2.10:8008"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("https://192.0.2.10:8008"), std::string::npos) << r.err;
  r = runCtl({"agents", "list", "--master", "https://admin:pw@master.example.com"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.err.find("pw@"), std::string::npos);
  r = runCtl({"agents", "list", "--master", "ftp://master.example.com"});
  EXPECT_EQ(r.code, kExitUsage);
}

TEST_F(MasterTarget, ConfigProblemsExitWith78AndNameTheKey) {
  auto r = runCtl({"agents", "list", "--config", (dir_.path() / "missing.ini").string()});
  EXPECT_EQ(r.code, kExitConfig);
  EXPECT_NE(r.err.find("missing.ini"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--master URL"), std::string::npos) << "says what else to do";

  const std::string ini = config("listen = 127.0.0.1:" + port() + "\nallow_plain_http = true\nadmin_token = env:CALSYNC_TEST_UNSET_TOKEN");
  r = runCtl({"agents", "list", "--config", ini});
  EXPECT_EQ(r.code, kExitConfig);
  EXPECT_NE(r.err.find(":8: [master] admin_token: environment variable 'CALSYNC_TEST_UNSET_TOKEN' is not set"),
            std::string::npos) << r.err;

  const std::string no_token = config("listen = 127.0.0.1:" + port() + "\nallow_plain_http = true");
  r = runCtl({"agents", "list", "--config", no_token});
  EXPECT_EQ(r.code, kExitConfig);
  EXPECT_NE(r.err.find("no admin token"), std::string::npos) << r.err;
  EXPECT_TRUE(master_.requests().empty());
}

TEST_F(MasterTarget, AnUnreachableMasterFailsWithAHint) {
  ScopedEnv env("CALSYNC_ADMIN_TOKEN", "admin-secret");
  const int closed = calsync::testing::pickFreePort();
  const auto r = runCtl({"agents", "list", "--master", "http://127.0.0.1:" + std::to_string(closed), "--timeout", "5"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("cannot reach"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is calsyncd running"), std::string::npos) << r.err;
}

TEST_F(MasterTarget, HttpsIsVerifiedAgainstTheGivenCa) {
  ScopedEnv env("CALSYNC_ADMIN_TOKEN", "admin-secret");
  calsync::testing::FakeHttpServer tls(
      [](const calsync::testing::FakeRequest&) {
        calsync::testing::FakeResponse response;
        response.body = R"({"agent_status":{}})";
        return response;
      },
      calsync::testing::FakeHttpServer::Transport::Https);
  auto r = runCtl({"agents", "list", "--master", tls.baseUrl()});
  EXPECT_EQ(r.code, kExitFailed) << "a certificate from an unknown CA is refused";
  EXPECT_NE(r.err.find("--ca-file"), std::string::npos) << r.err;
  r = runCtl({"agents", "list", "--master", tls.baseUrl(), "--ca-file", calsync::testing::testCaFile()});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("no agents"), std::string::npos);
}

}  // namespace
}  // namespace calsync::ctl
