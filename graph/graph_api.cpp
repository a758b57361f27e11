#include "graph/graph_api.h"

#include <chrono>
#include <thread>

#include "core/log.h"
#include "net/url.h"
#include "oauth/token_health.h"

namespace calsync::graph {
namespace {

constexpr std::string_view kLog = "graph";
constexpr int kThrottleRetries = 2;
constexpr std::int64_t kDefaultThrottleWait = 30;

std::int64_t retryAfterOf(const net::HttpResponse& response) {
  const std::string header = response.header("Retry-After");
  if (header.empty()) return 0;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return net::parseRetryAfter(header, now.count()).value_or(0);
}

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
    : config_(config), tokens_(std::move(tokens)) {
  net::HttpOptions options;
  options.ca_file = config_.ca_file;
  options.verify_tls = config_.verify_tls;
  options.timeout_seconds = config_.timeout_seconds;
  options.connect_timeout_seconds = std::min(config_.timeout_seconds, 30);
  http_ = std::make_unique<net::HttpClient>(options);
  auto parts = net::parseUrl(config_.api_url);
  if (!parts) throw ConnectorError(ErrorKind::Config, "graph: api_url is not an http(s) URL");
  origin_ = net::originOf(*parts);
  sleep_ = [](std::int64_t seconds) { std::this_thread::sleep_for(std::chrono::seconds(seconds)); };
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
  bool refreshed = false;
  for (int attempt = 0;; ++attempt) {
    request.headers = {{"Authorization", "Bearer " + tokens_->accessToken(refreshed)},
                       {"Accept", "application/json"},
                       {"Prefer", "IdType=\"ImmutableId\""}};
    if (page_size > 0) request.headers.emplace_back("Prefer", "odata.maxpagesize=" + std::to_string(page_size));
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    if (!if_match.empty()) request.headers.emplace_back("If-Match", if_match);
    log::debug(kLog, method + " " + net::redactUrl(request.url));
    net::HttpResponse response = http_->send(request);
    if (response.status == 401 && !refreshed) {
      refreshed = true;
      --attempt;
      continue;
    }
    if (throttled(response) && attempt < kThrottleRetries) {
      std::int64_t wait = retryAfterOf(response);
      if (wait == 0) wait = std::int64_t{1} << attempt;
      if (wait <= config_.retry_wait_max_seconds) {
        log::info(kLog, "throttled by Graph; retrying in " + std::to_string(wait) + " s");
        sleep_(wait);
        continue;
      }
    }
    return response;
  }
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
    const std::int64_t wait = retryAfterOf(response);
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
