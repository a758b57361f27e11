#include "oauth/access_token_source.h"

#include <chrono>

#include "core/log.h"

namespace calsync::oauth {
namespace {

constexpr std::string_view kLog = "oauth";
constexpr std::int64_t kMargin = 60;  // never hand out a token about to expire

std::int64_t now(const Clock& clock) { return clock ? clock() : systemClock(); }

// An endpoint verdict about the grant itself becomes an Auth error that says what to do;
// anything else (network, throttling, a broken endpoint) passes through unchanged.
[[noreturn]] void rethrowWithRemedy(const TokenEndpointError& e, const TokenEndpointSetup& setup) {
  if (e.kind() == ErrorKind::Auth) {
    const TokenHealth health = e.health() == TokenHealth::Ok ? TokenHealth::ConsentMissing : e.health();
    throw ConnectorError(ErrorKind::Auth, setup.provider + " sign-in failed: " + e.what() + "; " +
                                              remedy(health, setup.reauth));
  }
  throw e;
}

}  // namespace

std::int64_t systemClock() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

StoredTokenSource::StoredTokenSource(TokenEndpointSetup setup, TokenStore store)
    : setup_(std::move(setup)), store_(std::move(store)) {}

std::string StoredTokenSource::accessToken(bool force_refresh) {
  std::unique_lock lock(mutex_);
  const std::int64_t t = now(setup_.clock);
  if (!force_refresh && !cached_.empty() && cached_expires_at_ - kMargin > t) return cached_;

  auto stored = store_.load();
  if (!stored || stored->refresh_token.empty()) {
    throw ConnectorError(ErrorKind::Auth, setup_.provider + ": not signed in; " +
                                              remedy(TokenHealth::ConsentMissing, setup_.reauth));
  }
  if (stored->health == TokenHealth::Revoked || stored->health == TokenHealth::ConsentMissing) {
    // Known bad until someone signs in again (which replaces the stored record).
    throw ConnectorError(ErrorKind::Auth, setup_.provider + ": " + remedy(stored->health, setup_.reauth));
  }
  if (!force_refresh && !stored->access_token.empty() && stored->access_expires_at - kMargin > t) {
    cached_ = stored->access_token;
    cached_expires_at_ = stored->access_expires_at;
    return cached_;
  }

  ClientAuth client = setup_.client;
  if (client.client_secret.empty()) client.client_secret = stored->client_secret;
  TokenClient token_client(setup_.token_endpoint, client, setup_.http, setup_.clock);
  TokenSet fresh;
  try {
    fresh = token_client.refresh(stored->refresh_token);
  } catch (const TokenEndpointError& e) {
    if (e.kind() == ErrorKind::Auth) {
      // An admin may have signed in again while we asked: never overwrite that sign-in.
      auto latest = store_.load();
      if (latest && !latest->refresh_token.empty() && latest->refresh_token != stored->refresh_token) {
        lock.unlock();
        return accessToken(true);
      }
      stored->health = e.health() == TokenHealth::Ok ? TokenHealth::ConsentMissing : e.health();
      stored->access_token.clear();
      stored->updated_at = t;
      store_.save(*stored);
      log::warn(kLog, setup_.provider + " refused the stored sign-in (" + toString(stored->health) + ")");
    }
    rethrowWithRemedy(e, setup_);
  }
  auto latest = store_.load();
  if (latest && latest->refresh_token != stored->refresh_token) {
    // A new sign-in arrived meanwhile: it wins; use it on the next call.
    lock.unlock();
    return accessToken(true);
  }
  stored->access_token = fresh.access_token;
  stored->access_expires_at = fresh.expires_at ? fresh.expires_at : t + 3600;
  if (!fresh.refresh_token.empty()) stored->refresh_token = fresh.refresh_token;  // rotation
  if (fresh.refresh_expires_at) stored->refresh_expires_at = fresh.refresh_expires_at;
  stored->health = TokenHealth::Ok;
  stored->updated_at = t;
  store_.save(*stored);
  cached_ = stored->access_token;
  cached_expires_at_ = stored->access_expires_at;
  return cached_;
}

TokenHealth StoredTokenSource::health() {
  std::optional<StoredCredentials> stored;
  try {
    stored = store_.load();
  } catch (const ConnectorError&) {
    return TokenHealth::ConsentMissing;
  }
  if (!stored || stored->refresh_token.empty()) return TokenHealth::ConsentMissing;
  if (stored->health != TokenHealth::Ok) return stored->health;
  if (stored->refresh_expires_at && stored->refresh_expires_at - kExpiringWithin < now(setup_.clock)) {
    return TokenHealth::Expiring;
  }
  return TokenHealth::Ok;
}

ClientCredentialsSource::ClientCredentialsSource(TokenEndpointSetup setup) : setup_(std::move(setup)) {}

std::string ClientCredentialsSource::accessToken(bool force_refresh) {
  std::lock_guard lock(mutex_);
  const std::int64_t t = now(setup_.clock);
  if (!force_refresh && !cached_.empty() && cached_expires_at_ - kMargin > t) return cached_;
  TokenClient client(setup_.token_endpoint, setup_.client, setup_.http, setup_.clock);
  try {
    TokenSet fresh = client.clientCredentials(setup_.scope);
    cached_ = fresh.access_token;
    cached_expires_at_ = fresh.expires_at ? fresh.expires_at : t + 3600;
    last_ = TokenHealth::Ok;
    return cached_;
  } catch (const TokenEndpointError& e) {
    if (e.kind() == ErrorKind::Auth) last_ = e.health() == TokenHealth::Ok ? TokenHealth::ConsentMissing : e.health();
    rethrowWithRemedy(e, setup_);
  }
}

TokenHealth ClientCredentialsSource::health() {
  std::lock_guard lock(mutex_);
  if (last_ != TokenHealth::Ok) return last_;
  if (setup_.client.certificate) {
    const std::int64_t not_after = setup_.client.certificate->notAfter();
    if (not_after && not_after - kExpiringWithin < now(setup_.clock)) return TokenHealth::Expiring;
  }
  return TokenHealth::Ok;
}

ServiceAccountSource::ServiceAccountSource(TokenEndpointSetup setup, ServiceAccountKey key, std::string subject)
    : setup_(std::move(setup)), key_(std::move(key)), subject_(std::move(subject)) {}

std::string ServiceAccountSource::accessToken(bool force_refresh) {
  std::lock_guard lock(mutex_);
  const std::int64_t t = now(setup_.clock);
  if (!force_refresh && !cached_.empty() && cached_expires_at_ - kMargin > t) return cached_;
  TokenClient client(setup_.token_endpoint, {}, setup_.http, setup_.clock);
  try {
    TokenSet fresh = client.jwtBearer(serviceAccountAssertion(key_, setup_.scope, subject_, setup_.token_endpoint, t));
    cached_ = fresh.access_token;
    cached_expires_at_ = fresh.expires_at ? fresh.expires_at : t + 3600;
    last_ = TokenHealth::Ok;
    return cached_;
  } catch (const TokenEndpointError& e) {
    if (e.kind() == ErrorKind::Auth) last_ = e.health() == TokenHealth::Ok ? TokenHealth::ConsentMissing : e.health();
    rethrowWithRemedy(e, setup_);
  }
}

TokenHealth ServiceAccountSource::health() {
  std::lock_guard lock(mutex_);
  return last_;
}

}  // namespace calsync::oauth
