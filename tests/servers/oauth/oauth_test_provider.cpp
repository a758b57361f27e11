#include "tests/servers/oauth/oauth_test_provider.h"

#include <chrono>

#include "oauth/encoding.h"
#include "oauth/json_access.h"
#include "oauth/jwt.h"

namespace calsync::testing {
namespace {

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

FakeResponse jsonAnswer(int status, const std::string& body) {
  FakeResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json; charset=utf-8"}, {"Cache-Control", "no-store"}};
  response.body = body;
  return response;
}

std::map<std::string, std::string> formOf(const std::string& body) {
  std::map<std::string, std::string> form;
  for (auto& [name, value] : oauth::formDecode(body)) form[name] = value;
  return form;
}

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

bool hasWord(const std::string& words, const std::string& word) {
  std::size_t at = 0;
  while ((at = words.find(word, at)) != std::string::npos) {
    const bool start = at == 0 || words[at - 1] == ' ';
    const bool end = at + word.size() == words.size() || words[at + word.size()] == ' ';
    if (start && end) return true;
    at += word.size();
  }
  return false;
}

}  // namespace

OAuthTestProvider::OAuthTestProvider() = default;

void OAuthTestProvider::setTokenUrl(const std::string& url) {
  std::lock_guard lock(mutex_);
  token_url_ = url;
}

void OAuthTestProvider::addClient(const std::string& client_id, const std::string& client_secret) {
  std::lock_guard lock(mutex_);
  clients_[client_id] = Client{client_secret, {}};
}

void OAuthTestProvider::addCertificateClient(const std::string& client_id, const std::string& certificate_pem) {
  std::lock_guard lock(mutex_);
  clients_[client_id] = Client{{}, certificate_pem};
}

void OAuthTestProvider::addServiceAccount(const std::string& client_email, const std::string& public_pem,
                                          std::set<std::string> delegated_subjects, const std::string& scope) {
  std::lock_guard lock(mutex_);
  service_accounts_[client_email] = ServiceAccount{public_pem, std::move(delegated_subjects), scope};
}

void OAuthTestProvider::setRotateRefreshTokens(bool rotate) {
  std::lock_guard lock(mutex_);
  rotate_ = rotate;
}

void OAuthTestProvider::setAccessTokenLifetime(std::int64_t seconds) {
  std::lock_guard lock(mutex_);
  access_lifetime_ = seconds;
}

void OAuthTestProvider::setRefreshTokenLifetime(std::int64_t seconds) {
  std::lock_guard lock(mutex_);
  refresh_lifetime_ = seconds;
}

void OAuthTestProvider::setEnforcePollInterval(bool enforce) {
  std::lock_guard lock(mutex_);
  enforce_interval_ = enforce;
}

std::string OAuthTestProvider::consent(const std::string& authorization_url, const std::string& user) {
  const std::size_t query = authorization_url.find('?');
  if (query == std::string::npos) return {};
  auto params = formOf(authorization_url.substr(query + 1));
  std::lock_guard lock(mutex_);
  const std::string client_id = field(params, "client_id");
  if (!clients_.count(client_id) || field(params, "response_type") != "code") return {};
  if (field(params, "code_challenge").empty() || field(params, "code_challenge_method") != "S256") return {};
  const std::string redirect = field(params, "redirect_uri");
  if (redirect.empty()) return {};
  Code code;
  code.client_id = client_id;
  code.redirect_uri = redirect;
  code.challenge = field(params, "code_challenge");
  code.user = user;
  code.scope = field(params, "scope");
  code.offline = field(params, "access_type") == "offline" || hasWord(code.scope, "offline_access");
  code.expires_at = now() + 600;
  const std::string value = "code-" + oauth::randomToken();
  codes_[value] = code;
  return redirect + (redirect.find('?') == std::string::npos ? "?" : "&") +
         oauth::formEncode({{"state", field(params, "state")}, {"code", value}, {"scope", code.scope}});
}

bool OAuthTestProvider::approveDevice(const std::string& user_code, const std::string& user) {
  std::lock_guard lock(mutex_);
  for (auto& [device_code, device] : devices_) {
    if (device.user_code == user_code && device.state == Device::State::Pending) {
      device.state = Device::State::Approved;
      device.user = user;
      return true;
    }
  }
  return false;
}

bool OAuthTestProvider::declineDevice(const std::string& user_code) {
  std::lock_guard lock(mutex_);
  for (auto& [device_code, device] : devices_) {
    if (device.user_code == user_code && device.state == Device::State::Pending) {
      device.state = Device::State::Declined;
      return true;
    }
  }
  return false;
}

bool OAuthTestProvider::expireDevice(const std::string& user_code) {
  std::lock_guard lock(mutex_);
  for (auto& [device_code, device] : devices_) {
    if (device.user_code == user_code) {
      device.expires_at = now() - 1;
      return true;
    }
  }
  return false;
}

void OAuthTestProvider::revokeRefreshTokens(const std::string& client_id) {
  std::lock_guard lock(mutex_);
  for (auto& [token, refresh] : refresh_tokens_) {
    if (client_id.empty() || refresh.client_id == client_id) refresh.revoked = true;
  }
  for (auto it = access_tokens_.begin(); it != access_tokens_.end();) {
    auto refresh = refresh_tokens_.find(it->second.refresh_token);
    it = refresh != refresh_tokens_.end() && refresh->second.revoked ? access_tokens_.erase(it) : std::next(it);
  }
}

void OAuthTestProvider::expireAccessTokens() {
  std::lock_guard lock(mutex_);
  access_tokens_.clear();
}

std::optional<std::string> OAuthTestProvider::subjectOf(const std::string& authorization_header) const {
  const std::string prefix = "Bearer ";
  if (authorization_header.rfind(prefix, 0) != 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = access_tokens_.find(authorization_header.substr(prefix.size()));
  if (it == access_tokens_.end() || it->second.expires_at <= now()) return std::nullopt;
  return it->second.subject;
}

int OAuthTestProvider::refreshGrants() const {
  std::lock_guard lock(mutex_);
  return refresh_grants_;
}

bool OAuthTestProvider::secretInUrlSeen() const {
  std::lock_guard lock(mutex_);
  return secret_in_url_;
}

FakeResponse OAuthTestProvider::error(int status, const std::string& code, const std::string& description) const {
  json::Object body;
  body.set("error", code);
  body.set("error_description", description);
  return jsonAnswer(status, json::stringify(body));
}

FakeResponse OAuthTestProvider::issue(const std::string& subject, const std::string& origin, const std::string& scope,
                                      const std::string& refresh_token) {
  const std::string access = "at-" + oauth::randomToken();
  access_tokens_[access] = Access{subject, origin, now() + access_lifetime_};
  json::Object body;
  body.set("access_token", access);
  body.set("token_type", "Bearer");
  body.set("expires_in", access_lifetime_);
  body.set("scope", scope);
  if (!refresh_token.empty()) {
    body.set("refresh_token", refresh_token);
    if (refresh_lifetime_ > 0) body.set("refresh_token_expires_in", refresh_lifetime_);
  }
  return jsonAnswer(200, json::stringify(body));
}

std::optional<FakeResponse> OAuthTestProvider::authenticate(const std::map<std::string, std::string>& form,
                                                            bool allow_public) {
  const std::string client_id = field(form, "client_id");
  auto client = clients_.find(client_id);
  if (client == clients_.end()) return error(401, "invalid_client", "The OAuth client was not found.");
  const std::string assertion_type = field(form, "client_assertion_type");
  if (!client->second.certificate_pem.empty()) {
    if (assertion_type != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
      return error(401, "invalid_client", "AADSTS7000218: client_assertion or client_secret required.");
    }
    const std::string assertion = field(form, "client_assertion");
    if (!oauth::verifyRs256(assertion, client->second.certificate_pem)) {
      return error(401, "invalid_client", "AADSTS700027: Client assertion contains an invalid signature.");
    }
    auto parts = oauth::decodeJwt(assertion);
    auto claims = json::parseObject(parts->claims_json, "assertion");
    if (json::text(claims, "aud") != token_url_ || json::text(claims, "iss") != client_id ||
        json::text(claims, "sub") != client_id || json::integer(claims, "exp") <= now()) {
      return error(401, "invalid_client", "AADSTS700024: Client assertion is not within its valid time range or "
                                          "names the wrong audience.");
    }
    return std::nullopt;
  }
  const std::string secret = field(form, "client_secret");
  if (client->second.secret.empty() && allow_public) return std::nullopt;
  if (secret != client->second.secret) return error(401, "invalid_client", "Unauthorized: wrong client secret.");
  return std::nullopt;
}

FakeResponse OAuthTestProvider::tokenEndpoint(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  if (request.target.find("secret") != std::string::npos || request.target.find("code=") != std::string::npos) {
    secret_in_url_ = true;
  }
  if (request.method != "POST") return error(405, "invalid_request", "POST only");
  if (request.header("Content-Type").rfind("application/x-www-form-urlencoded", 0) != 0) {
    return error(400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
  }
  const auto form = formOf(request.body);
  const std::string grant = field(form, "grant_type");

  if (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    const std::string assertion = field(form, "assertion");
    auto parts = oauth::decodeJwt(assertion);
    if (!parts) return error(400, "invalid_grant", "Invalid JWT.");
    auto claims = json::parseObject(parts->claims_json, "assertion");
    auto account = service_accounts_.find(json::text(claims, "iss"));
    if (account == service_accounts_.end() || !oauth::verifyRs256(assertion, account->second.public_pem)) {
      return error(400, "invalid_grant", "Invalid JWT Signature.");
    }
    if (json::text(claims, "aud") != token_url_ || json::integer(claims, "exp") <= now()) {
      return error(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.");
    }
    const std::string subject = json::text(claims, "sub");
    if (!subject.empty() && !account->second.subjects.count(subject)) {
      return error(401, "unauthorized_client",
                   "Client is unauthorized to retrieve access tokens using this method, or client not authorized "
                   "for any of the scopes requested.");
    }
    if (json::text(claims, "scope") != account->second.scope) {
      return error(400, "invalid_scope", "The requested scope is not delegated to this service account.");
    }
    return issue(subject.empty() ? account->first : subject, "", account->second.scope, "");
  }

  if (auto failed = authenticate(form, /*allow_public=*/true)) return *failed;
  const std::string client_id = field(form, "client_id");

  if (grant == "authorization_code") {
    auto code = codes_.find(field(form, "code"));
    if (code == codes_.end() || code->second.client_id != client_id || code->second.expires_at < now()) {
      return error(400, "invalid_grant", "Malformed auth code.");
    }
    const Code used = code->second;
    codes_.erase(code);  // single use
    if (field(form, "redirect_uri") != used.redirect_uri) return error(400, "redirect_uri_mismatch", "Bad Request");
    if (oauth::base64UrlEncode(oauth::sha256(field(form, "code_verifier"))) != used.challenge) {
      return error(400, "invalid_grant", "Missing code verifier.");
    }
    std::string refresh;
    if (used.offline) {
      refresh = "rt-" + oauth::randomToken();
      refresh_tokens_[refresh] = Refresh{client_id, used.user, used.scope, false};
    }
    return issue(used.user, refresh, used.scope, refresh);
  }
  if (grant == "refresh_token") {
    auto refresh = refresh_tokens_.find(field(form, "refresh_token"));
    if (refresh == refresh_tokens_.end() || refresh->second.revoked || refresh->second.client_id != client_id) {
      return error(400, "invalid_grant", "Token has been expired or revoked.");
    }
    ++refresh_grants_;
    std::string token = refresh->first;
    const Refresh record = refresh->second;
    if (rotate_) {
      refresh->second.revoked = true;
      token = "rt-" + oauth::randomToken();
      refresh_tokens_[token] = record;
    }
    return issue(record.user, token, record.scope, rotate_ ? token : "");
  }
  if (grant == "client_credentials") {
    const std::string scope = field(form, "scope");
    if (scope.size() < 9 || scope.compare(scope.size() - 9, 9, "/.default") != 0) {
      return error(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid. Client "
                                         "credential flows must have a scope value with /.default suffixed.");
    }
    return issue("app:" + client_id, "", scope, "");
  }
  if (grant == "urn:ietf:params:oauth:grant-type:device_code") {
    auto device = devices_.find(field(form, "device_code"));
    if (device == devices_.end() || device->second.client_id != client_id) {
      return error(400, "bad_verification_code", "The device code is unknown.");
    }
    Device& d = device->second;
    if (d.expires_at < now()) return error(400, "expired_token", "The device code has expired.");
    if (d.state == Device::State::Declined) return error(400, "authorization_declined", "The user declined.");
    if (d.state == Device::State::Pending) {
      const std::int64_t t = now();
      const bool too_soon = enforce_interval_ && d.last_poll && t - d.last_poll < 5;
      d.last_poll = t;
      if (too_soon) return error(400, "slow_down", "Polling too fast.");
      return error(400, "authorization_pending", "The user has not yet completed the sign-in.");
    }
    std::string refresh;
    if (hasWord(d.scope, "offline_access")) {
      refresh = "rt-" + oauth::randomToken();
      refresh_tokens_[refresh] = Refresh{client_id, d.user, d.scope, false};
    }
    const std::string user = d.user;
    const std::string scope = d.scope;
    devices_.erase(device);
    return issue(user, refresh, scope, refresh);
  }
  return error(400, "unsupported_grant_type", "Unsupported grant type: " + grant);
}

FakeResponse OAuthTestProvider::deviceEndpoint(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  const auto form = formOf(request.body);
  if (auto failed = authenticate(form, /*allow_public=*/true)) return *failed;
  Device device;
  device.client_id = field(form, "client_id");
  device.scope = field(form, "scope");
  device.expires_at = now() + 900;
  const std::string alphabet = "BCDFGHJKLMNPQRSTVWXZ";
  const std::string random = oauth::randomBytes(8);
  for (unsigned char c : random) device.user_code += alphabet[c % alphabet.size()];
  const std::string device_code = "dc-" + oauth::randomToken();
  devices_[device_code] = device;
  json::Object body;
  body.set("device_code", device_code);
  body.set("user_code", device.user_code);
  body.set("verification_uri", "https://microsoft.com/devicelogin");
  body.set("expires_in", 900);
  body.set("interval", 5);
  body.set("message", "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter "
                      "the code " + device.user_code + " to authenticate.");
  return jsonAnswer(200, json::stringify(body));
}

}  // namespace calsync::testing
