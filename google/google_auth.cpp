#include "google/google_auth.h"

#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "oauth/credential_report.h"
#include "oauth/jwt.h"
#include "oauth/token_store.h"

namespace calsync::google {
namespace {

GoogleConfig configFor(const ConnectorSpec& spec) {
  GoogleConfig config = GoogleConfig::fromSpec(spec);
  if (config.auth != GoogleConfig::Auth::OAuth) {
    throw ConnectorError(ErrorKind::Config, "google: [" + spec.name +
                                                "] uses a service account; there is nobody to sign in");
  }
  return config;
}

}  // namespace

oauth::OAuthApp oauthApp(const GoogleConfig& config) {
  oauth::OAuthApp app;
  app.provider = "Google";
  app.authorize_endpoint = config.auth_url;
  app.token_endpoint = config.token_url;
  app.client.client_id = config.client_id;
  app.client.client_secret = config.client_secret;
  app.scope = config.scope;
  // offline + consent: the only way to be sure Google issues a refresh token again.
  app.authorize_params = {{"access_type", "offline"}, {"prompt", "consent"}, {"include_granted_scopes", "true"}};
  app.http.ca_file = config.ca_file;
  app.http.verify_tls = config.verify_tls;
  app.http.timeout_seconds = config.timeout_seconds;
  return app;
}

oauth::AuthorizationStart authorizationUrl(const ConnectorSpec& spec, const std::string& redirect_uri,
                                           std::int64_t now) {
  const GoogleConfig config = configFor(spec);
  return oauth::beginAuthorization(oauthApp(config), oauth::TokenStore(config.data_dir),
                                   redirect_uri.empty() ? config.redirect_uri : redirect_uri, now);
}

oauth::CredentialStatus exchangeCode(const ConnectorSpec& spec, const std::string& code_or_url, const std::string& state,
                                     std::int64_t now) {
  const GoogleConfig config = configFor(spec);
  const oauth::TokenStore store(config.data_dir);
  oauth::completeAuthorization(oauthApp(config), store, code_or_url, state, now);
  return oauth::credentialStatus(store, config.reauth, now);
}

void storeClientSecret(const ConnectorSpec& spec, const std::string& client_secret, std::int64_t now) {
  const GoogleConfig config = configFor(spec);
  oauth::storeClientSecret(oauth::TokenStore(config.data_dir), client_secret, now);
}

oauth::CredentialStatus signInStatus(const ConnectorSpec& spec, std::int64_t now) {
  const GoogleConfig config = configFor(spec);
  return oauth::credentialStatus(oauth::TokenStore(config.data_dir), config.reauth, now);
}

CredentialState credentialState(const ConnectorSpec& spec, std::int64_t now) {
  GoogleConfig config;
  try {
    config = GoogleConfig::fromSpec(spec);
  } catch (const ConnectorError& e) {
    CredentialState state{spec.name, "google", "missing", 0, std::string(e.what()) + "; fix the section and reload"};
    return state;
  }
  if (config.auth == GoogleConfig::Auth::OAuth) {
    return oauth::storedSignInState(oauth::TokenStore(config.data_dir), spec.name, "google", config.reauth, now);
  }
  // A service account key does not expire by itself; what can go wrong locally is the file.
  CredentialState state{spec.name, "google", "ok", 0, ""};
  std::ifstream in(config.service_account_key_file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  try {
    if (!in) throw ConnectorError(ErrorKind::Config, "cannot read " + config.service_account_key_file);
    oauth::ServiceAccountKey::fromJson(text.str());
  } catch (const ConnectorError& e) {
    state.state = "missing";
    state.action = std::string("the service account key is unusable (") + e.what() +
                   "); put the JSON key downloaded from the Cloud console at service_account_key_file (mode 0600)";
  }
  return state;
}

}  // namespace calsync::google
