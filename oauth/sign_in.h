// The sign-in steps an admin drives, as plain functions: the master's HTTP endpoints
// (GET .../auth-url, POST .../exchange-code) and `calsyncctl auth` call these. Works on a
// headless machine: the authorization URL can be opened on any computer and the code (or the
// whole URL the browser ended on) pasted back; or the device-code flow shows a short code to
// type at the provider's page.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "net/http_client.h"
#include "oauth/token_client.h"
#include "oauth/token_store.h"

namespace calsync::oauth {

// One OAuth application (client) at one provider.
struct OAuthApp {
  std::string provider;                 // "Google", "Microsoft"
  std::string authorize_endpoint;
  std::string token_endpoint;
  std::string device_endpoint;          // empty when the provider has none for this scope
  ClientAuth client;
  std::string scope;                    // space-separated
  // Provider extras for the authorization URL: Google needs access_type=offline and
  // prompt=consent to be sure of a refresh token.
  std::vector<std::pair<std::string, std::string>> authorize_params;
  net::HttpOptions http;
};

// PKCE (RFC 7636) with S256.
struct Pkce {
  std::string verifier;
  std::string challenge;
};
Pkce makePkce();

// The authorization URL (RFC 6749 section 4.1.1) with PKCE and the app's extras.
std::string authorizationUrl(const OAuthApp& app, const std::string& redirect_uri, const std::string& state,
                             const std::string& code_challenge);

struct AuthorizationStart {
  std::string url;                      // open this in a browser (any machine)
  std::string state;
  std::int64_t expires_at = 0;          // the pending authorization is dropped after this
};
// Starts a sign-in: remembers state and PKCE verifier in the store (keeping any tokens there)
// and returns the URL to open.
AuthorizationStart beginAuthorization(const OAuthApp& app, const TokenStore& store, const std::string& redirect_uri,
                                      std::int64_t now);

// Finishes it: `code_or_url` is the code, or the whole redirect URL the browser ended on (its
// code and state are read from it). `state` must match the pending one when given separately.
// Stores the tokens and returns them. Throws ConnectorError(Auth) for a wrong/expired state or
// a refused code, and when the provider issued no refresh token.
StoredCredentials completeAuthorization(const OAuthApp& app, const TokenStore& store, const std::string& code_or_url,
                                        const std::string& state, std::int64_t now);

// Device-code flow (RFC 8628): show authorization.user_code and verification_uri to a person.
DeviceAuthorization beginDeviceSignIn(const OAuthApp& app);
// One poll; true when the sign-in is done and stored. For HTTP endpoints that poll on request;
// `state`, when given, receives Pending, SlowDown (ask less often) or Done.
bool pollDeviceSignIn(const OAuthApp& app, const TokenStore& store, const DeviceAuthorization& authorization,
                      std::int64_t now, DevicePollState* state = nullptr);
// Polls until done, refused, expired or `cancelled()`; `wait(seconds)` sleeps between polls
// (the CLI passes a real sleep, tests a fake one). Honours slow_down.
StoredCredentials waitForDeviceSignIn(const OAuthApp& app, const TokenStore& store,
                                      const DeviceAuthorization& authorization,
                                      const std::function<void(int seconds)>& wait,
                                      const std::function<bool()>& cancelled, const std::function<std::int64_t()>& clock);

// Keeps a client secret given at sign-in time in the encrypted store instead of the config.
void storeClientSecret(const TokenStore& store, const std::string& client_secret, std::int64_t now);

struct CredentialStatus {
  TokenHealth health = TokenHealth::ConsentMissing;
  std::string message;                  // empty when Ok
  std::int64_t refresh_expires_at = 0;
  std::string account;
  std::int64_t updated_at = 0;
};
// What the store says about a delegated sign-in, for /health, `calsyncctl auth --status` and
// the web UI. Never includes a token.
CredentialStatus credentialStatus(const TokenStore& store, const std::string& reauth, std::int64_t now);

}  // namespace calsync::oauth
