// What /health says about a stored sign-in or a certificate, read from disk at a given time,
// and that two processes creating the token key at once agree on one key.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "oauth/credential_report.h"
#include "oauth/key_file.h"
#include "oauth/token_store.h"
#include "tests/support/temp_dir.h"

namespace calsync::oauth {
namespace {

using calsync::testing::TempDir;

constexpr std::int64_t kNow = 1'800'000'000;
const std::string kReauth = "calsyncctl auth google --source work";

CredentialState stateOf(const TokenStore& store) { return storedSignInState(store, "work", "google", kReauth, kNow); }

StoredCredentials signedIn() {
  StoredCredentials c;
  c.refresh_token = "refresh";
  c.access_token = "access";
  return c;
}

TEST(CredentialReport, EachStateOfAStoredSignInWithWhatToDo) {
  TempDir dir;
  const TokenStore store(dir.path());
  CredentialState state = stateOf(store);
  EXPECT_EQ(state.state, "missing");
  EXPECT_EQ(state.name, "work");
  EXPECT_EQ(state.type, "google");
  EXPECT_NE(state.action.find("nobody has signed in yet; run `" + kReauth + "`"), std::string::npos) << state.action;

  StoredCredentials c = signedIn();
  store.save(c);
  state = stateOf(store);
  EXPECT_EQ(state.state, "ok");
  EXPECT_TRUE(state.action.empty());
  EXPECT_EQ(state.expires_at, 0);

  c.refresh_expires_at = kNow + 30 * 86400;
  store.save(c);
  EXPECT_EQ(stateOf(store).state, "ok");
  EXPECT_EQ(stateOf(store).expires_at, kNow + 30 * 86400);
  c.refresh_expires_at = kNow + 86400;
  store.save(c);
  EXPECT_EQ(stateOf(store).state, "expiring");
  EXPECT_NE(stateOf(store).action.find(kReauth), std::string::npos);
  c.refresh_expires_at = kNow - 1;
  store.save(c);
  EXPECT_EQ(stateOf(store).state, "expired");
  EXPECT_NE(stateOf(store).action.find(kReauth), std::string::npos);

  c.refresh_expires_at = 0;
  c.health = TokenHealth::Revoked;
  store.save(c);
  EXPECT_EQ(stateOf(store).state, "revoked");
  EXPECT_NE(stateOf(store).action.find("revoked"), std::string::npos);
  c.health = TokenHealth::ConsentMissing;
  store.save(c);
  EXPECT_EQ(stateOf(store).state, "consent_missing");
  EXPECT_NE(stateOf(store).action.find("consent"), std::string::npos);

  c.refresh_token.clear();   // a sign-in still in progress holds no refresh token
  c.health = TokenHealth::Ok;
  store.save(c);
  EXPECT_EQ(stateOf(store).state, "missing");
}

TEST(CredentialReport, AStoreThatCannotBeReadIsMissingWithTheReasonAndNeverASecret) {
  TempDir dir;
  const TokenStore store(dir.path());
  store.save(signedIn());
  ASSERT_EQ(::chmod(store.keyFile().c_str(), 0640), 0);
  CredentialState state = stateOf(store);
  EXPECT_EQ(state.state, "missing");
  EXPECT_NE(state.action.find("chmod 600"), std::string::npos) << state.action;

  ASSERT_EQ(::chmod(store.keyFile().c_str(), 0600), 0);
  std::filesystem::remove(store.keyFile());
  loadOrCreateKey(store.keyFile());   // a new key cannot open the old tokens
  state = stateOf(store);
  EXPECT_EQ(state.state, "missing");
  EXPECT_NE(state.action.find("does not decrypt"), std::string::npos) << state.action;
  EXPECT_EQ(state.action.find("refresh"), std::string::npos);
}

TEST(CredentialReport, ACertificateByItsEndDate) {
  TempDir dir;
  CredentialState state = certificateState((dir.path() / "none.pem").string(), "", "app", "graph", "upload one", kNow);
  EXPECT_EQ(state.state, "missing");
  EXPECT_NE(state.action.find("upload one"), std::string::npos);
  std::ofstream(dir.path() / "junk.pem") << "not a certificate";
  EXPECT_EQ(certificateState((dir.path() / "junk.pem").string(), "", "app", "graph", "x", kNow).state, "missing");
}

TEST(KeyFile, ProcessesCreatingTheKeyAtOnceAgreeOnOneComplete32ByteKey) {
  for (int round = 0; round < 40; ++round) {
    TempDir dir;
    const auto path = dir.path() / "private" / "oauth.key";
    std::vector<std::string> keys(4);
    std::vector<std::string> errors(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      threads.emplace_back([&, i] {
        try {
          keys[i] = loadOrCreateKey(path);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      ASSERT_EQ(errors[i], "") << "round " << round;
      ASSERT_EQ(keys[i].size(), kKeyBytes);
      ASSERT_EQ(keys[i], keys[0]) << "round " << round;
    }
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    std::size_t leftovers = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path.parent_path())) leftovers += entry.path() != path;
    EXPECT_EQ(leftovers, 0u) << "no temporary files stay behind";
  }
}

}  // namespace
}  // namespace calsync::oauth
