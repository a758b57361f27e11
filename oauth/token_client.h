// A client for one OAuth 2.0 token endpoint (RFC 6749) and its device authorization endpoint
// (RFC 8628): authorization-code exchange (with PKCE), refresh, client credentials with a secret
// or a certificate (JWT client assertion, RFC 7523), JWT-bearer grants (Google service accounts)
// and device-code polling. Tokens and secrets never reach a log or an error message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.h"
#include "net/http_client.h"
#include "oauth/jwt.h"
#include "oauth/token_health.h"

namespace calsync::oauth {

struct TokenSet {
  std::string access_token;
  std::string refresh_token;            // empty when the endpoint issued none
  std::string token_type = "Bearer";
  std::string scope;
  std::int64_t expires_at = 0;          // epoch seconds; 0 = unknown
  std::int64_t refresh_expires_at = 0;  // when the endpoint told us (time-limited grants)
};

// An error answer of the token endpoint: kind Auth for grant and client problems (health says
// which), Throttled/Protocol/Network for trouble that may pass.
class TokenEndpointError : public ConnectorError {
 public:
  TokenEndpointError(ErrorKind kind, const std::string& message, std::string error, TokenHealth health,
                     std::int64_t retry_after = 0)
      : ConnectorError(kind, message, retry_after), error_(std::move(error)), health_(health) {}
  const std::string& error() const { return error_; }   // "invalid_grant", ...; empty if none
  TokenHealth health() const { return health_; }

 private:
  std::string error_;
  TokenHealth health_;
};

// How this client proves who it is: a secret, a certificate, or nothing (public clients).
struct ClientAuth {
  std::string client_id;
  std::string client_secret;
  std::shared_ptr<const ClientCertificate> certificate;
};

struct DeviceAuthorization {
  std::string device_code;              // secret between us and the endpoint
  std::string user_code;                // what the person types
  std::string verification_uri;         // where they type it
  std::string verification_uri_complete;
  std::string message;                  // the endpoint's own instructions, when given
  std::int64_t expires_at = 0;
  int interval_seconds = 5;
};

enum class DevicePollState { Pending, SlowDown, Done };
struct DevicePoll {
  DevicePollState state = DevicePollState::Pending;
  TokenSet tokens;                      // when Done
};

class TokenClient {
 public:
  using Clock = std::function<std::int64_t()>;  // epoch seconds
  TokenClient(std::string token_endpoint, ClientAuth client, net::HttpOptions http = {}, Clock clock = {});
  ~TokenClient();

  const std::string& endpoint() const { return endpoint_; }

  TokenSet exchangeCode(const std::string& code, const std::string& redirect_uri, const std::string& code_verifier);
  // The answer may carry a new refresh token (rotation); the caller keeps the old one otherwise.
  TokenSet refresh(const std::string& refresh_token, const std::string& scope = {});
  TokenSet clientCredentials(const std::string& scope);
  TokenSet jwtBearer(const std::string& assertion);

  DeviceAuthorization startDeviceAuthorization(const std::string& device_endpoint, const std::string& scope);
  // One poll. Pending and SlowDown mean "ask again after the interval" (SlowDown: a longer
  // one); a refused or expired sign-in throws TokenEndpointError.
  DevicePoll pollDeviceAuthorization(const DeviceAuthorization& authorization);

 private:
  TokenSet post(std::vector<std::pair<std::string, std::string>> fields, const std::string& what,
                bool with_client_auth = true);
  net::HttpResponse send(const std::string& url, const std::vector<std::pair<std::string, std::string>>& fields);
  void addClientAuth(std::vector<std::pair<std::string, std::string>>& fields) const;

  std::string endpoint_;
  ClientAuth client_;
  Clock clock_;
  std::unique_ptr<net::HttpClient> http_;
};

// Reads a token endpoint's JSON error answer into a TokenEndpointError (exposed for tests).
TokenEndpointError tokenErrorFor(const net::HttpResponse& response, const std::string& what);

}  // namespace calsync::oauth
