#include "oauth/bearer_client.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/log.h"
#include "net/url.h"

namespace calsync::oauth {
namespace {

constexpr std::string_view kLog = "oauth";

}  // namespace

net::HttpOptions apiHttpOptions(const std::string& ca_file, bool verify_tls, int timeout_seconds) {
  net::HttpOptions options;
  options.ca_file = ca_file;
  options.verify_tls = verify_tls;
  options.timeout_seconds = timeout_seconds;
  options.connect_timeout_seconds = std::min(timeout_seconds, 30);
  return options;
}

std::int64_t retryAfterSeconds(const net::HttpResponse& response) {
  const std::string header = response.header("Retry-After");
  if (header.empty()) return 0;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return net::parseRetryAfter(header, now.count()).value_or(0);
}

BearerClient::BearerClient(const net::HttpOptions& options, std::shared_ptr<AccessTokenSource> tokens,
                           ThrottlePolicy policy)
    : http_(std::make_unique<net::HttpClient>(options)),
      tokens_(std::move(tokens)),
      policy_(std::move(policy)),
      jitter_(std::random_device{}()) {
  sleep_ = [](std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
}

// 1 s, 2 s, 4 s ... each spread over [50 %, 150 %) so clients throttled together do not
// come back together.
std::int64_t BearerClient::backoffMilliseconds(int attempt) {
  const std::int64_t base = std::int64_t{1000} << std::min(attempt, 10);
  return base / 2 + static_cast<std::int64_t>(jitter_() % static_cast<std::uint64_t>(base));
}

net::HttpResponse BearerClient::send(net::HttpRequest request) {
  const auto given_headers = request.headers;
  bool refreshed = false;
  for (int attempt = 0;; ++attempt) {
    request.headers = given_headers;
    request.headers.insert(request.headers.begin(), {"Authorization", "Bearer " + tokens_->accessToken(refreshed)});
    log::debug(kLog, request.method + " " + net::redactUrl(request.url));
    net::HttpResponse response = http_->send(request);
    if (response.status == 401 && !refreshed) {
      refreshed = true;
      --attempt;
      continue;
    }
    if (policy_.throttled(response) && attempt < policy_.max_retries) {
      const std::int64_t asked = retryAfterSeconds(response);
      const std::int64_t wait_ms = asked > 0 ? asked * 1000 : backoffMilliseconds(attempt);
      if (wait_ms <= policy_.max_wait_seconds * 1000) {
        log::info(kLog, "throttled by " + policy_.service + "; retrying in " + std::to_string(wait_ms) + " ms");
        sleep_(wait_ms);
        continue;
      }
    }
    return response;
  }
}

}  // namespace calsync::oauth
