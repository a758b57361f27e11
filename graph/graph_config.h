// The settings of one graph section ([source.NAME] or [destination]).
#pragma once

#include <string>
#include <vector>

#include "core/key_spec.h"
#include "core/registry.h"

namespace calsync::graph {

struct GraphConfig {
  // client_credentials: the app's own access (secret or certificate), for `user`'s mailbox.
  // device_code: a person signs in once (calsyncctl auth graph shows a code to type).
  enum class Auth { ClientCredentials, Delegated };
  Auth auth = Auth::Delegated;
  std::string tenant = "organizations";
  std::string client_id;
  std::string client_secret;
  std::string certificate_file;
  std::string certificate_key_file;
  std::string user;                    // UPN or id; empty = the signed-in user (/me)
  std::string scope = "https://graph.microsoft.com/Calendars.ReadWrite offline_access";
  std::string app_scope = "https://graph.microsoft.com/.default";
  std::string api_url = "https://graph.microsoft.com/v1.0";
  std::string login_url = "https://login.microsoftonline.com";
  std::string token_url;               // default <login_url>/<tenant>/oauth2/v2.0/token
  std::string device_code_url;         // default .../devicecode
  std::string auth_url;                // default .../authorize
  std::string redirect_uri = "http://localhost:8765/";
  std::string ca_file;
  bool verify_tls = true;
  int timeout_seconds = 60;
  int page_size = 100;
  int retry_wait_max_seconds = 10;
  int window_margin_days = 14;         // how far a delta round reaches past the sync window
  std::string data_dir;
  std::string reauth;

  static GraphConfig fromSpec(const ConnectorSpec& spec);
  std::string userPath() const;        // "/me" or "/users/<encoded>"
};

std::vector<KeySpec> graphKeys();

}  // namespace calsync::graph
