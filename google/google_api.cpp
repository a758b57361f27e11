#include "google/google_api.h"

#include <chrono>
#include <thread>

#include "core/log.h"
#include "net/url.h"
#include "oauth/token_health.h"

namespace calsync::google {
namespace {

constexpr std::string_view kLog = "google";
constexpr int kThrottleRetries = 2;
constexpr std::int64_t kDefaultThrottleWait = 60;  // Google quotas are per minute

bool usageLimit(const std::string& reason) {
  return reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" || reason == "quotaExceeded" ||
         reason == "dailyLimitExceeded" || reason == "variableTermLimitExceeded";
}

std::int64_t retryAfterOf(const net::HttpResponse& response) {
  const std::string header = response.header("Retry-After");
  if (header.empty()) return 0;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return net::parseRetryAfter(header, now.count()).value_or(0);
}

}  // namespace

GoogleError googleErrorOf(const net::HttpResponse& response) {
  GoogleError error;
  try {
    auto root = json::parseObject(response.body, "error");
    auto body = json::object(root, "error");
    error.message = json::text(body, "message");
    auto errors = json::objects(body, "errors");
    if (!errors.empty()) error.reason = json::text(errors.front(), "reason");
    if (error.reason.empty()) error.reason = json::text(body, "status");
  } catch (const ConnectorError&) {
  }
  if (error.message.size() > 300) error.message = error.message.substr(0, 300) + "...";
  return error;
}

GoogleApi::GoogleApi(const GoogleConfig& config, std::shared_ptr<oauth::AccessTokenSource> tokens)
    : config_(config), tokens_(std::move(tokens)) {
  net::HttpOptions options;
  options.ca_file = config_.ca_file;
  options.verify_tls = config_.verify_tls;
  options.timeout_seconds = config_.timeout_seconds;
  options.connect_timeout_seconds = std::min(config_.timeout_seconds, 30);
  http_ = std::make_unique<net::HttpClient>(options);
  sleep_ = [](std::int64_t seconds) { std::this_thread::sleep_for(std::chrono::seconds(seconds)); };
}

bool GoogleApi::throttled(const net::HttpResponse& response) const {
  if (response.status == 429) return true;
  if (response.status == 403) return usageLimit(googleErrorOf(response).reason);
  return false;
}

net::HttpResponse GoogleApi::send(const std::string& method, const std::string& path, const std::string& body,
                                  const std::string& if_match) {
  net::HttpRequest request;
  request.method = method;
  request.url = config_.api_url + path;
  request.body = body;
  bool refreshed = false;
  for (int attempt = 0;; ++attempt) {
    request.headers = {{"Authorization", "Bearer " + tokens_->accessToken(refreshed)}, {"Accept", "application/json"}};
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    if (!if_match.empty()) request.headers.emplace_back("If-Match", if_match);
    log::debug(kLog, method + " " + net::redactUrl(request.url));
    net::HttpResponse response = http_->send(request);
    if (response.status == 401 && !refreshed) {
      refreshed = true;  // the access token may have been revoked or expired early
      --attempt;
      continue;
    }
    if (throttled(response) && attempt < kThrottleRetries) {
      std::int64_t wait = retryAfterOf(response);
      if (wait == 0) wait = std::int64_t{1} << attempt;
      if (wait <= config_.retry_wait_max_seconds) {
        log::info(kLog, "throttled by Google; retrying in " + std::to_string(wait) + " s");
        sleep_(wait);
        continue;
      }
    }
    return response;
  }
}

json::Object::Ptr GoogleApi::getJson(const std::string& path, const std::string& context) {
  net::HttpResponse response = send("GET", path);
  if (response.status != 200) throw errorFor(response, context);
  return json::parseObject(response.body, context);
}

ConnectorError GoogleApi::errorFor(const net::HttpResponse& response, const std::string& context) const {
  const GoogleError error = googleErrorOf(response);
  std::string message = context + ": HTTP " + std::to_string(response.status);
  if (!error.reason.empty()) message += " " + error.reason;
  if (!error.message.empty()) message += " (" + error.message + ")";
  const std::int64_t retry_after = retryAfterOf(response);
  if (throttled(response)) {
    const std::int64_t wait = retry_after ? retry_after : error.reason == "dailyLimitExceeded" ? 3600 : kDefaultThrottleWait;
    return ConnectorError(ErrorKind::Throttled, message, wait);
  }
  switch (response.status) {
    case 401:
      return ConnectorError(ErrorKind::Auth, message + "; Google refused the access token even after a refresh; " +
                                                 oauth::remedy(oauth::TokenHealth::ConsentMissing, config_.reauth));
    case 403:
      if (error.reason == "insufficientPermissions" || error.reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT") {
        return ConnectorError(ErrorKind::Auth, message + "; the sign-in lacks the calendar scope; " +
                                                   oauth::remedy(oauth::TokenHealth::ConsentMissing, config_.reauth));
      }
      return ConnectorError(ErrorKind::Permission, message);
    case 400: return ConnectorError(ErrorKind::BadData, message);
    case 404:
    case 410: return ConnectorError(ErrorKind::NotFound, message);
    case 409:
    case 412: return ConnectorError(ErrorKind::Conflict, message);
    default: {
      ConnectorError by_status = net::errorForStatus(response, context);
      return ConnectorError(by_status.kind(), message, by_status.retryAfterSeconds());
    }
  }
}

}  // namespace calsync::google
