#include "oauth/token_client.h"

#include <chrono>

#include "core/log.h"
#include "net/url.h"
#include "oauth/encoding.h"
#include "oauth/json_access.h"

namespace calsync::oauth {
namespace {

constexpr std::string_view kLog = "oauth";

std::int64_t systemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Error descriptions come from the endpoint; keep them short and on one line.
std::string tidy(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return text;
}

}  // namespace

TokenEndpointError tokenErrorFor(const net::HttpResponse& response, const std::string& what) {
  std::string error;
  std::string description;
  try {
    auto body = json::parseObject(response.body, what);
    error = json::text(body, "error");
    description = json::text(body, "error_description");
  } catch (const ConnectorError&) {
    // Not JSON: the status alone decides.
  }
  const ConnectorError by_status = net::errorForStatus(response, what);
  std::string message = what + ": HTTP " + std::to_string(response.status);
  if (!error.empty()) message += " " + error;
  if (!description.empty()) message += " (" + tidy(description) + ")";
  TokenHealth health = healthForTokenError(error, description);
  ErrorKind kind = by_status.kind();
  if (!error.empty() && (response.status == 400 || response.status == 401 || response.status == 403)) {
    // RFC 6749 section 5.2: every grant and client problem is a 400/401 with an error code.
    kind = error == "invalid_request" || error == "unsupported_grant_type" ? ErrorKind::Config : ErrorKind::Auth;
    if (error == "invalid_client" || error == "unauthorized_client") kind = ErrorKind::Auth;
  } else if (response.status == 400) {
    kind = ErrorKind::Protocol;
  }
  return TokenEndpointError(kind, message, error, health, by_status.retryAfterSeconds());
}

TokenClient::TokenClient(std::string token_endpoint, ClientAuth client, net::HttpOptions http, Clock clock)
    : endpoint_(std::move(token_endpoint)), client_(std::move(client)), clock_(std::move(clock)) {
  if (!clock_) clock_ = systemNow;
  // Token answers are small; a slow token endpoint must not hold a sync for minutes.
  http.max_response_bytes = 1u << 20;
  http.username.clear();
  http.password.clear();
  http_ = std::make_unique<net::HttpClient>(http);
}

TokenClient::~TokenClient() = default;

net::HttpResponse TokenClient::send(const std::string& url, const std::vector<std::pair<std::string, std::string>>& fields) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = formEncode(fields);
  return http_->send(request);
}

void TokenClient::addClientAuth(std::vector<std::pair<std::string, std::string>>& fields) const {
  fields.emplace_back("client_id", client_.client_id);
  if (client_.certificate) {
    fields.emplace_back("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    fields.emplace_back("client_assertion", clientAssertion(*client_.certificate, client_.client_id, endpoint_, clock_()));
  } else if (!client_.client_secret.empty()) {
    fields.emplace_back("client_secret", client_.client_secret);
  }
}

TokenSet TokenClient::post(std::vector<std::pair<std::string, std::string>> fields, const std::string& what,
                           bool with_client_auth) {
  if (with_client_auth) addClientAuth(fields);
  const std::string context = what + " at " + net::redactUrl(endpoint_);
  const std::int64_t asked_at = clock_();
  net::HttpResponse response = send(endpoint_, fields);
  if (response.status != 200) throw tokenErrorFor(response, context);
  auto body = json::parseObject(response.body, context);
  TokenSet tokens;
  tokens.access_token = json::text(body, "access_token");
  if (tokens.access_token.empty()) throw ConnectorError(ErrorKind::Protocol, context + ": the answer has no access_token");
  tokens.refresh_token = json::text(body, "refresh_token");
  tokens.token_type = json::text(body, "token_type", "Bearer");
  tokens.scope = json::text(body, "scope");
  if (const std::int64_t expires_in = json::integer(body, "expires_in", 0); expires_in > 0) {
    tokens.expires_at = asked_at + expires_in;
  }
  if (const std::int64_t refresh_in = json::integer(body, "refresh_token_expires_in", 0); refresh_in > 0) {
    tokens.refresh_expires_at = asked_at + refresh_in;
  }
  log::debug(kLog, context + ": token issued" + (tokens.expires_at ? ", valid " + std::to_string(tokens.expires_at - asked_at) + " s" : ""));
  return tokens;
}

TokenSet TokenClient::exchangeCode(const std::string& code, const std::string& redirect_uri,
                                   const std::string& code_verifier) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", redirect_uri}};
  if (!code_verifier.empty()) fields.emplace_back("code_verifier", code_verifier);
  return post(std::move(fields), "authorization code exchange");
}

