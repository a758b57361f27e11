// HttpClient on Poco's client sessions: one kept-alive session per origin, TLS verified
// against the system store (plus an optional CA file), hard limits on time and size.
#include "net/http_client.h"

#include <atomic>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPNTLMCredentials.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <atomic>
#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <set>

#include "core/log.h"
#include "net/socket_watchdog.h"
#include "net/url.h"

namespace calsync::net {
namespace {

constexpr std::string_view kLog = "net";
constexpr int kMaxRedirects = 5;

bool followsRedirects(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PROPFIND" || method == "REPORT" || method == "OPTIONS";
}

// Requests that may be sent again when a kept-alive connection turned out to be closed.
bool idempotent(const HttpRequest& request) {
  static const std::set<std::string> methods{"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "REPORT"};
  return request.idempotent || methods.count(request.method) > 0;
}

// "NTLM" alone (the server offers NTLM) or "NTLM <base64 challenge>"; nullopt when the
// response does not speak NTLM at all.
std::optional<std::string> ntlmChallenge(const HttpResponse& response) {
  for (const auto& value : headerValues(response, "WWW-Authenticate")) {
    if (value.size() < 4 || !std::equal(value.begin(), value.begin() + 4, "NTLM", [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        })) {
      continue;
    }
    if (value.size() == 4) return std::string();
    if (value[4] != ' ') continue;
    auto token = value.substr(5);
    token.erase(0, token.find_first_not_of(' '));
    return token;
  }
  return std::nullopt;
}

struct ProxyAddress {
  std::string host;
  Poco::UInt16 port = 0;
};

std::optional<ProxyAddress> parseProxy(const std::string& proxy) {
  if (proxy.empty()) return std::nullopt;
  std::string text = proxy;
  if (auto scheme = text.find("://"); scheme != std::string::npos) text = text.substr(scheme + 3);
  while (!text.empty() && text.back() == '/') text.pop_back();
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw ConnectorError(ErrorKind::Config, "proxy must be host:port: " + proxy);
  }
  ProxyAddress address;
  address.host = text.substr(0, colon);
  if (address.host.front() == '[' && address.host.back() == ']') address.host = address.host.substr(1, address.host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(text.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port <= 0 || port > 65535) throw ConnectorError(ErrorKind::Config, "proxy port out of range: " + proxy);
  address.port = static_cast<Poco::UInt16>(port);
  return address;
}

bool isRedirect(int status) { return status == 301 || status == 302 || status == 307 || status == 308; }

void initializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

// Thrown inside one exchange when a reused connection died before any answer arrived.
struct StaleConnection {};

// Called with each new socket; `handshake_pending` while a TLS handshake is still to come.
using ConnectHook = std::function<void(int fd, bool handshake_pending)>;

int descriptorOf(const Poco::Net::Socket& socket) { return static_cast<int>(socket.impl()->sockfd()); }

// Plain HTTP session that reports each new connection to the watchdog.
class WatchedSession : public Poco::Net::HTTPClientSession {
 public:
  WatchedSession(const std::string& host, Poco::UInt16 port, ConnectHook hook)
      : HTTPClientSession(host, port), hook_(std::move(hook)) {}

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    HTTPClientSession::connect(address);
    hook_(descriptorOf(socket()), false);
  }

 private:
  ConnectHook hook_;
};

// HTTPS session that connects TCP first, shows the socket to the watchdog, then does the TLS
// handshake (with certificate and host name checks) on it.
class WatchedTlsSession : public Poco::Net::HTTPSClientSession {
 public:
  WatchedTlsSession(const std::string& host, Poco::UInt16 port, Poco::Net::Context::Ptr context,
                    Poco::Timespan connect_timeout, Poco::Timespan io_timeout, ConnectHook hook)
      : HTTPSClientSession(host, port, context),
        context_(std::move(context)),
        connect_timeout_(connect_timeout),
        io_timeout_(io_timeout),
        hook_(std::move(hook)) {}

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    Poco::Net::StreamSocket plain;
    if (!getProxyHost().empty() && !bypassProxy()) {
      // Through the proxy with CONNECT; TLS then runs end to end inside the tunnel.
      plain = proxyConnect();
    } else {
      plain.connect(address, connect_timeout_);
    }
    plain.setReceiveTimeout(io_timeout_);
    plain.setSendTimeout(io_timeout_);
    plain.setNoDelay(true);
    hook_(descriptorOf(plain), true);
    Poco::Net::SecureStreamSocket secure = Poco::Net::SecureStreamSocket::attach(plain, getHost(), context_);
    attachSocket(secure);
    hook_(descriptorOf(plain), false);
  }

