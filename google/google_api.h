// HTTP to the Calendar API with the things every call needs: a bearer token (refreshed once
// when Google answers 401), Google's JSON error bodies turned into typed ConnectorErrors, and a
// bounded wait-and-retry when Google throttles (403 rateLimitExceeded/userRateLimitExceeded,
// 429), so one throttled page does not fail a whole pull.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "google/google_config.h"
#include "net/http_client.h"
#include "oauth/access_token_source.h"
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
  void setSleeper(std::function<void(std::int64_t seconds)> sleeper) { sleep_ = std::move(sleeper); }

 private:
  bool throttled(const net::HttpResponse& response) const;

  const GoogleConfig& config_;
  std::shared_ptr<oauth::AccessTokenSource> tokens_;
  std::unique_ptr<net::HttpClient> http_;
  std::function<void(std::int64_t)> sleep_;
};

}  // namespace calsync::google
