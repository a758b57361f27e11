#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/log.h"
#include "daemon/config/config.h"
#include "tests/unit/config/fake_connector.h"
#include "tests/support/temp_dir.h"

namespace calsync::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

const std::string kMinimal =
    "[destination]\ntype = fake\nurl = https://dav.example.com/\n"
    "[source.work]\ntype = fake\nurl = https://work.example.com/\n";

class SecretsTest : public ::testing::Test {
 protected:
  void TearDown() override { ::unsetenv("CALSYNC_TEST_SECRET"); }

  std::string secretFile(const std::string& name, const std::string& content, fs::perms perms) {
    const std::string path = dir_.write(name, content);
    fs::permissions(path, perms);
    return path;
  }

  Config loadMain(const std::string& content) { return load(dir_.write("main.ini", content), registry_); }

  testing::TempDir dir_;
  ConnectorRegistry registry_ = testing::fakeRegistry();
};

constexpr fs::perms kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;

TEST_F(SecretsTest, InlineEnvironmentAndFileFormsAllResolve) {
  ::setenv("CALSYNC_TEST_SECRET", "from-the-environment", 1);
  secretFile("enroll.token", "from-a-file\n", kOwnerOnly);
  const Config config = loadMain(
      "[agent]\n"
      "enroll_token_file = enroll.token\n"   // relative to this file's directory
      "[master]\n"
      "admin_token = env:CALSYNC_TEST_SECRET\n" +
      kMinimal + "password = written-inline\n");
  EXPECT_EQ(config.agent.enroll_token, "from-a-file");
  EXPECT_EQ(config.master.admin_token, "from-the-environment");
  EXPECT_EQ(config.sources.front().spec.settings.at("password"), "written-inline");
  EXPECT_EQ(config.sections.at("agent").origins.at("enroll_token").line, 2);
  EXPECT_TRUE(config.warnings.empty());
}

TEST_F(SecretsTest, ALaterFileMayReplaceTheFileFormWithTheInlineForm) {
  secretFile("admin.token", "old", kOwnerOnly);
  dir_.write("conf.d/50-token.ini", "[master]\nadmin_token = new\n");
  const Config config = loadMain("[master]\nadmin_token_file = " + (dir_.path() / "admin.token").string() + "\n" + kMinimal);
  EXPECT_EQ(config.master.admin_token, "new");
}

TEST_F(SecretsTest, MissingVariableAndUnreadableFileAreIssues) {
  try {
    loadMain("[agent]\nenroll_token = env:CALSYNC_TEST_SECRET\n[master]\nadmin_token_file = /nonexistent/admin.token\n" + kMinimal);
    FAIL() << "loaded unresolvable secrets";
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.issues.size(), 2u);
    EXPECT_EQ(error.issues[0].origin.line, 2);
    EXPECT_EQ(error.issues[0].reason, "environment variable 'CALSYNC_TEST_SECRET' is not set");
    EXPECT_EQ(error.issues[1].origin.line, 4);
    EXPECT_EQ(error.issues[1].key, "admin_token_file");
    EXPECT_THAT(error.issues[1].reason, HasSubstr("cannot read secret file '/nonexistent/admin.token'"));
  }
}

TEST_F(SecretsTest, SecretValuesNeverAppearInErrors) {
  ::setenv("CALSYNC_TEST_SECRET", "env-secret-value", 1);
  secretFile("dest.password", "file-secret-value\n", kOwnerOnly);
  try {
    loadMain(
        "[agent]\n"
        "master_url = https://agent:url-secret-value@master.example.com:99999/\n"
        "enroll_token = inline-secret-value\n"
        "enroll_token_file = dest.password\n"   // both forms in one file
        "[master]\n"
        "admin_token = env:CALSYNC_TEST_SECRET\n"
        "admin_token = env-secret-value\n"      // duplicate
        "store = postgresql://calsync:store-secret-value@db/calsync\n"
        "bogus = 1\n" +
        kMinimal + "password = other-secret-value\npassword_file = dest.password\n");
    FAIL() << "loaded a bad file";
  } catch (const ConfigError& error) {
    EXPECT_GE(error.issues.size(), 5u) << error.what();
    for (const char* secret : {"url-secret-value", "inline-secret-value", "file-secret-value", "env-secret-value",
                               "store-secret-value", "other-secret-value"}) {
      EXPECT_THAT(error.what(), Not(HasSubstr(secret)));
    }
    EXPECT_THAT(error.what(), HasSubstr("[agent] enroll_token_file: 'enroll_token' is also set at line 3; keep one"));
  }
}

TEST_F(SecretsTest, AWorldReadableSecretFileIsAWarningNotAnError) {
  secretFile("admin.token", "readable-secret\n", kOwnerOnly | fs::perms::group_read | fs::perms::others_read);
  std::vector<std::string> logged;
  struct SinkGuard {
    ~SinkGuard() { log::setSink([](log::Level, std::string_view, std::string_view) {}); }
  } restore_sink;
  log::setSink([&](log::Level level, std::string_view, std::string_view message) {
    if (level == log::Level::Warning) logged.emplace_back(message);
  });
  const Config config = loadMain("[master]\nadmin_token_file = admin.token\n" + kMinimal);

  EXPECT_EQ(config.master.admin_token, "readable-secret");
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_EQ(config.warnings[0].origin.line, 2);
  EXPECT_THAT(config.warnings[0].reason, HasSubstr("readable by every user"));
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged[0], HasSubstr("admin.token"));
  EXPECT_THAT(logged[0], Not(HasSubstr("readable-secret")));
}

TEST_F(SecretsTest, SecretFileLosesOnlyTrailingNewlines) {
  secretFile("p", "  spaced secret  \r\n\n", kOwnerOnly);
  const Config config = loadMain("[master]\nadmin_token_file = p\n" + kMinimal);
  EXPECT_EQ(config.master.admin_token, "  spaced secret  ");
}

}  // namespace
}  // namespace calsync::config