 private:
  Poco::Net::Context::Ptr context_;
  Poco::Timespan connect_timeout_;
  Poco::Timespan io_timeout_;
  ConnectHook hook_;
};

}  // namespace

struct HttpClient::Impl {
  HttpOptions options;
  std::optional<ProxyAddress> proxy;
  Poco::Net::Context::Ptr tls_context;
  std::string session_origin;
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  bool session_reused = false;
  SocketWatchdog watchdog;
  SocketWatchdog::Clock::time_point exchange_deadline{};
  std::atomic<bool> cancelled{false};

  Poco::Net::Context::Ptr tlsContext() {
    if (!tls_context) {
      initializeSslOnce();
      // STRICT also checks the host name for loopback addresses, which RELAXED skips.
      auto mode = options.verify_tls ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
      tls_context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, options.ca_file, mode, 9,
                                           /*loadDefaultCAs=*/true);
    }
    return tls_context;
  }

  Poco::Net::HTTPClientSession& sessionFor(const UrlParts& url) {
    std::string origin = originOf(url);
    if (session && session_origin == origin) {
      session_reused = true;
      return *session;
    }
    const Poco::Timespan connect_timeout(options.connect_timeout_seconds, 0);
    const Poco::Timespan io_timeout(options.timeout_seconds, 0);
    ConnectHook hook = [this](int fd, bool handshake_pending) { watchConnection(fd, handshake_pending); };
    if (url.scheme == "https") {
      session = std::make_unique<WatchedTlsSession>(url.host, static_cast<Poco::UInt16>(url.port), tlsContext(),
                                                    connect_timeout, io_timeout, hook);
    } else {
      session = std::make_unique<WatchedSession>(url.host, static_cast<Poco::UInt16>(url.port), hook);
    }
    if (proxy) {
      session->setProxy(proxy->host, proxy->port);
      if (!options.proxy_username.empty()) session->setProxyCredentials(options.proxy_username, options.proxy_password);
    }
    session->setKeepAlive(true);
    session->setTimeout(connect_timeout, io_timeout, io_timeout);
    session_origin = origin;
    session_reused = false;
    return *session;
  }

  // A handshake gets one I/O timeout of its own; everything else shares the exchange deadline.
  void watchConnection(int fd, bool handshake_pending) {
    auto deadline = exchange_deadline;
    if (handshake_pending) {
      deadline = std::min(deadline, SocketWatchdog::Clock::now() + std::chrono::seconds(options.timeout_seconds));
    }
    watchdog.arm(fd, deadline);
  }

  void dropSession() {
    session.reset();
    session_origin.clear();
  }

  HttpResponse exchange(const HttpRequest& request, const std::string& url, bool with_credentials);
  HttpResponse authenticatedExchange(const HttpRequest& request, const UrlParts& url, bool with_credentials);
  // `authorization`: an Authorization header value to send (NTLM legs); empty = Basic as configured.
  HttpResponse exchangeOnce(const HttpRequest& request, const UrlParts& url, bool with_credentials,
                            const std::string& authorization = {});
};

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  if (impl_->options.total_timeout_seconds <= 0) impl_->options.total_timeout_seconds = 4 * impl_->options.timeout_seconds;
  impl_->proxy = parseProxy(impl_->options.proxy);
}

HttpClient::~HttpClient() = default;

void HttpClient::cancel() {
  impl_->cancelled = true;
  impl_->watchdog.cancel();
}

HttpResponse HttpClient::send(const HttpRequest& request) {
  auto first = parseUrl(request.url);
  if (!first || first->has_userinfo) {
    throw ConnectorError(ErrorKind::Config, "not a usable http(s) URL (credentials belong in the config, not the URL): " +
                                                redactUrl(request.url));
  }
  const std::string first_origin = originOf(*first);
  std::string url = request.url;
  for (int hop = 0;; ++hop) {
    auto parts = parseUrl(url);
    // Credentials go only to the origin they were configured for.
    bool same_origin = parts && originOf(*parts) == first_origin;
    HttpResponse response = impl_->exchange(request, url, same_origin);
    response.url = url;
    if (!followsRedirects(request.method) || !isRedirect(response.status)) return response;
    std::string location = response.header("Location");
    if (location.empty()) return response;
    if (hop == kMaxRedirects) {
      throw ConnectorError(ErrorKind::Protocol, "too many redirects from " + redactUrl(request.url));
    }
    std::string next = resolveUrl(url, location);
    auto next_parts = parseUrl(next);
    if (!next_parts || next_parts->has_userinfo) {
      throw ConnectorError(ErrorKind::Protocol, "unusable redirect from " + redactUrl(url));
    }
    if (parts && parts->scheme == "https" && next_parts->scheme != "https") {
      throw ConnectorError(ErrorKind::Protocol, "refusing redirect from https to http at " + redactUrl(url));
    }
    log::debug(kLog, "following redirect " + redactUrl(url) + " -> " + redactUrl(next));
    url = next;
  }
}

