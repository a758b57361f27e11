#include "ews/ews_client.h"

#include <chrono>
#include <thread>

#include "core/log.h"
#include "ews/endpoint_limit.h"
#include "ews/soap_xml.h"
#include "net/http_client.h"
#include "net/url.h"

namespace calsync::ews {
namespace {

constexpr std::string_view kLog = "ews";

// A throttling answer and how long the server asked us to wait, in milliseconds (if it said).
struct Busy {
  ConnectorError error;
  std::optional<std::int64_t> back_off_ms;
};

}  // namespace

std::string soapEnvelope(const std::string& server_version, const std::string& body) {
  std::string out;
  out.reserve(body.size() + 512);
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
         "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
         "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
         "<soap:Header><t:RequestServerVersion Version=\"";
  appendEscaped(out, server_version);
  out += "\"/></soap:Header><soap:Body>";
  out += body;
  out += "</soap:Body></soap:Envelope>";
  return out;
}

EwsClient::EwsClient(EwsConfig config) : config_(std::move(config)) {
  net::HttpOptions options;
  if (config_.auth != AuthMethod::OAuth2) {
    options.username = config_.username;
    options.password = config_.password;
  }
  options.auth = config_.auth == AuthMethod::Ntlm ? net::HttpAuth::Ntlm : net::HttpAuth::Basic;
  options.ca_file = config_.ca_file;
  options.verify_tls = config_.verify_tls;
  options.proxy = config_.proxy;
  options.proxy_username = config_.proxy_username;
  options.proxy_password = config_.proxy_password;
  options.timeout_seconds = config_.timeout_seconds;
  options.connect_timeout_seconds = std::min(config_.timeout_seconds, 30);
  // A GetItem of a large batch with bodies can run long; EWS itself stops a batch at 1 minute.
  options.total_timeout_seconds = std::max(4 * config_.timeout_seconds, 120);
  http_ = std::make_unique<net::HttpClient>(options);
  limit_ = EndpointLimit::forUrl(config_.url, config_.max_connections);
}

EwsClient::~EwsClient() = default;

SoapResponse EwsClient::call(const std::string& operation, const std::string& body, bool read_only) {
  const std::string envelope = soapEnvelope(config_.server_version, body);
  for (int attempt = 0;; ++attempt) {
    try {
      return callOnce(operation, envelope, read_only);
    } catch (const Busy& busy) {
      const bool short_wait = busy.back_off_ms && *busy.back_off_ms <= config_.inline_backoff_limit_ms;
      if (!short_wait || attempt >= config_.inline_backoff_attempts) throw busy.error;
      log::info(kLog, operation + ": server busy, waiting " + std::to_string(*busy.back_off_ms) + " ms as it asked");
      std::this_thread::sleep_for(std::chrono::milliseconds(*busy.back_off_ms));
    }
  }
}

SoapResponse EwsClient::callOnce(const std::string& operation, const std::string& envelope, bool read_only) {
  const std::string context = operation + " " + net::redactUrl(config_.url);
  net::HttpRequest request;
  request.method = "POST";
  request.url = config_.url;
  request.idempotent = read_only;
  request.body = envelope;
  request.headers = {{"Content-Type", "text/xml; charset=utf-8"}, {"Accept", "text/xml"}};
  if (config_.auth == AuthMethod::OAuth2) {
    request.headers.emplace_back("Authorization", "Bearer " + config_.token);
    if (!config_.mailbox.empty()) request.headers.emplace_back("X-AnchorMailbox", config_.mailbox);
  }
  net::HttpResponse response;
  {
    EndpointLimit::Slot slot(*limit_);
    log::debug(kLog, "POST " + operation + " to " + net::redactUrl(config_.url));
    response = http_->send(request);
  }

  if (response.status == 401) {
    throw ConnectorError(ErrorKind::Auth, context + ": the server refused the credentials (HTTP 401)");
  }
  if (response.status == 429 || response.status == 503) {
    ConnectorError error = net::errorForStatus(response, context);
    std::int64_t wait = error.retryAfterSeconds() > 0 ? error.retryAfterSeconds() : config_.fallback_backoff_seconds;
    throw Busy{ConnectorError(ErrorKind::Throttled, error.what(), wait),
               error.retryAfterSeconds() > 0 ? std::optional<std::int64_t>(error.retryAfterSeconds() * 1000) : std::nullopt};
  }
  if (response.status != 200 && response.status != 500) throw net::errorForStatus(response, context);

  SoapResponse answer;
  try {
    answer = readResponse(response.body, operation, context);
  } catch (const ConnectorError& e) {
    // A 500 that is not a SOAP fault is the server failing, not speaking EWS badly.
    if (response.status == 500) throw ConnectorError(ErrorKind::Protocol, context + ": HTTP 500 without a SOAP fault");
    throw;
  }
  if (answer.fault) {
    ConnectorError error = errorFor(*answer.fault, context + " (SOAP fault)", config_.fallback_backoff_seconds);
    if (error.kind() == ErrorKind::Throttled) throw Busy{error, answer.fault->back_off_ms};
    throw error;
  }
  if (response.status == 500) throw ConnectorError(ErrorKind::Protocol, context + ": HTTP 500 with a normal answer");
  for (const auto& message : answer.messages) {
    if (message.ok()) continue;
    ConnectorError error = errorFor(message, context, config_.fallback_backoff_seconds);
    if (error.kind() == ErrorKind::Throttled) throw Busy{error, message.back_off_ms};
  }
  return answer;
}

}  // namespace calsync::ews
