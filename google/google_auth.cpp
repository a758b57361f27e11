#include "google/google_auth.h"

#include "core/errors.h"
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

}  // namespace calsync::google