HttpResponse HttpClient::Impl::exchange(const HttpRequest& request, const std::string& url, bool with_credentials) {
  auto parts = parseUrl(url);
  if (!parts) throw ConnectorError(ErrorKind::Protocol, "not an http(s) URL: " + redactUrl(url));
  const std::string where = request.method + " " + redactUrl(url);
  if (cancelled) throw ConnectorError(ErrorKind::Network, where + ": cancelled");
  exchange_deadline = SocketWatchdog::Clock::now() + std::chrono::seconds(options.total_timeout_seconds);
  // Armed until the end of this function, so closing a broken TLS session is bounded too.
  struct Disarm {
    SocketWatchdog& watchdog;
    ~Disarm() { watchdog.disarm(); }
  } disarm{watchdog};
  if (session && session->connected() && session_origin == originOf(*parts)) {
    watchdog.arm(descriptorOf(session->socket()), exchange_deadline);
  }
  auto fail = [&](const std::string& problem) {
    dropSession();
    const bool fired = watchdog.disarm();
    if (cancelled) return ConnectorError(ErrorKind::Network, where + ": cancelled");
    if (fired) {
      return ConnectorError(ErrorKind::Network, where + ": no complete answer within " +
                                                    std::to_string(options.total_timeout_seconds) + " s");
    }
    return ConnectorError(ErrorKind::Network, where + ": " + problem);
  };
  try {
    try {
      return authenticatedExchange(request, *parts, with_credentials);
    } catch (const StaleConnection&) {
      dropSession();
      if (!idempotent(request)) throw;
      log::debug(kLog, where + ": kept-alive connection was closed, reconnecting");
      return authenticatedExchange(request, *parts, with_credentials);
    }
  } catch (const StaleConnection&) {
    throw fail("connection closed by the server");
  } catch (const ConnectorError&) {
    dropSession();
    throw;
  } catch (const Poco::TimeoutException& e) {
    throw fail("timed out (" + e.displayText() + ")");
  } catch (const Poco::Net::SSLException& e) {
    throw fail("TLS failure: " + e.displayText());
  } catch (const Poco::Exception& e) {
    throw fail(e.displayText());
  } catch (const std::ios_base::failure& e) {
    throw fail(std::string("stream failure: ") + e.what());
  }
}

// NTLM authenticates a connection, not a request: a server that asks for it (401 with
// "WWW-Authenticate: NTLM") gets the negotiate and then the authenticate message on the same
// kept-alive connection, and later requests on that connection pass without a header.
HttpResponse HttpClient::Impl::authenticatedExchange(const HttpRequest& request, const UrlParts& url,
                                                     bool with_credentials) {
  HttpResponse response = exchangeOnce(request, url, with_credentials);
  if (options.auth != HttpAuth::Ntlm || !with_credentials || options.username.empty() || response.status != 401) {
    return response;
  }
  auto offered = ntlmChallenge(response);
  if (!offered) return response;
  Poco::Net::HTTPNTLMCredentials ntlm(options.username, options.password);
  Poco::Net::HTTPRequest scratch;
  auto authorizationFor = [&](const std::string& challenge) {
    try {
      ntlm.authenticate(scratch, challenge);
    } catch (const Poco::Exception& e) {
      throw ConnectorError(ErrorKind::Auth, request.method + " " + redactUrl(originOf(url) + url.path) +
                                                ": unusable NTLM challenge (" + e.displayText() + ")");
    }
    return scratch.get(Poco::Net::HTTPRequest::AUTHORIZATION);
  };
  response = exchangeOnce(request, url, with_credentials, authorizationFor(""));
  if (response.status != 401) return response;
  auto challenge = ntlmChallenge(response);
  if (!challenge || challenge->empty()) return response;  // refused at the negotiate step
  return exchangeOnce(request, url, with_credentials, authorizationFor(*challenge));
}

