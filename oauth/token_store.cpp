#include "oauth/token_store.h"

#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "oauth/json_access.h"
#include "oauth/key_file.h"
#include "oauth/sealed_box.h"

namespace calsync::oauth {
namespace {

const std::string kContext = "calsync oauth token store v1";

TokenHealth healthFromText(const std::string& text) {
  if (text == "expiring") return TokenHealth::Expiring;
  if (text == "revoked") return TokenHealth::Revoked;
  if (text == "consent_missing") return TokenHealth::ConsentMissing;
  return TokenHealth::Ok;
}

}  // namespace

TokenStore::TokenStore(std::filesystem::path dir, std::filesystem::path key_file)
    : file_(dir / "oauth-tokens.enc"), key_file_(key_file.empty() ? dir / "oauth.key" : std::move(key_file)) {}

std::optional<StoredCredentials> TokenStore::load() const {
  std::ifstream in(file_, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream box;
  box << in.rdbuf();
  const std::string key = loadKey(key_file_);
  auto plain = open(key, box.str(), kContext);
  if (!plain) {
    throw ConnectorError(ErrorKind::Config, "the token store " + file_.string() +
                                                " does not decrypt with the key in " + key_file_.string() +
                                                " (wrong key or altered file); sign in again to replace it");
  }
  auto root = json::parseObject(*plain, "token store");
  StoredCredentials c;
  c.access_token = json::text(root, "access_token");
  c.access_expires_at = json::integer(root, "access_expires_at");
  c.refresh_token = json::text(root, "refresh_token");
  c.refresh_expires_at = json::integer(root, "refresh_expires_at");
  c.scope = json::text(root, "scope");
  c.client_secret = json::text(root, "client_secret");
  c.account = json::text(root, "account");
  c.health = healthFromText(json::text(root, "health"));
  c.updated_at = json::integer(root, "updated_at");
  c.pending_state = json::text(root, "pending_state");
  c.pending_verifier = json::text(root, "pending_verifier");
  c.pending_redirect_uri = json::text(root, "pending_redirect_uri");
  c.pending_expires_at = json::integer(root, "pending_expires_at");
  return c;
}

void TokenStore::save(const StoredCredentials& c) const {
  json::Object root;
  root.set("v", 1);
  root.set("access_token", c.access_token);
  root.set("access_expires_at", c.access_expires_at);
  root.set("refresh_token", c.refresh_token);
  root.set("refresh_expires_at", c.refresh_expires_at);
  root.set("scope", c.scope);
  root.set("client_secret", c.client_secret);
  root.set("account", c.account);
  root.set("health", std::string(toString(c.health)));
  root.set("updated_at", c.updated_at);
  root.set("pending_state", c.pending_state);
  root.set("pending_verifier", c.pending_verifier);
  root.set("pending_redirect_uri", c.pending_redirect_uri);
  root.set("pending_expires_at", c.pending_expires_at);
  const std::string key = loadOrCreateKey(key_file_);
  writePrivateFile(file_, seal(key, json::stringify(root), kContext));
}

void TokenStore::erase() const {
  std::error_code ignored;
  std::filesystem::remove(file_, ignored);
}

}  // namespace calsync::oauth
