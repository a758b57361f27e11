// The encrypted token store: round trip, refusal of a wrong key, a tampered file and a key
// file others can read.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "oauth/key_file.h"
#include "oauth/sealed_box.h"
#include "oauth/token_store.h"
#include "tests/support/temp_dir.h"

namespace calsync::oauth {
namespace {

using calsync::testing::TempDir;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

StoredCredentials sample() {
  StoredCredentials c;
  c.access_token = "ya29.access-token-value";
  c.access_expires_at = 1'800'000'000;
  c.refresh_token = "1//refresh-token-value";
  c.refresh_expires_at = 1'900'000'000;
  c.scope = "https://www.googleapis.com/auth/calendar";
  c.client_secret = "client-secret-value";
  c.account = "ana@example.com";
  c.health = TokenHealth::Revoked;
  c.pending_state = "state";
  c.pending_verifier = "verifier";
  c.pending_redirect_uri = "http://127.0.0.1:8765/";
  c.pending_expires_at = 42;
  return c;
}

TEST(TokenStore, RoundTripsEveryFieldAndKeepsNoSecretInClear) {
  TempDir dir;
  TokenStore store(dir.path() / "sources" / "work");
  EXPECT_FALSE(store.load().has_value()) << "nothing stored yet";
  store.save(sample());
  auto loaded = store.load();
  ASSERT_TRUE(loaded.has_value());
  const StoredCredentials want = sample();
  EXPECT_EQ(loaded->access_token, want.access_token);
  EXPECT_EQ(loaded->access_expires_at, want.access_expires_at);
  EXPECT_EQ(loaded->refresh_token, want.refresh_token);
  EXPECT_EQ(loaded->refresh_expires_at, want.refresh_expires_at);
  EXPECT_EQ(loaded->scope, want.scope);
  EXPECT_EQ(loaded->client_secret, want.client_secret);
  EXPECT_EQ(loaded->account, want.account);
  EXPECT_EQ(loaded->health, TokenHealth::Revoked);
  EXPECT_EQ(loaded->pending_verifier, want.pending_verifier);
  EXPECT_EQ(loaded->pending_expires_at, 42);

  const std::string raw = slurp(store.file());
  for (const std::string& secret : {want.access_token, want.refresh_token, want.client_secret, std::string("verifier")}) {
    EXPECT_EQ(raw.find(secret), std::string::npos) << secret << " is readable in the file";
  }
  struct stat info {};
  ASSERT_EQ(::stat(store.keyFile().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(std::filesystem::file_size(store.keyFile()), kKeyBytes);
  ASSERT_EQ(::stat(store.file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir.path() / "sources").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u) << "directories the store creates are private";

  // Saving again keeps one file and the same key.
  const std::string key = slurp(store.keyFile());
  StoredCredentials changed = want;
  changed.access_token = "another";
  store.save(changed);
  EXPECT_EQ(slurp(store.keyFile()), key);
  EXPECT_EQ(store.load()->access_token, "another");
}

TEST(TokenStore, AWrongKeyIsRefusedAndNothingIsReplaced) {
  TempDir dir;
  TokenStore store(dir.path());
  store.save(sample());
  const std::string before = slurp(store.file());
  std::filesystem::remove(store.keyFile());
  loadOrCreateKey(store.keyFile());  // someone made a new key
  try {
    store.load();
    ADD_FAILURE() << "decrypted with the wrong key";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("sign in again"), std::string::npos);
  }
  EXPECT_EQ(slurp(store.file()), before) << "the store is left for the admin to decide";
}

TEST(TokenStore, ATamperedFileIsRefused) {
  TempDir dir;
  TokenStore store(dir.path());
  store.save(sample());
  std::string raw = slurp(store.file());
  for (std::size_t at : {raw.size() / 2, raw.size() - 1, std::size_t{6}}) {
    std::string altered = raw;
    altered[at] = static_cast<char>(altered[at] ^ 0x01);
    std::ofstream(store.file(), std::ios::binary | std::ios::trunc) << altered;
    EXPECT_THROW(store.load(), ConnectorError) << "byte " << at;
  }
  std::ofstream(store.file(), std::ios::binary | std::ios::trunc) << raw.substr(0, 10);
  EXPECT_THROW(store.load(), ConnectorError);
}

TEST(TokenStore, AKeyFileOthersCanReadIsRefused) {
  TempDir dir;
  TokenStore store(dir.path());
  store.save(sample());
  ASSERT_EQ(::chmod(store.keyFile().c_str(), 0640), 0);
  try {
    store.load();
    ADD_FAILURE() << "a group-readable key was used";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos) << e.what();
  }
  EXPECT_THROW(store.save(sample()), ConnectorError) << "nor is it used to write";
  ASSERT_EQ(::chmod(store.keyFile().c_str(), 0604), 0);
  EXPECT_THROW(store.load(), ConnectorError);
  ASSERT_EQ(::chmod(store.keyFile().c_str(), 0600), 0);
  EXPECT_TRUE(store.load().has_value());

  // A key of the wrong size, or a symlink in its place, is refused too.
  TempDir other;
  std::ofstream(other.path() / "oauth.key") << "short";
  ::chmod((other.path() / "oauth.key").c_str(), 0600);
  EXPECT_THROW(loadKey(other.path() / "oauth.key"), ConnectorError);
  std::filesystem::create_symlink(store.keyFile(), other.path() / "link.key");
  EXPECT_THROW(loadKey(other.path() / "link.key"), ConnectorError);
}

TEST(SealedBox, BindsTheContextAndTheKey) {
  const std::string key(32, 'k');
  const std::string box = seal(key, "secret text", "purpose A");
  EXPECT_EQ(open(key, box, "purpose A"), std::optional<std::string>("secret text"));
  EXPECT_FALSE(open(key, box, "purpose B").has_value());
  EXPECT_FALSE(open(std::string(32, 'j'), box, "purpose A").has_value());
  EXPECT_NE(seal(key, "secret text", "purpose A"), box) << "a fresh nonce every time";
}

}  // namespace
}  // namespace calsync::oauth