HttpResponse HttpClient::Impl::exchangeOnce(const HttpRequest& request, const UrlParts& url, bool with_credentials,
                                            const std::string& authorization) {
  using Clock = SocketWatchdog::Clock;
  const auto deadline = exchange_deadline;
  auto& http = sessionFor(url);
  const bool reused = session_reused;

  Poco::Net::HTTPRequest poco_request(request.method, url.path + (url.query.empty() ? "" : "?" + url.query),
                                      Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : request.headers) poco_request.add(name, value);
  poco_request.set("User-Agent", options.user_agent);
  if (!authorization.empty()) {
    poco_request.set(Poco::Net::HTTPRequest::AUTHORIZATION, authorization);
  } else if (with_credentials && !options.username.empty() && options.auth == HttpAuth::Basic) {
    Poco::Net::HTTPBasicCredentials(options.username, options.password).authenticate(poco_request);
  }
  if (!request.body.empty() || request.method == "PUT" || request.method == "POST") {
    poco_request.setContentLength(static_cast<std::streamsize>(request.body.size()));
  }

  Poco::Net::HTTPResponse poco_response;
  std::istream* body_stream = nullptr;
  try {
    std::ostream& out = http.sendRequest(poco_request);
    out.exceptions(std::ios::badbit);
    out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    out.flush();
    body_stream = &http.receiveResponse(poco_response);
  } catch (const Poco::Net::NoMessageException&) {
    if (reused) throw StaleConnection{};
    throw;
  } catch (const Poco::Net::ConnectionResetException&) {
    if (reused) throw StaleConnection{};
    throw;
  } catch (const Poco::Net::ConnectionAbortedException&) {
    if (reused) throw StaleConnection{};
    throw;
  }

  HttpResponse response;
  response.status = static_cast<int>(poco_response.getStatus());
  response.reason = poco_response.getReason();
  for (const auto& [name, value] : poco_response) response.headers.emplace_back(name, value);

  const std::size_t limit = options.max_response_bytes;
  if (poco_response.hasContentLength() && poco_response.getContentLength64() > static_cast<Poco::Int64>(limit)) {
    throw ConnectorError(ErrorKind::Protocol, request.method + " " + redactUrl(originOf(url) + url.path) +
                                                  ": response of " + std::to_string(poco_response.getContentLength64()) +
                                                  " bytes exceeds the limit of " + std::to_string(limit));
  }
  // Reading the buffer directly (not through the istream) lets Poco's exceptions through and
  // returns after every socket receive, so the deadline is checked even for a trickling server.
  std::streambuf* body = body_stream->rdbuf();
  std::array<char, 64 * 1024> buffer{};
  while (true) {
    if (Clock::now() > deadline) {
      throw ConnectorError(ErrorKind::Network, request.method + " " + redactUrl(originOf(url) + url.path) +
                                                   ": response took longer than " +
                                                   std::to_string(options.total_timeout_seconds) + " s");
    }
    if (body->sgetc() == std::streambuf::traits_type::eof()) break;
    std::streamsize available = std::max<std::streamsize>(1, body->in_avail());
    std::streamsize got = body->sgetn(buffer.data(), std::min<std::streamsize>(available, buffer.size()));
    if (response.body.size() + static_cast<std::size_t>(got) > limit) {
      throw ConnectorError(ErrorKind::Protocol, request.method + " " + redactUrl(originOf(url) + url.path) +
                                                    ": response exceeds the limit of " + std::to_string(limit) + " bytes");
    }
    response.body.append(buffer.data(), static_cast<std::size_t>(got));
  }
  // A socket shut down by the watchdog, or closed by the server, ends the body early without
  // an error from Poco: a short body must never pass for a whole one.
  if (watchdog.fired()) {
    throw ConnectorError(ErrorKind::Network, request.method + " " + redactUrl(originOf(url) + url.path) +
                                                 ": no complete answer within " +
                                                 std::to_string(options.total_timeout_seconds) + " s");
  }
  if (poco_response.hasContentLength() &&
      static_cast<Poco::Int64>(response.body.size()) != poco_response.getContentLength64() &&
      request.method != "HEAD" && response.status != 204 && response.status != 304) {
    throw ConnectorError(ErrorKind::Network, request.method + " " + redactUrl(originOf(url) + url.path) +
                                                 ": connection closed after " + std::to_string(response.body.size()) +
                                                 " of " + std::to_string(poco_response.getContentLength64()) +
                                                 " bytes");
  }
  return response;
}

}  // namespace calsync::net
