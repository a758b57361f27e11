#include "oauth/sign_in.h"

#include "core/errors.h"
#include "net/url.h"
#include "oauth/encoding.h"

namespace calsync::oauth {
namespace {

constexpr std::int64_t kPendingLifetime = 15 * 60;

// Reads code and state out of a pasted redirect URL; a bare code comes back unchanged.
std::pair<std::string, std::string> codeAndState(const std::string& code_or_url) {
  const std::size_t query = code_or_url.find('?');
  if (code_or_url.find("code=") == std::string::npos || query == std::string::npos) return {code_or_url, ""};
  std::string code;
  std::string state;
  std::string rest = code_or_url.substr(query + 1);
  if (const std::size_t hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
  for (const auto& [name, value] : formDecode(rest)) {
    if (name == "code") code = value;
    if (name == "state") state = value;
  }
  return {code, state};
}

StoredCredentials fromTokens(const TokenSet& tokens, StoredCredentials base, std::int64_t now) {
  base.access_token = tokens.access_token;
  base.access_expires_at = tokens.expires_at ? tokens.expires_at : now + 3600;
  base.refresh_token = tokens.refresh_token;
  base.refresh_expires_at = tokens.refresh_expires_at;
  base.scope = tokens.scope;
  base.health = TokenHealth::Ok;
  base.updated_at = now;
  base.pending_state.clear();
  base.pending_verifier.clear();
  base.pending_redirect_uri.clear();
  base.pending_expires_at = 0;
  return base;
}

ClientAuth clientFor(const OAuthApp& app, const StoredCredentials& stored) {
  ClientAuth client = app.client;
  if (client.client_secret.empty()) client.client_secret = stored.client_secret;
  return client;
}

}  // namespace

Pkce makePkce() {
  Pkce pkce;
  pkce.verifier = randomToken();  // 43 characters of base64url, as RFC 7636 asks
  pkce.challenge = base64UrlEncode(sha256(pkce.verifier));
  return pkce;
}

std::string authorizationUrl(const OAuthApp& app, const std::string& redirect_uri, const std::string& state,
                             const std::string& code_challenge) {
  std::vector<std::pair<std::string, std::string>> params = {
      {"response_type", "code"}, {"client_id", app.client.client_id}, {"redirect_uri", redirect_uri},
      {"scope", app.scope},      {"state", state}};
  if (!code_challenge.empty()) {
    params.emplace_back("code_challenge", code_challenge);
    params.emplace_back("code_challenge_method", "S256");
  }
  params.insert(params.end(), app.authorize_params.begin(), app.authorize_params.end());
  const char separator = app.authorize_endpoint.find('?') == std::string::npos ? '?' : '&';
  return app.authorize_endpoint + separator + formEncode(params);
}

AuthorizationStart beginAuthorization(const OAuthApp& app, const TokenStore& store, const std::string& redirect_uri,
                                      std::int64_t now) {
  if (app.client.client_id.empty()) throw ConnectorError(ErrorKind::Config, app.provider + ": client_id is not configured");
  if (redirect_uri.empty()) throw ConnectorError(ErrorKind::Config, app.provider + ": no redirect URI for the sign-in");
  StoredCredentials stored = store.load().value_or(StoredCredentials{});
  const Pkce pkce = makePkce();
  stored.pending_state = randomToken();
  stored.pending_verifier = pkce.verifier;
  stored.pending_redirect_uri = redirect_uri;
  stored.pending_expires_at = now + kPendingLifetime;
  store.save(stored);
  return AuthorizationStart{authorizationUrl(app, redirect_uri, stored.pending_state, pkce.challenge),
                            stored.pending_state, stored.pending_expires_at};
}

StoredCredentials completeAuthorization(const OAuthApp& app, const TokenStore& store, const std::string& code_or_url,
                                        const std::string& state, std::int64_t now) {
  auto [code, url_state] = codeAndState(code_or_url);
  const std::string given_state = state.empty() ? url_state : state;
  auto stored = store.load();
  if (!stored || stored->pending_state.empty()) {
    throw ConnectorError(ErrorKind::Auth, app.provider + ": no sign-in is in progress; ask for a new authorization URL");
  }
  if (stored->pending_expires_at < now) {
    throw ConnectorError(ErrorKind::Auth, app.provider + ": the sign-in started too long ago; ask for a new authorization URL");
  }
  if (!given_state.empty() && given_state != stored->pending_state) {
    throw ConnectorError(ErrorKind::Auth, app.provider + ": the state does not match the sign-in in progress; "
                                                         "use the URL from the latest auth-url request");
  }
  if (code.empty()) throw ConnectorError(ErrorKind::Auth, app.provider + ": no authorization code given");
  TokenClient client(app.token_endpoint, clientFor(app, *stored), app.http);
  TokenSet tokens = client.exchangeCode(code, stored->pending_redirect_uri, stored->pending_verifier);
  if (tokens.refresh_token.empty()) {
    throw ConnectorError(ErrorKind::Auth, app.provider +
                                              ": the provider issued no refresh token, so calsync could not keep "
                                              "working after an hour; revoke the app's access in the account settings "
                                              "and sign in again (Google: the URL asks for offline access with "
                                              "prompt=consent; Microsoft: the scope must include offline_access)");
  }
  StoredCredentials saved = fromTokens(tokens, *stored, now);
  store.save(saved);
  return saved;
}

DeviceAuthorization beginDeviceSignIn(const OAuthApp& app) {
  if (app.device_endpoint.empty()) {
    throw ConnectorError(ErrorKind::Config, app.provider + ": no device authorization endpoint is configured");
  }
  TokenClient client(app.token_endpoint, app.client, app.http);
  return client.startDeviceAuthorization(app.device_endpoint, app.scope);
}

bool pollDeviceSignIn(const OAuthApp& app, const TokenStore& store, const DeviceAuthorization& authorization,
                      std::int64_t now, DevicePollState* state) {
  if (authorization.expires_at && now > authorization.expires_at) {
    throw ConnectorError(ErrorKind::Auth, app.provider + ": the device code expired before anyone signed in; start again");
  }
  StoredCredentials stored = store.load().value_or(StoredCredentials{});
  TokenClient client(app.token_endpoint, clientFor(app, stored), app.http);
  DevicePoll poll = client.pollDeviceAuthorization(authorization);
  if (state) *state = poll.state;
  if (poll.state != DevicePollState::Done) return false;
  if (poll.tokens.refresh_token.empty()) {
    throw ConnectorError(ErrorKind::Auth, app.provider + ": the sign-in gave no refresh token; the scope must include "
                                                         "offline_access");
  }
  store.save(fromTokens(poll.tokens, stored, now));
  return true;
}

StoredCredentials waitForDeviceSignIn(const OAuthApp& app, const TokenStore& store,
                                      const DeviceAuthorization& authorization,
                                      const std::function<void(int seconds)>& wait,
                                      const std::function<bool()>& cancelled, const std::function<std::int64_t()>& clock) {
  int interval = std::max(1, authorization.interval_seconds);
  StoredCredentials stored = store.load().value_or(StoredCredentials{});
  TokenClient client(app.token_endpoint, clientFor(app, stored), app.http);
  for (;;) {
    if (cancelled && cancelled()) throw ConnectorError(ErrorKind::Auth, app.provider + ": sign-in cancelled");
    const std::int64_t now = clock();
    if (authorization.expires_at && now > authorization.expires_at) {
      throw ConnectorError(ErrorKind::Auth, app.provider + ": the device code expired before anyone signed in; start again");
    }
    DevicePoll poll = client.pollDeviceAuthorization(authorization);
    if (poll.state == DevicePollState::Done) {
      if (poll.tokens.refresh_token.empty()) {
        throw ConnectorError(ErrorKind::Auth, app.provider + ": the sign-in gave no refresh token; the scope must "
                                                             "include offline_access");
      }
      StoredCredentials saved = fromTokens(poll.tokens, stored, clock());
      store.save(saved);
      return saved;
    }
    if (poll.state == DevicePollState::SlowDown) interval += 5;  // RFC 8628 section 3.5
    wait(interval);
  }
}

void storeClientSecret(const TokenStore& store, const std::string& client_secret, std::int64_t now) {
  StoredCredentials stored = store.load().value_or(StoredCredentials{});
  stored.client_secret = client_secret;
  stored.updated_at = now;
  store.save(stored);
}

CredentialStatus credentialStatus(const TokenStore& store, const std::string& reauth, std::int64_t now) {
  CredentialStatus status;
  std::optional<StoredCredentials> stored;
  try {
    stored = store.load();
  } catch (const ConnectorError& e) {
    status.health = TokenHealth::ConsentMissing;
    status.message = std::string(e.what());
    return status;
  }
  if (!stored || stored->refresh_token.empty()) {
    status.health = TokenHealth::ConsentMissing;
  } else {
    status.health = stored->health;
    status.refresh_expires_at = stored->refresh_expires_at;
    status.account = stored->account;
    status.updated_at = stored->updated_at;
    if (status.health == TokenHealth::Ok && stored->refresh_expires_at &&
        stored->refresh_expires_at - kExpiringWithin < now) {
      status.health = TokenHealth::Expiring;
    }
  }
  status.message = remedy(status.health, reauth);
  return status;
}

}  // namespace calsync::oauth
