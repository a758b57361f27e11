// The settings of one google section ([source.NAME] or [destination]).
#pragma once

#include <string>
#include <vector>

#include "core/key_spec.h"
#include "core/registry.h"

namespace calsync::google {

struct GoogleConfig {
  enum class Auth { OAuth, ServiceAccount };
  Auth auth = Auth::OAuth;
  std::string client_id;
  std::string client_secret;
  std::string service_account_key_file;
  std::string subject;                   // user a service account acts for (domain-wide delegation)
  std::string scope = "https://www.googleapis.com/auth/calendar";
  std::string api_url = "https://www.googleapis.com/calendar/v3";
  std::string token_url = "https://oauth2.googleapis.com/token";
  std::string auth_url = "https://accounts.google.com/o/oauth2/v2/auth";
  std::string redirect_uri = "http://127.0.0.1:8765/";
  std::string ca_file;
  bool verify_tls = true;
  int timeout_seconds = 60;
  int page_size = 250;
  int retry_wait_max_seconds = 10;       // longest Retry-After honoured inside one pull
  std::string data_dir;                  // where the token store lives
  std::string reauth;                    // the command that fixes a broken sign-in

  // From a validated section; throws ConnectorError(Config) for combinations that cannot work.
  static GoogleConfig fromSpec(const ConnectorSpec& spec);
};

std::vector<KeySpec> googleKeys();

}  // namespace calsync::google
