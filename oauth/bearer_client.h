// HTTP to a REST API behind OAuth bearer tokens, with what every call to Google Calendar and
// Microsoft Graph needs: the access token on each request, one refresh when the server
// answers 401 (the token may have been revoked or expired early), and a bounded wait-and-
// retry when the service throttles: Retry-After when the server gives one, otherwise
// exponential backoff with jitter, so one throttled page does not fail a whole pull.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "net/http_client.h"
#include "oauth/access_token_source.h"

namespace calsync::oauth {

struct ThrottlePolicy {
  std::string service;                 // for log lines: "Google", "Graph"
  int max_retries = 2;
  std::int64_t max_wait_seconds = 60;  // a longer Retry-After is left to the caller's backoff
  // Whether an answer means "slow down" (429, and service-specific ones such as Google's 403s).
  std::function<bool(const net::HttpResponse&)> throttled;
};

class BearerClient {
 public:
  BearerClient(const net::HttpOptions& options, std::shared_ptr<AccessTokenSource> tokens, ThrottlePolicy policy);

  // Sends `request` with an Authorization header added. The answer is returned as it is, even
  // a failure: after one token refresh on 401, and once throttling retries are used up.
  net::HttpResponse send(net::HttpRequest request);
  bool throttled(const net::HttpResponse& response) const { return policy_.throttled(response); }

  // Tests replace the wait between throttled attempts.
  void setSleeper(std::function<void(std::int64_t milliseconds)> sleeper) { sleep_ = std::move(sleeper); }

 private:
  std::int64_t backoffMilliseconds(int attempt);

  std::unique_ptr<net::HttpClient> http_;
  std::shared_ptr<AccessTokenSource> tokens_;
  ThrottlePolicy policy_;
  std::function<void(std::int64_t)> sleep_;
  std::minstd_rand jitter_;
};

// Client options for a cloud API: the CA bundle, verification and per-call timeout it is configured with.
net::HttpOptions apiHttpOptions(const std::string& ca_file, bool verify_tls, int timeout_seconds);

// Seconds the answer's Retry-After asks for (delta-seconds or an HTTP date); 0 when absent.
std::int64_t retryAfterSeconds(const net::HttpResponse& response);

}  // namespace calsync::oauth
