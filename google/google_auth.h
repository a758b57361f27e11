// Signing a google source or destination in, as plain functions for the master's HTTP endpoints
// (GET /sync/config/google/auth-url, POST /sync/config/google/exchange-code) and for
// `calsyncctl auth google`. Google offers no device-code flow for calendar scopes, so a headless
// machine uses the authorization URL: open it anywhere, consent, and paste back the address the
// browser ends on (or just its code). Tokens go to the section's encrypted token store.
#pragma once

#include <cstdint>
#include <string>

#include "core/credential_state.h"
#include "core/registry.h"
#include "google/google_config.h"
#include "oauth/sign_in.h"

namespace calsync::google {

oauth::OAuthApp oauthApp(const GoogleConfig& config);

// Starts a sign-in for the section `spec` and returns the URL to open. `redirect_uri` empty =
// the section's redirect_uri.
oauth::AuthorizationStart authorizationUrl(const ConnectorSpec& spec, const std::string& redirect_uri,
                                           std::int64_t now);

// Finishes it with the code, or the whole address the browser ended on. Returns the stored
// sign-in's status (never a token).
oauth::CredentialStatus exchangeCode(const ConnectorSpec& spec, const std::string& code_or_url,
                                     const std::string& state, std::int64_t now);

// For `calsyncctl auth google --client-secret-file`: keeps the secret encrypted with the tokens.
void storeClientSecret(const ConnectorSpec& spec, const std::string& client_secret, std::int64_t now);

// ok / expiring / revoked / consent_missing and what to do about it.
oauth::CredentialStatus signInStatus(const ConnectorSpec& spec, std::int64_t now);

// The section's credential as /health lists it (ConnectorInfo::credential_status): the stored
// sign-in with auth = oauth, the key file with auth = service_account.
CredentialState credentialState(const ConnectorSpec& spec, std::int64_t now);

}  // namespace calsync::google
