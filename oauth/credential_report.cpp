#include "oauth/credential_report.h"

#include <optional>

#include "core/errors.h"
#include "oauth/jwt.h"
#include "oauth/rfc3339.h"

namespace calsync::oauth {
namespace {

CredentialState named(const std::string& name, const std::string& type) {
  CredentialState state;
  state.name = name;
  state.type = type;
  return state;
}

// "ok" | "expiring" | "expired" for something that ends at `end` (0 = no known end).
std::string byEnd(std::int64_t end, std::int64_t now) {
  if (end == 0) return "ok";
  if (end <= now) return "expired";
  if (end - kExpiringWithin < now) return "expiring";
  return "ok";
}

}  // namespace

std::string signInAction(const std::string& state, const std::string& reauth) {
  if (state == "ok") return "";
  if (state == "missing") return "nobody has signed in yet; run `" + reauth + "`";
  if (state == "expired") return "the sign-in has ended; run `" + reauth + "` to sign in again";
  if (state == "expiring") return remedy(TokenHealth::Expiring, reauth);
  if (state == "revoked") return remedy(TokenHealth::Revoked, reauth);
  return remedy(TokenHealth::ConsentMissing, reauth);
}

CredentialState storedSignInState(const TokenStore& store, const std::string& name, const std::string& type,
                                  const std::string& reauth, std::int64_t now) {
  CredentialState state = named(name, type);
  std::optional<StoredCredentials> stored;
  try {
    stored = store.load();
  } catch (const ConnectorError& e) {
    // The store's own message says what is wrong (key permissions, wrong key, damage).
    state.state = "missing";
    state.action = std::string(e.what()) + "; then run `" + reauth + "` if the sign-in is lost";
    return state;
  }
  if (!stored || stored->refresh_token.empty()) {
    state.state = "missing";
  } else if (stored->health == TokenHealth::Revoked) {
    state.state = "revoked";
  } else if (stored->health == TokenHealth::ConsentMissing) {
    state.state = "consent_missing";
  } else {
    state.state = byEnd(stored->refresh_expires_at, now);
    if (state.state == "ok" && stored->health == TokenHealth::Expiring) state.state = "expiring";
  }
  if (stored) state.expires_at = stored->refresh_expires_at;
  state.action = signInAction(state.state, reauth);
  return state;
}

CredentialState certificateState(const std::string& certificate_file, const std::string& private_key_file,
                                 const std::string& name, const std::string& type, const std::string& fix,
                                 std::int64_t now) {
  CredentialState state = named(name, type);
  try {
    const ClientCertificate certificate = ClientCertificate::fromFiles(certificate_file, private_key_file);
    state.expires_at = certificate.notAfter();
  } catch (const ConnectorError& e) {
    state.state = "missing";
    state.action = std::string(e.what()) + "; " + fix;
    return state;
  }
  state.state = byEnd(state.expires_at, now);
  if (state.state == "expired") {
    state.action = "the certificate expired on " + web::formatUtc(state.expires_at) + "; " + fix;
  } else if (state.state == "expiring") {
    state.action = "the certificate expires on " + web::formatUtc(state.expires_at) + "; " + fix;
  }
  return state;
}

}  // namespace calsync::oauth
