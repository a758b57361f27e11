#include "ews/ews_config.h"

#include <algorithm>
#include <cctype>

#include "core/errors.h"
#include "core/settings_access.h"
#include "ews/time_zones.h"
#include "net/url.h"

namespace calsync::ews {
namespace {

bool parseBool(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return !(value == "false" || value == "no" || value == "off" || value == "0");
}

int parseInt(const std::string& name, const std::string& value) {
  try {
    return std::stoi(value);
  } catch (const std::exception&) {
    throw ConnectorError(ErrorKind::Config, "ews: " + name + " is not a number: " + value);
  }
}

}  // namespace

std::vector<KeySpec> ewsKeys() {
  std::vector<KeySpec> keys;
  keys.push_back(describeKey("url", KeyType::Url, "", "The EWS endpoint, e.g. https://mail.example.com/EWS/Exchange.asmx"));
  keys.back().required = true;
  keys.push_back(describeKey("auth", KeyType::Enum, "basic",
                     "How to sign in: basic, ntlm (on-premises Exchange), or oauth2 (a bearer token in token)"));
  keys.back().choices = {"basic", "ntlm", "oauth2"};
  keys.push_back(describeKey("username", KeyType::String, "", "User for basic or ntlm, e.g. jdoe@example.com or EXAMPLE\\jdoe"));
  keys.push_back(describeKey("password", KeyType::Secret, "", "Password for basic or ntlm"));
  keys.push_back(describeKey("token", KeyType::Secret, "", "OAuth2 access token for auth = oauth2"));
  keys.push_back(describeKey("mailbox", KeyType::String, "",
                     "Read another mailbox's calendars by delegate access (its SMTP address); empty = the user's own"));
  keys.push_back(describeKey("include_subfolders", KeyType::Bool, "true", "Also offer the calendar folders below the default calendar"));
  keys.push_back(describeKey("server_version", KeyType::Enum, "Exchange2013_SP1",
                     "RequestServerVersion sent with every request; the oldest Exchange the server must act as"));
  keys.back().choices = {"Exchange2010_SP1", "Exchange2010_SP2", "Exchange2013", "Exchange2013_SP1", "Exchange2016"};
  keys.push_back(describeKey("time_zone", KeyType::String, "UTC",
                     "Zone (IANA or Windows id) in which all-day events written here start at midnight; use the mailbox's zone"));
  keys.push_back(describeKey("ca_file", KeyType::Path, "", "Extra CA certificates (PEM) to trust besides the system store"));
  keys.push_back(describeKey("verify_tls", KeyType::Bool, "true", "Verify the server's TLS certificate and host name"));
  keys.push_back(describeKey("proxy", KeyType::String, "", "HTTP proxy as host:port (https is tunnelled with CONNECT); empty = direct"));
  keys.push_back(describeKey("proxy_username", KeyType::String, "", "User for the proxy's Basic authentication"));
  keys.push_back(describeKey("proxy_password", KeyType::Secret, "", "Password for the proxy"));
  keys.push_back(describeKey("timeout", KeyType::Duration, "60s", "Give up on a request when the server is silent this long"));
  keys.back().min = 1;
  keys.back().max = 3600;
  keys.push_back(describeKey("max_connections", KeyType::Int, "4",
                     "Requests in flight at once to this URL, shared by every source and destination using it"));
  keys.back().min = 1;
  keys.back().max = 27;
  return keys;
}

EwsConfig EwsConfig::fromSettings(const Settings& settings) {
  EwsConfig config;
  config.url = settingText(settings, "url");
  auto parts = net::parseUrl(config.url);
  if (!parts || parts->has_userinfo) {
    throw ConnectorError(ErrorKind::Config, "ews: url must be an http(s) URL without credentials: " + net::redactUrl(config.url));
  }
  std::string auth = settingText(settings, "auth");
  if (auth.empty() || auth == "basic") config.auth = AuthMethod::Basic;
  else if (auth == "ntlm") config.auth = AuthMethod::Ntlm;
  else if (auth == "oauth2") config.auth = AuthMethod::OAuth2;
  else throw ConnectorError(ErrorKind::Config, "ews: auth must be basic, ntlm or oauth2, not " + auth);
  config.username = settingText(settings, "username");
  config.password = settingText(settings, "password");
  config.token = settingText(settings, "token");
  if (config.auth == AuthMethod::OAuth2 && config.token.empty()) {
    throw ConnectorError(ErrorKind::Config, "ews: auth = oauth2 needs a token");
  }
  if (config.auth != AuthMethod::OAuth2 && config.username.empty()) {
    throw ConnectorError(ErrorKind::Config, "ews: auth = " + (auth.empty() ? std::string("basic") : auth) + " needs a username");
  }
  config.mailbox = settingText(settings, "mailbox");
  if (auto v = settingText(settings, "include_subfolders"); !v.empty()) config.include_subfolders = parseBool(v);
  if (auto v = settingText(settings, "server_version"); !v.empty()) config.server_version = v;
  if (auto v = settingText(settings, "time_zone"); !v.empty()) config.time_zone = v;
  if (!zoneForTzid(config.time_zone)) {
    throw ConnectorError(ErrorKind::Config, "ews: time_zone '" + config.time_zone + "' is neither an IANA nor a Windows zone id");
  }
  config.ca_file = settingText(settings, "ca_file");
  if (auto v = settingText(settings, "verify_tls"); !v.empty()) config.verify_tls = parseBool(v);
  config.proxy = settingText(settings, "proxy");
  config.proxy_username = settingText(settings, "proxy_username");
  config.proxy_password = settingText(settings, "proxy_password");
  if (auto v = settingText(settings, "timeout"); !v.empty()) config.timeout_seconds = parseInt("timeout", v);
  if (auto v = settingText(settings, "max_connections"); !v.empty()) config.max_connections = parseInt("max_connections", v);
  if (config.timeout_seconds <= 0) throw ConnectorError(ErrorKind::Config, "ews: timeout must be positive");
  if (config.max_connections <= 0) throw ConnectorError(ErrorKind::Config, "ews: max_connections must be positive");
  return config;
}

}  // namespace calsync::ews
