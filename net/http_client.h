// A blocking HTTP(S) client for connectors: one request in, one response out. Transport
// failures throw ConnectorError(Network); HTTP statuses never throw, so each protocol can
// read its own error bodies. classifyStatus() maps a status to the engine's error kinds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.h"

namespace calsync::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;              // absolute http:// or https:// URL
  Headers headers;
  std::string body;
  // Safe to send again on a fresh connection when a kept-alive one turns out to be closed
  // before any answer came. GET, PUT, DELETE and the WebDAV reads always are; a POST that
  // only reads (a SOAP query) says so here.
  bool idempotent = false;
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  Headers headers;
  std::string body;
  std::string url;              // the URL that answered, after any redirects
  // Case-insensitive header lookup; empty when absent.
  std::string header(const std::string& name) const;
};

enum class HttpAuth {
  Basic,   // username/password sent with every request
  Ntlm,    // NTLMv2 handshake (negotiate, challenge, authenticate) when the server asks
};

struct HttpOptions {
  std::string username;         // credentials are used when non-empty
  std::string password;
  HttpAuth auth = HttpAuth::Basic;
  // An HTTP proxy, "host:port"; https goes through it with CONNECT. Empty = direct.
  std::string proxy;
  std::string proxy_username;   // Basic proxy credentials when non-empty
  std::string proxy_password;
  std::string ca_file;          // extra CA bundle (PEM) to trust; empty = system store
  bool verify_tls = true;
  int connect_timeout_seconds = 15;
  int timeout_seconds = 60;     // per send/receive; a server that hangs fails, not blocks
  // The whole exchange, body included, must finish within this; 0 = 4 x timeout_seconds.
  // Stops a server that trickles bytes just fast enough to dodge the per-read timeout.
  int total_timeout_seconds = 0;
  std::size_t max_response_bytes = 64u << 20;  // larger bodies are refused as Protocol errors
  std::string user_agent = "calsync/0.1";
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  // Follows no redirects on writes; follows up to 5 on GET/PROPFIND/REPORT.
  HttpResponse send(const HttpRequest& request);
  // From another thread: ends the exchange in progress and every later one with a Network
  // error, so a shutdown need not wait out a long-poll.
  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The values of every header called `name` (case-insensitive), in order.
std::vector<std::string> headerValues(const HttpResponse& response, const std::string& name);

// 401 Auth, 403 Permission, 404/410 NotFound, 409/412 Conflict, 429/503 Throttled (with
// Retry-After seconds when given), other 5xx Protocol. 2xx/3xx are not errors.
ConnectorError errorForStatus(const HttpResponse& response, const std::string& context);

// Seconds to wait from a Retry-After value: delta-seconds or an HTTP-date (RFC 9110 10.2.3),
// counted from `now_epoch_seconds`; a date in the past gives 0. nullopt when unparsable.
std::optional<std::int64_t> parseRetryAfter(const std::string& value, std::int64_t now_epoch_seconds);

// Resolves `ref` (absolute URL, absolute path or relative path) against `base`.
std::string resolveUrl(const std::string& base, const std::string& ref);

}  // namespace calsync::net
