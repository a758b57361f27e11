// HTTP(S) plumbing of the EWS test server: one POST endpoint, sign-in (Basic, or NTLM that
// authenticates a kept-alive connection), fault switches, then the SOAP operations.
#include "ews_test_server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "ntlm_server.h"
#include "server_state.h"

namespace calsync::testing::ews {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// What one kept-alive connection has established with NTLM.
struct Connection {
  Poco::Net::Socket socket;        // holds the socket so its address is not reused meanwhile
  std::string challenge;           // pending server challenge
  std::string email;               // set once authenticated
};

}  // namespace

struct EwsTestServer::Http {
  EwsTestServer::State& state;
  std::mutex connections_mutex;
  std::map<Poco::Net::SocketImpl*, Connection> connections;
  Poco::ThreadPool threads{2, 32};
  std::unique_ptr<Poco::Net::HTTPServer> http;
  int port = 0;
  bool https = false;

  explicit Http(EwsTestServer::State& s) : state(s) {}
  ~Http() {
    if (http) http->stopAll(true);
    threads.joinAll();
  }

  void unauthorized(Poco::Net::HTTPServerResponse& response, const std::string& challenge) {
    response.setStatus(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
    response.set("WWW-Authenticate", challenge);
    response.setContentType("text/plain");
    const std::string body = "401 - Unauthorized: Access is denied due to invalid credentials.";
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

  // The mailbox email of the signed-in user, or nullopt when the answer (a 401) was sent.
  std::optional<std::string> signIn(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto options = [&] {
      std::lock_guard lock(state.mutex);
      return state.options;
    }();
    const std::string authorization = request.get("Authorization", "");
    if (options.auth == EwsTestServer::Auth::None) {
      std::lock_guard lock(state.mutex);
      return state.user_order.empty() ? std::string() : state.users.at(state.user_order.front()).email;
    }
    if (options.auth == EwsTestServer::Auth::Bearer) {
      if (authorization.rfind("Bearer ", 0) == 0) {
        std::lock_guard lock(state.mutex);
        auto token = state.bearer_tokens.find(authorization.substr(7));
        if (token != state.bearer_tokens.end()) return token->second;
      }
      unauthorized(response, "Bearer");
      return std::nullopt;
    }
    if (options.auth == EwsTestServer::Auth::Basic) {
      if (authorization.rfind("Basic ", 0) == 0) {
        std::string decoded = base64Decode(authorization.substr(6));
        auto colon = decoded.find(':');
        if (colon != std::string::npos) {
          std::lock_guard lock(state.mutex);
          auto user = state.users.find(lower(decoded.substr(0, colon)));
          if (user != state.users.end() && user->second.password == decoded.substr(colon + 1)) return user->second.email;
        }
      }
      unauthorized(response, "Basic realm=\"ews\"");
      return std::nullopt;
    }
    // NTLM: authenticates the connection; later requests on it need no header.
    auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Net::SocketImpl* key = impl.socket().impl();
    std::lock_guard lock(connections_mutex);
    for (auto it = connections.begin(); it != connections.end();) {
      it = it->second.socket.impl()->initialized() || it->first == key ? std::next(it) : connections.erase(it);
    }
    auto& connection = connections.try_emplace(key, Connection{impl.socket(), "", ""}).first->second;
    if (!connection.email.empty() && authorization.empty()) return connection.email;
    if (authorization.rfind("NTLM ", 0) == 0) {
      const std::string message = base64Decode(authorization.substr(5));
      switch (ntlmMessageType(message)) {
        case NtlmMessageType::Negotiate: {
          auto challenge = makeNtlmChallenge(options.ntlm_domain);
          connection.challenge = challenge.server_challenge;
          connection.email.clear();
          unauthorized(response, "NTLM " + base64Encode(challenge.message));
          return std::nullopt;
        }
        case NtlmMessageType::Authenticate: {
          auto identity = ntlmIdentity(message);
          std::lock_guard state_lock(state.mutex);
          auto user = identity ? state.users.find(lower(identity->user)) : state.users.end();
          if (!connection.challenge.empty() && user != state.users.end() &&
              verifyNtlmV2(message, connection.challenge, user->second.password)) {
            connection.challenge.clear();
            connection.email = user->second.email;
            return connection.email;
          }
          connection.challenge.clear();
          break;
        }
        default: break;
      }
    }
    unauthorized(response, "NTLM");
    return std::nullopt;
  }

  void serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    auto send = [&](int status, const std::string& content, const std::string& type) {
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
      response.setContentType(type);
      response.setContentLength(static_cast<std::streamsize>(content.size()));
      response.send() << content;
    };
    if (request.getMethod() != "POST" || request.getURI() != "/EWS/Exchange.asmx") {
      send(404, "not found", "text/plain");
      return;
    }
    auto email = signIn(request, response);
    if (!email) return;
    int latency = 0;
    {
      std::lock_guard lock(state.mutex);
      latency = state.latency_ms;
      state.peak = std::max(state.peak, ++state.in_flight);
      if (state.status_times > 0) {
        --state.status_times;
        --state.in_flight;
        if (state.retry_after) response.set("Retry-After", std::to_string(*state.retry_after));
        send(state.status_code, "Service Unavailable", "text/plain");
        return;
      }
    }
    if (latency > 0) std::this_thread::sleep_for(std::chrono::milliseconds(latency));
    std::pair<int, std::string> answer;
    {
      std::lock_guard lock(state.mutex);
      --state.in_flight;
      answer = handleSoap(state, *email, body);
    }
    send(answer.first, answer.second, "text/xml; charset=utf-8");
  }
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(EwsTestServer::Http& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    server_.serve(request, response);
  }

 private:
  EwsTestServer::Http& server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(EwsTestServer::Http& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(server_);
  }

 private:
  EwsTestServer::Http& server_;
};

}  // namespace

EwsTestServer::EwsTestServer(Options options) : state_(std::make_unique<State>()) {
  state_->options = options;
  http_ = std::make_unique<Http>(*state_);
  Http* server = http_.get();
  server->https = options.transport == Transport::Https;
  Poco::Net::ServerSocket socket;
  if (server->https) {
    const std::string dir = std::string(CALSYNC_TEST_SUPPORT_DIR) + "/tls/";
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, dir + "server.key",
                                                             dir + "server.pem", "", Poco::Net::Context::VERIFY_NONE);
    socket = Poco::Net::SecureServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
  } else {
    socket = Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0));
  }
  server->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  params->setMaxThreads(32);
  server->http = std::make_unique<Poco::Net::HTTPServer>(new Factory(*server), server->threads, socket, params);
  server->http->start();
}

EwsTestServer::~EwsTestServer() = default;

std::string EwsTestServer::url() const {
  const Http* server = http_.get();
  return std::string(server->https ? "https" : "http") + "://127.0.0.1:" + std::to_string(server->port) + "/EWS/Exchange.asmx";
}

}  // namespace calsync::testing::ews
