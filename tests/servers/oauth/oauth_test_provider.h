// The token side of an OAuth 2.0 provider for the Google and Graph test servers: a token
// endpoint (authorization code with PKCE, refresh, client credentials with a secret or a signed
// client assertion, JWT-bearer for service accounts, device code) and a device authorization
// endpoint. It keeps state like the real ones: codes are single-use, refresh tokens can be
// revoked (invalid_grant from then on, and their access tokens stop working), device codes
// answer authorization_pending until someone approves them. Tests act "as the user" through
// the C++ API: consent to an authorization URL, approve a device code, revoke access.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "tests/support/fake_http_server.h"

namespace calsync::testing {

class OAuthTestProvider {
 public:
  OAuthTestProvider();

  // The URL the token endpoint is reached at: client assertions must name it as audience.
  void setTokenUrl(const std::string& url);
  void addClient(const std::string& client_id, const std::string& client_secret);
  // A client that authenticates with a certificate (client assertion signed by its key).
  void addCertificateClient(const std::string& client_id, const std::string& certificate_pem);
  // A service account: assertions are verified with `public_pem`; it may act only for
  // `delegated_subjects` (domain-wide delegation) and only for `scope`.
  void addServiceAccount(const std::string& client_email, const std::string& public_pem,
                         std::set<std::string> delegated_subjects, const std::string& scope);
  // Whether refresh answers carry a new refresh token (Microsoft rotates them).
  void setRotateRefreshTokens(bool rotate);
  void setAccessTokenLifetime(std::int64_t seconds);
  // Announce refresh_token_expires_in (Google's time-limited grants); 0 = do not.
  void setRefreshTokenLifetime(std::int64_t seconds);
  // Polls closer together than the interval get slow_down (RFC 8628) when on.
  void setEnforcePollInterval(bool enforce);

  // The user opens `authorization_url`, signs in as `user` and consents. Returns the address
  // the browser is sent to (redirect_uri?code=...&state=...). Empty when the request is bad
  // (unknown client, missing PKCE).
  std::string consent(const std::string& authorization_url, const std::string& user = "user@example.com");
  // The user types `user_code` at the verification page and approves (or declines).
  bool approveDevice(const std::string& user_code, const std::string& user = "user@example.com");
  bool declineDevice(const std::string& user_code);
  // The device code shown as `user_code` runs out, as if its 15 minutes had passed unused:
  // polls get expired_token from then on.
  bool expireDevice(const std::string& user_code);
  // The user (or an admin) revokes the app's access: every refresh token of `client_id`
  // (all clients when empty) answers invalid_grant afterwards, and its access tokens die.
  void revokeRefreshTokens(const std::string& client_id = {});
  // Every access token issued so far stops working (as after a password change).
  void expireAccessTokens();

  // For the API servers: the user (or service account subject / app) a bearer token acts
  // for, when it is valid now.
  std::optional<std::string> subjectOf(const std::string& authorization_header) const;

  FakeResponse tokenEndpoint(const FakeRequest& request);
  FakeResponse deviceEndpoint(const FakeRequest& request);

  int refreshGrants() const;
  // Whether any request to the token endpoint carried a secret in its URL (it must not).
  bool secretInUrlSeen() const;

 private:
  struct Client {
    std::string secret;
    std::string certificate_pem;
  };
  struct ServiceAccount {
    std::string public_pem;
    std::set<std::string> subjects;
    std::string scope;
  };
  struct Code {
    std::string client_id, redirect_uri, challenge, user, scope;
    bool offline = false;
    std::int64_t expires_at = 0;
  };
  struct Refresh {
    std::string client_id, user, scope;
    bool revoked = false;
  };
  struct Access {
    std::string subject, refresh_token;
    std::int64_t expires_at = 0;
  };
  struct Device {
    std::string client_id, user_code, scope, user;
    enum class State { Pending, Approved, Declined } state = State::Pending;
    std::int64_t expires_at = 0;
    std::int64_t last_poll = 0;
  };

  FakeResponse error(int status, const std::string& code, const std::string& description) const;
  // `origin` is the refresh token the access token derives from (for revocation).
  FakeResponse issue(const std::string& subject, const std::string& origin, const std::string& scope,
                     const std::string& refresh_token);
  // Checks the client's secret or assertion; returns the error answer when it fails.
  std::optional<FakeResponse> authenticate(const std::map<std::string, std::string>& form, bool allow_public);

  mutable std::mutex mutex_;
  std::string token_url_;
  std::map<std::string, Client> clients_;
  std::map<std::string, ServiceAccount> service_accounts_;
  std::map<std::string, Code> codes_;
  std::map<std::string, Refresh> refresh_tokens_;
  std::map<std::string, Access> access_tokens_;
  std::map<std::string, Device> devices_;   // by device_code
  bool rotate_ = false;
  bool enforce_interval_ = false;
  std::int64_t access_lifetime_ = 3600;
  std::int64_t refresh_lifetime_ = 0;
  int refresh_grants_ = 0;
  bool secret_in_url_ = false;
};

}  // namespace calsync::testing
