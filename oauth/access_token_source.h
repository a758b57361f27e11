// Where a connector gets its bearer token from. Three kinds: a signed-in user's refresh token
// kept in the TokenStore (delegated access), an app's own client credentials (secret or
// certificate), and a Google service account acting for a user (domain-wide delegation).
// Errors are ConnectorErrors; an Auth error's message says what the admin must run.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "net/http_client.h"
#include "oauth/jwt.h"
#include "oauth/token_client.h"
#include "oauth/token_health.h"
#include "oauth/token_store.h"

namespace calsync::oauth {

using Clock = std::function<std::int64_t()>;
std::int64_t systemClock();

class AccessTokenSource {
 public:
  virtual ~AccessTokenSource() = default;
  // A token that stays valid for at least a minute. `force_refresh` after an API answered 401
  // to the token it was given.
  virtual std::string accessToken(bool force_refresh = false) = 0;
  virtual TokenHealth health() = 0;
};

// What every source needs to reach the token endpoint and to word its errors.
struct TokenEndpointSetup {
  std::string provider;           // "Google", "Microsoft" (for messages)
  std::string token_endpoint;
  ClientAuth client;
  std::string scope;              // sent with refresh and client-credential grants
  std::string reauth;             // the command that fixes an Auth problem
  net::HttpOptions http;
  Clock clock;                    // empty = system clock
};

// A user's delegated sign-in: refresh token in the store, access token cached there too.
class StoredTokenSource : public AccessTokenSource {
 public:
  StoredTokenSource(TokenEndpointSetup setup, TokenStore store);
  std::string accessToken(bool force_refresh) override;
  TokenHealth health() override;

 private:
  TokenEndpointSetup setup_;
  TokenStore store_;
  std::mutex mutex_;
  std::string cached_;
  std::int64_t cached_expires_at_ = 0;
};

// App-only access with the app's own secret or certificate (client credentials grant).
class ClientCredentialsSource : public AccessTokenSource {
 public:
  explicit ClientCredentialsSource(TokenEndpointSetup setup);
  std::string accessToken(bool force_refresh) override;
  TokenHealth health() override;

 private:
  TokenEndpointSetup setup_;
  std::mutex mutex_;
  std::string cached_;
  std::int64_t cached_expires_at_ = 0;
  TokenHealth last_ = TokenHealth::Ok;
};

// A Google service account, impersonating `subject` when set (domain-wide delegation).
class ServiceAccountSource : public AccessTokenSource {
 public:
  ServiceAccountSource(TokenEndpointSetup setup, ServiceAccountKey key, std::string subject);
  std::string accessToken(bool force_refresh) override;
  TokenHealth health() override;

 private:
  TokenEndpointSetup setup_;
  ServiceAccountKey key_;
  std::string subject_;
  std::mutex mutex_;
  std::string cached_;
  std::int64_t cached_expires_at_ = 0;
  TokenHealth last_ = TokenHealth::Ok;
};

}  // namespace calsync::oauth
