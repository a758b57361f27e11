#include "google/google_api.h"

#include "oauth/token_health.h"

namespace calsync::google {
namespace {

constexpr int kThrottleRetries = 2;
constexpr std::int64_t kDefaultThrottleWait = 60;  // Google quotas are per minute

bool usageLimit(const std::string& reason) {
  return reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" || reason == "quotaExceeded" ||
         reason == "dailyLimitExceeded" || reason == "variableTermLimitExceeded";
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

namespace {

bool throttledByGoogle(const net::HttpResponse& response) {
  if (response.status == 429) return true;
  if (response.status == 403) return usageLimit(googleErrorOf(response).reason);
  return false;
}

}  // namespace

GoogleApi::GoogleApi(const GoogleConfig& config, std::shared_ptr<oauth::AccessTokenSource> tokens)
    : config_(config),
      client_(oauth::apiHttpOptions(config.ca_file, config.verify_tls, config.timeout_seconds), std::move(tokens),
              oauth::ThrottlePolicy{"Google", kThrottleRetries, config.retry_wait_max_seconds, throttledByGoogle}) {}

net::HttpResponse GoogleApi::send(const std::string& method, const std::string& path, const std::string& body,
                                  const std::string& if_match) {
  net::HttpRequest request;
  request.method = method;
  request.url = config_.api_url + path;
  request.body = body;
  request.headers = {{"Accept", "application/json"}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  if (!if_match.empty()) request.headers.emplace_back("If-Match", if_match);
  return client_.send(std::move(request));
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
  const std::int64_t retry_after = oauth::retryAfterSeconds(response);
  if (client_.throttled(response)) {
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
