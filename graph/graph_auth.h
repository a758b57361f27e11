// Signing a graph section in, as plain functions for the master's HTTP endpoints
// (GET /sync/config/graph/auth-url, POST /sync/config/graph/exchange-code, and the device-code
// pair below) and `calsyncctl auth graph`. Headless machines use the device-code flow: the
// admin is shown a short code to enter at microsoft.com/devicelogin from any browser.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/credential_state.h"
#include "core/registry.h"
#include "graph/graph_config.h"
#include "oauth/sign_in.h"

namespace calsync::graph {

oauth::OAuthApp oauthApp(const GraphConfig& config);

// Device-code sign-in: start it (show user_code and verification_uri, or `message`) ...
oauth::DeviceAuthorization startDeviceSignIn(const ConnectorSpec& spec);
// ... then poll once per interval (HTTP endpoints; `state`, when given, tells Pending from
// SlowDown) ...
bool pollDeviceSignIn(const ConnectorSpec& spec, const oauth::DeviceAuthorization& authorization, std::int64_t now,
                      oauth::DevicePollState* state = nullptr);
// ... or wait until it is done (the CLI). Returns the stored sign-in's status, never a token.
oauth::CredentialStatus waitForDeviceSignIn(const ConnectorSpec& spec, const oauth::DeviceAuthorization& authorization,
                                            const std::function<void(int seconds)>& wait,
                                            const std::function<bool()>& cancelled);

// Authorization-code sign-in (a browser on the same or any machine).
oauth::AuthorizationStart authorizationUrl(const ConnectorSpec& spec, const std::string& redirect_uri, std::int64_t now);
oauth::CredentialStatus exchangeCode(const ConnectorSpec& spec, const std::string& code_or_url, const std::string& state,
                                     std::int64_t now);

void storeClientSecret(const ConnectorSpec& spec, const std::string& client_secret, std::int64_t now);
oauth::CredentialStatus signInStatus(const ConnectorSpec& spec, std::int64_t now);

// The section's credential as /health lists it (ConnectorInfo::credential_status): the stored
// sign-in with device_code, the certificate (or secret) with client_credentials.
CredentialState credentialState(const ConnectorSpec& spec, std::int64_t now);

}  // namespace calsync::graph
