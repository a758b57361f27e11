#include "graph/graph_auth.h"

#include "core/errors.h"
#include "oauth/access_token_source.h"
#include "oauth/credential_report.h"
#include "oauth/token_store.h"

namespace calsync::graph {
namespace {

GraphConfig delegatedConfig(const ConnectorSpec& spec) {
  GraphConfig config = GraphConfig::fromSpec(spec);
  if (config.auth != GraphConfig::Auth::Delegated) {
    throw ConnectorError(ErrorKind::Config, "graph: [" + spec.name +
                                                "] uses client_credentials; there is nobody to sign in");
  }
  return config;
}

}  // namespace

oauth::OAuthApp oauthApp(const GraphConfig& config) {
  oauth::OAuthApp app;
  app.provider = "Microsoft";
  app.authorize_endpoint = config.auth_url;
  app.token_endpoint = config.token_url;
  app.device_endpoint = config.device_code_url;
  app.client.client_id = config.client_id;
  app.client.client_secret = config.client_secret;
  app.scope = config.scope;
  app.authorize_params = {{"response_mode", "query"}};
  app.http.ca_file = config.ca_file;
  app.http.verify_tls = config.verify_tls;
  app.http.timeout_seconds = config.timeout_seconds;
  return app;
}

oauth::DeviceAuthorization startDeviceSignIn(const ConnectorSpec& spec) {
  return oauth::beginDeviceSignIn(oauthApp(delegatedConfig(spec)));
}

bool pollDeviceSignIn(const ConnectorSpec& spec, const oauth::DeviceAuthorization& authorization, std::int64_t now,
                      oauth::DevicePollState* state) {
  const GraphConfig config = delegatedConfig(spec);
  return oauth::pollDeviceSignIn(oauthApp(config), oauth::TokenStore(config.data_dir), authorization, now, state);
}

oauth::CredentialStatus waitForDeviceSignIn(const ConnectorSpec& spec, const oauth::DeviceAuthorization& authorization,
                                            const std::function<void(int seconds)>& wait,
                                            const std::function<bool()>& cancelled) {
  const GraphConfig config = delegatedConfig(spec);
  const oauth::TokenStore store(config.data_dir);
  oauth::waitForDeviceSignIn(oauthApp(config), store, authorization, wait, cancelled, oauth::systemClock);
  return oauth::credentialStatus(store, config.reauth, oauth::systemClock());
}

oauth::AuthorizationStart authorizationUrl(const ConnectorSpec& spec, const std::string& redirect_uri, std::int64_t now) {
  const GraphConfig config = delegatedConfig(spec);
  return oauth::beginAuthorization(oauthApp(config), oauth::TokenStore(config.data_dir),
                                   redirect_uri.empty() ? config.redirect_uri : redirect_uri, now);
}

oauth::CredentialStatus exchangeCode(const ConnectorSpec& spec, const std::string& code_or_url, const std::string& state,
                                     std::int64_t now) {
  const GraphConfig config = delegatedConfig(spec);
  const oauth::TokenStore store(config.data_dir);
  oauth::completeAuthorization(oauthApp(config), store, code_or_url, state, now);
  return oauth::credentialStatus(store, config.reauth, now);
}

void storeClientSecret(const ConnectorSpec& spec, const std::string& client_secret, std::int64_t now) {
  const GraphConfig config = delegatedConfig(spec);
  oauth::storeClientSecret(oauth::TokenStore(config.data_dir), client_secret, now);
}

oauth::CredentialStatus signInStatus(const ConnectorSpec& spec, std::int64_t now) {
  const GraphConfig config = delegatedConfig(spec);
  return oauth::credentialStatus(oauth::TokenStore(config.data_dir), config.reauth, now);
}

CredentialState credentialState(const ConnectorSpec& spec, std::int64_t now) {
  GraphConfig config;
  try {
    config = GraphConfig::fromSpec(spec);
  } catch (const ConnectorError& e) {
    return CredentialState{spec.name, "graph", "missing", 0, std::string(e.what()) + "; fix the section and reload"};
  }
  if (config.auth == GraphConfig::Auth::Delegated) {
    return oauth::storedSignInState(oauth::TokenStore(config.data_dir), spec.name, "graph", config.reauth, now);
  }
  if (!config.certificate_file.empty()) {
    return oauth::certificateState(config.certificate_file, config.certificate_key_file, spec.name, "graph",
                                   "upload a new certificate to the app registration and point certificate_file at it",
                                   now);
  }
  // A client secret's end date is known only to Entra; a refused secret shows as an Auth error.
  return CredentialState{spec.name, "graph", "ok", 0, ""};
}

}  // namespace calsync::graph
