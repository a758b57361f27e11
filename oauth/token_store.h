// Where one connector instance keeps its OAuth state: tokens, an optional client secret given
// at sign-in, and a pending authorization (state + PKCE verifier) between the auth-url and
// exchange-code steps. Stored in <dir>/oauth-tokens.enc, sealed with AES-256-GCM under the key
// in <dir>/oauth.key (created 0600; a key others can read is refused).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "oauth/token_health.h"

namespace calsync::oauth {

struct StoredCredentials {
  std::string access_token;
  std::int64_t access_expires_at = 0;
  std::string refresh_token;
  std::int64_t refresh_expires_at = 0;   // 0 = not announced by the endpoint
  std::string scope;
  std::string client_secret;             // when given at sign-in instead of in the config
  std::string account;                   // who signed in, for humans; may be empty
  TokenHealth health = TokenHealth::Ok;  // last verdict of the token endpoint
  std::int64_t updated_at = 0;
  // An authorization in progress (auth-url issued, code not exchanged yet).
  std::string pending_state;
  std::string pending_verifier;
  std::string pending_redirect_uri;
  std::int64_t pending_expires_at = 0;
};

class TokenStore {
 public:
  // `dir` is the connector instance's data directory; `key_file` overrides <dir>/oauth.key.
  explicit TokenStore(std::filesystem::path dir, std::filesystem::path key_file = {});

  // Nothing stored yet gives nullopt. A file that does not decrypt with the key (another key,
  // tampering, damage) throws ConnectorError(Config): it is never silently replaced.
  std::optional<StoredCredentials> load() const;
  void save(const StoredCredentials& credentials) const;
  void erase() const;

  const std::filesystem::path& file() const { return file_; }
  const std::filesystem::path& keyFile() const { return key_file_; }

 private:
  std::filesystem::path file_;
  std::filesystem::path key_file_;
};

}  // namespace calsync::oauth
