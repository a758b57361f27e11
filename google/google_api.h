// HTTP to the Calendar API: bearer tokens and throttling retries (oauth/bearer_client.h;
// Google throttles with 429 and with 403 rateLimitExceeded/userRateLimitExceeded), and
// Google's JSON error bodies turned into typed ConnectorErrors.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "google/google_config.h"
#include "net/http_client.h"
#include "oauth/access_token_source.h"
#include "oauth/bearer_client.h"
#include "oauth/json_access.h"

namespace calsync::google {

struct GoogleError {
  std::string reason;    // errors[0].reason: "rateLimitExceeded", "fullSyncRequired", ...
  std::string message;   // error.message
};
GoogleError googleErrorOf(const net::HttpResponse& response);

class GoogleApi {
 public:
  GoogleApi(const GoogleConfig& config, std::shared_ptr<oauth::AccessTokenSource> tokens);

  // `path` is relative to api_url and includes its query. Non-2xx answers other than 401 and
  // throttling are returned for the caller to read.
  net::HttpResponse send(const std::string& method, const std::string& path, const std::string& body = {},
                         const std::string& if_match = {});
  // GET that must answer 200 with a JSON object.
  json::Object::Ptr getJson(const std::string& path, const std::string& context);
  // The typed error for a failed answer.
  ConnectorError errorFor(const net::HttpResponse& response, const std::string& context) const;

  // Tests replace the wait between throttled attempts.
  void setSleeper(std::function<void(std::int64_t milliseconds)> sleeper) { client_.setSleeper(std::move(sleeper)); }

 private:
  const GoogleConfig& config_;
  oauth::BearerClient client_;
};

}  // namespace calsync::google
