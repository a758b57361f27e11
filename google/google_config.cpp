#include "google/google_config.h"

#include <algorithm>
#include <cctype>

#include "core/errors.h"
#include "core/settings_access.h"
#include "oauth/token_health.h"

namespace calsync::google {
std::vector<KeySpec> googleKeys() {
  std::vector<KeySpec> keys;
  keys.push_back(describeKey("auth", KeyType::Enum, "oauth",
                     "How calsync signs in: oauth (a user signs in once with calsyncctl auth google; the refresh "
                     "token is kept encrypted in data_dir) or service_account (a Workspace service account with "
                     "domain-wide delegation acting for `subject`)"));
  keys.back().choices = {"oauth", "service_account"};
  keys.push_back(describeKey("client_id", KeyType::String, "", "OAuth client ID of the Google Cloud project (auth = oauth)"));
  keys.push_back(describeKey("client_secret", KeyType::Secret, "",
                     "OAuth client secret (auth = oauth); may instead be given once to calsyncctl auth google, "
                     "which keeps it encrypted"));
  keys.push_back(describeKey("service_account_key_file", KeyType::Path, "",
                     "JSON key file of the service account (auth = service_account); keep it mode 0600"));
  keys.push_back(describeKey("subject", KeyType::String, "",
                     "E-mail address of the Workspace user whose calendars the service account reads and writes"));
  keys.push_back(describeKey("scope", KeyType::String, "https://www.googleapis.com/auth/calendar",
                     "OAuth scope requested; calendar.readonly is enough for a source that is never written to"));
  keys.push_back(describeKey("redirect_uri", KeyType::Url, "http://127.0.0.1:8765/",
                     "Redirect URI registered for the OAuth client; on a headless machine the browser may fail to "
                     "load it, and the address it shows is pasted into calsyncctl auth google"));
  keys.push_back(describeKey("api_url", KeyType::Url, "https://www.googleapis.com/calendar/v3",
                     "Base URL of the Calendar API (change only for testing)"));
  keys.push_back(describeKey("token_url", KeyType::Url, "https://oauth2.googleapis.com/token",
                     "OAuth token endpoint (change only for testing)"));
  keys.push_back(describeKey("auth_url", KeyType::Url, "https://accounts.google.com/o/oauth2/v2/auth",
                     "OAuth authorization endpoint (change only for testing)"));
  keys.push_back(describeKey("ca_file", KeyType::Path, "", "Extra CA certificates (PEM) to trust besides the system store"));
  keys.push_back(describeKey("verify_tls", KeyType::Bool, "true", "Verify the server's TLS certificate and host name"));
  keys.push_back(describeKey("timeout", KeyType::Duration, "60s", "Give up on a request when the server is silent this long"));
  keys.back().min = 1;
  keys.back().max = 3600;
  keys.push_back(describeKey("page_size", KeyType::Int, "250", "Events per page of events.list (Google allows up to 2500)"));
  keys.back().min = 1;
  keys.back().max = 2500;
  keys.push_back(describeKey("retry_wait_max", KeyType::Duration, "10s",
                     "When Google throttles a request, wait and retry it inside the same sync if the wait is at "
                     "most this long; longer waits end the sync with a Throttled error and the scheduler retries"));
  keys.back().min = 0;
  keys.back().max = 300;
  return keys;
}

GoogleConfig GoogleConfig::fromSpec(const ConnectorSpec& spec) {
  const Settings& s = spec.settings;
  GoogleConfig c;
  const std::string auth = settingText(s, "auth");
  if (auth == "service_account") {
    c.auth = Auth::ServiceAccount;
  } else if (!auth.empty() && auth != "oauth") {
    throw ConnectorError(ErrorKind::Config, "google: auth must be oauth or service_account, not " + auth);
  }
  c.client_id = settingText(s, "client_id");
  c.client_secret = settingText(s, "client_secret");
  c.service_account_key_file = settingText(s, "service_account_key_file");
  c.subject = settingText(s, "subject");
  auto text = [&](const char* name, std::string& field) {
    if (auto value = settingText(s, name); !value.empty()) field = value;
  };
  text("scope", c.scope);
  text("api_url", c.api_url);
  text("token_url", c.token_url);
  text("auth_url", c.auth_url);
  text("redirect_uri", c.redirect_uri);
  c.ca_file = settingText(s, "ca_file");
  c.verify_tls = settingBool(s, "verify_tls", true);
  c.timeout_seconds = settingInt(s, "timeout", 60);
  c.page_size = std::clamp(settingInt(s, "page_size", 250), 1, 2500);
  c.retry_wait_max_seconds = std::max(0, settingInt(s, "retry_wait_max", 10));
  while (!c.api_url.empty() && c.api_url.back() == '/') c.api_url.pop_back();
  c.data_dir = spec.data_dir;
  c.reauth = oauth::reauthCommand("google", spec.name);
  if (c.auth == Auth::OAuth && c.client_id.empty()) {
    throw ConnectorError(ErrorKind::Config, "google: client_id is required with auth = oauth");
  }
  if (c.auth == Auth::ServiceAccount && c.service_account_key_file.empty()) {
    throw ConnectorError(ErrorKind::Config, "google: service_account_key_file is required with auth = service_account");
  }
  if (c.timeout_seconds <= 0) throw ConnectorError(ErrorKind::Config, "google: timeout must be positive");
  return c;
}

}  // namespace calsync::google