TokenSet TokenClient::refresh(const std::string& refresh_token, const std::string& scope) {
  std::vector<std::pair<std::string, std::string>> fields = {{"grant_type", "refresh_token"},
                                                             {"refresh_token", refresh_token}};
  if (!scope.empty()) fields.emplace_back("scope", scope);
  return post(std::move(fields), "token refresh");
}

TokenSet TokenClient::clientCredentials(const std::string& scope) {
  return post({{"grant_type", "client_credentials"}, {"scope", scope}}, "client credentials grant");
}

TokenSet TokenClient::jwtBearer(const std::string& assertion) {
  return post({{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", assertion}},
              "service account grant", /*with_client_auth=*/false);
}

DeviceAuthorization TokenClient::startDeviceAuthorization(const std::string& device_endpoint, const std::string& scope) {
  std::vector<std::pair<std::string, std::string>> fields = {{"scope", scope}};
  addClientAuth(fields);
  const std::string context = "device authorization at " + net::redactUrl(device_endpoint);
  const std::int64_t asked_at = clock_();
  net::HttpResponse response = send(device_endpoint, fields);
  if (response.status != 200) throw tokenErrorFor(response, context);
  auto body = json::parseObject(response.body, context);
  DeviceAuthorization authorization;
  authorization.device_code = json::text(body, "device_code");
  authorization.user_code = json::text(body, "user_code");
  // RFC 8628 says verification_uri; Google's endpoint says verification_url.
  authorization.verification_uri = json::text(body, "verification_uri", json::text(body, "verification_url"));
  authorization.verification_uri_complete = json::text(body, "verification_uri_complete");
  authorization.message = json::text(body, "message");
  authorization.expires_at = asked_at + json::integer(body, "expires_in", 900);
  authorization.interval_seconds = static_cast<int>(json::integer(body, "interval", 5));
  if (authorization.interval_seconds <= 0) authorization.interval_seconds = 5;
  if (authorization.device_code.empty() || authorization.user_code.empty() || authorization.verification_uri.empty()) {
    throw ConnectorError(ErrorKind::Protocol, context + ": the answer lacks device_code, user_code or verification_uri");
  }
  return authorization;
}

DevicePoll TokenClient::pollDeviceAuthorization(const DeviceAuthorization& authorization) {
  try {
    DevicePoll poll;
    poll.tokens = post({{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
                        {"device_code", authorization.device_code}},
                       "device code poll");
    poll.state = DevicePollState::Done;
    return poll;
  } catch (const TokenEndpointError& e) {
    if (e.error() == "authorization_pending") return DevicePoll{DevicePollState::Pending, {}};
    if (e.error() == "slow_down") return DevicePoll{DevicePollState::SlowDown, {}};
    if (e.error() == "authorization_declined" || e.error() == "access_denied") {
      throw TokenEndpointError(ErrorKind::Auth, "the sign-in was declined at the verification page", e.error(),
                               TokenHealth::ConsentMissing);
    }
    if (e.error() == "expired_token" || e.error() == "code_expired") {
      throw TokenEndpointError(ErrorKind::Auth, "the device code expired before anyone signed in; start again",
                               e.error(), TokenHealth::ConsentMissing);
    }
    throw;
  }
}

}  // namespace calsync::oauth
