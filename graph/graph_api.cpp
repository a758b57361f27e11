#include "graph/graph_api.h"

#include "net/url.h"
#include "oauth/token_health.h"

namespace calsync::graph {
namespace {

constexpr int kThrottleRetries = 2;
constexpr std::int64_t kDefaultThrottleWait = 30;

bool throttled(const net::HttpResponse& response) { return response.status == 429 || response.status == 503; }

}  // namespace

GraphError graphErrorOf(const net::HttpResponse& response) {
  GraphError error;
  try {
    auto body = json::object(json::parseObject(response.body, "error"), "error");
    error.code = json::text(body, "code");
    error.message = json::text(body, "message");
  } catch (const ConnectorError&) {
  }
  if (error.message.size() > 300) error.message = error.message.substr(0, 300) + "...";
  return error;
}

GraphApi::GraphApi(const GraphConfig& config, std::shared_ptr<oauth::AccessTokenSource> tokens)
    : config_(config),
      client_(oauth::apiHttpOptions(config.ca_file, config.verify_tls, config.timeout_seconds), std::move(tokens),
              oauth::ThrottlePolicy{"Graph", kThrottleRetries, config.retry_wait_max_seconds, throttled}) {
  auto parts = net::parseUrl(config_.api_url);
  if (!parts) throw ConnectorError(ErrorKind::Config, "graph: api_url is not an http(s) URL");
  origin_ = net::originOf(*parts);
}

std::string GraphApi::urlFor(const std::string& target) const {
  if (target.rfind("http://", 0) != 0 && target.rfind("https://", 0) != 0) return config_.api_url + target;
  auto parts = net::parseUrl(target);
  if (!parts || net::originOf(*parts) != origin_) {
    throw ConnectorError(ErrorKind::Protocol, "graph: refusing to follow a link to another server: " + net::redactUrl(target));
  }
  return target;
}

net::HttpResponse GraphApi::send(const std::string& method, const std::string& target, const std::string& body,
                                 const std::string& if_match, int page_size) {
  net::HttpRequest request;
  request.method = method;
  request.url = urlFor(target);
  request.body = body;
  request.headers = {{"Accept", "application/json"}, {"Prefer", "IdType=\"ImmutableId\""}};
  if (page_size > 0) request.headers.emplace_back("Prefer", "odata.maxpagesize=" + std::to_string(page_size));
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  if (!if_match.empty()) request.headers.emplace_back("If-Match", if_match);
  return client_.send(std::move(request));
}

json::Object::Ptr GraphApi::getJson(const std::string& target, const std::string& context, int page_size) {
  net::HttpResponse response = send("GET", target, {}, {}, page_size);
  if (response.status != 200) throw errorFor(response, context);
  return json::parseObject(response.body, context);
}

ConnectorError GraphApi::errorFor(const net::HttpResponse& response, const std::string& context) const {
  const GraphError error = graphErrorOf(response);
  std::string message = context + ": HTTP " + std::to_string(response.status);
  if (!error.code.empty()) message += " " + error.code;
  if (!error.message.empty()) message += " (" + error.message + ")";
  if (throttled(response)) {
    const std::int64_t wait = oauth::retryAfterSeconds(response);
    return ConnectorError(ErrorKind::Throttled, message, wait ? wait : kDefaultThrottleWait);
  }
  switch (response.status) {
    case 401:
      return ConnectorError(ErrorKind::Auth, message + "; Graph refused the access token even after a refresh; " +
                                                 oauth::remedy(oauth::TokenHealth::ConsentMissing, config_.reauth));
    case 403:
      if (error.message.find("Access to OData is disabled") != std::string::npos) {
        return ConnectorError(ErrorKind::Permission, message + "; an application access policy keeps this app out of "
                                                               "the mailbox (New-ApplicationAccessPolicy)");
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

}  // namespace calsync::graph
