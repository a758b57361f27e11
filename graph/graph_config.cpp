#include "graph/graph_config.h"

#include <algorithm>
#include <cctype>

#include "core/errors.h"
#include "core/settings_access.h"
#include "oauth/token_health.h"
#include "oauth/encoding.h"

namespace calsync::graph {
std::vector<KeySpec> graphKeys() {
  std::vector<KeySpec> keys;
  keys.push_back(describeKey("auth", KeyType::Enum, "device_code",
                     "device_code: a person signs in once with calsyncctl auth graph (works on headless machines: "
                     "it shows a code to enter at microsoft.com/devicelogin); client_credentials: the app's own "
                     "access to `user`'s mailbox with client_secret or certificate_file (admin consent needed)"));
  keys.back().choices = {"device_code", "client_credentials"};
  keys.push_back(describeKey("tenant", KeyType::String, "organizations",
                     "Directory (tenant) id or domain; organizations or common for delegated sign-in"));
  keys.push_back(describeKey("client_id", KeyType::String, "", "Application (client) ID of the app registration"));
  keys.back().required = true;
  keys.push_back(describeKey("client_secret", KeyType::Secret, "", "Client secret of the app registration, if it has one"));
  keys.push_back(describeKey("certificate_file", KeyType::Path, "",
                     "PEM certificate uploaded to the app registration (client_credentials without a secret)"));
  keys.push_back(describeKey("certificate_key_file", KeyType::Path, "",
                     "PEM private key of certificate_file; empty when the key is in certificate_file"));
  keys.push_back(describeKey("user", KeyType::String, "",
                     "Mailbox (UPN or object id) whose calendars are synced; required with client_credentials, "
                     "empty = the signed-in user"));
  keys.push_back(describeKey("scope", KeyType::String, "https://graph.microsoft.com/Calendars.ReadWrite offline_access",
                     "Delegated scopes requested at sign-in (client_credentials always uses .default)"));
  keys.push_back(describeKey("app_scope", KeyType::String, "https://graph.microsoft.com/.default",
                     "Scope of the client_credentials grant: the Graph resource followed by /.default"));
  keys.push_back(describeKey("redirect_uri", KeyType::Url, "http://localhost:8765/",
                     "Redirect URI for the authorization-code sign-in (the device-code sign-in needs none)"));
  keys.push_back(describeKey("api_url", KeyType::Url, "https://graph.microsoft.com/v1.0",
                     "Microsoft Graph base URL (national clouds, or testing)"));
  keys.push_back(describeKey("login_url", KeyType::Url, "https://login.microsoftonline.com",
                     "Microsoft identity platform authority (national clouds)"));
  keys.push_back(describeKey("token_url", KeyType::Url, "", "Token endpoint; empty = derived from login_url and tenant"));
  keys.push_back(describeKey("device_code_url", KeyType::Url, "",
                     "Device authorization endpoint; empty = derived from login_url and tenant"));
  keys.push_back(describeKey("auth_url", KeyType::Url, "", "Authorization endpoint; empty = derived from login_url and tenant"));
  keys.push_back(describeKey("ca_file", KeyType::Path, "", "Extra CA certificates (PEM) to trust besides the system store"));
  keys.push_back(describeKey("verify_tls", KeyType::Bool, "true", "Verify the server's TLS certificate and host name"));
  keys.push_back(describeKey("timeout", KeyType::Duration, "60s", "Give up on a request when the server is silent this long"));
  keys.back().min = 1;
  keys.back().max = 3600;
  keys.push_back(describeKey("page_size", KeyType::Int, "100", "Events per page of calendarView/delta (Prefer: odata.maxpagesize)"));
  keys.back().min = 1;
  keys.back().max = 1000;
  keys.push_back(describeKey("retry_wait_max", KeyType::Duration, "10s",
                     "When Graph answers 429/503 with a Retry-After up to this long, wait and retry inside the "
                     "same sync; longer waits end the sync with a Throttled error"));
  keys.back().min = 0;
  keys.back().max = 300;
  return keys;
}

GraphConfig GraphConfig::fromSpec(const ConnectorSpec& spec) {
  const Settings& s = spec.settings;
  GraphConfig c;
  const std::string auth = settingText(s, "auth");
  if (auth == "client_credentials") {
    c.auth = Auth::ClientCredentials;
  } else if (!auth.empty() && auth != "device_code") {
    throw ConnectorError(ErrorKind::Config, "graph: auth must be device_code or client_credentials, not " + auth);
  }
  auto text = [&](const char* name, std::string& field) {
    if (auto value = settingText(s, name); !value.empty()) field = value;
  };
  text("tenant", c.tenant);
  text("client_id", c.client_id);
  text("client_secret", c.client_secret);
  text("certificate_file", c.certificate_file);
  text("certificate_key_file", c.certificate_key_file);
  text("user", c.user);
  text("scope", c.scope);
  text("app_scope", c.app_scope);
  text("api_url", c.api_url);
  text("login_url", c.login_url);
  text("token_url", c.token_url);
  text("device_code_url", c.device_code_url);
  text("auth_url", c.auth_url);
  text("redirect_uri", c.redirect_uri);
  text("ca_file", c.ca_file);
  c.verify_tls = settingBool(s, "verify_tls", c.verify_tls);
  c.timeout_seconds = settingInt(s, "timeout", 60);
  c.page_size = std::clamp(settingInt(s, "page_size", 100), 1, 1000);
  c.retry_wait_max_seconds = std::max(0, settingInt(s, "retry_wait_max", 10));
  while (!c.api_url.empty() && c.api_url.back() == '/') c.api_url.pop_back();
  while (!c.login_url.empty() && c.login_url.back() == '/') c.login_url.pop_back();
  const std::string authority = c.login_url + "/" + oauth::urlEncode(c.tenant) + "/oauth2/v2.0";
  if (c.token_url.empty()) c.token_url = authority + "/token";
  if (c.device_code_url.empty()) c.device_code_url = authority + "/devicecode";
  if (c.auth_url.empty()) c.auth_url = authority + "/authorize";
  c.data_dir = spec.data_dir;
  c.reauth = oauth::reauthCommand("graph", spec.name);
  if (c.client_id.empty()) throw ConnectorError(ErrorKind::Config, "graph: client_id is required");
  if (c.auth == Auth::ClientCredentials) {
    if (c.user.empty()) throw ConnectorError(ErrorKind::Config, "graph: user is required with auth = client_credentials");
    if (c.client_secret.empty() && c.certificate_file.empty()) {
      throw ConnectorError(ErrorKind::Config, "graph: client_credentials needs client_secret or certificate_file");
    }
    c.reauth = "check client_secret/certificate_file of the app registration and its admin consent for Calendars.ReadWrite";
  }
  return c;
}

std::string GraphConfig::userPath() const {
  if (user.empty() || user == "me") return "/me";
  return "/users/" + oauth::urlEncode(user);
}

}  // namespace calsync::graph
