#include "master/http_api.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <cmath>
#include <set>
#include <stdexcept>

#include "core/log.h"
#include "master/api/context.h"
#include "master/credentials.h"
#include "master/master_runtime.h"
#include "master/rate_limiter.h"
#include "protocol/batch.h"

namespace calsync::master {
namespace {

using api::Access;
using api::ApiError;

// Query parameters that carry credentials in the seed system's clients. URLs end up in
// proxy and server logs, so they are refused rather than honoured.
const std::set<std::string> kCredentialParameters = {"token",  "api_key", "apikey",       "key",
                                                     "secret", "password", "access_token", "admin_token",
                                                     "auth",   "agent_secret"};

std::string bearerToken(const Poco::Net::HTTPServerRequest& request) {
  const std::string header = request.get("Authorization", "");
  if (Poco::icompare(header.substr(0, 7), "Bearer ") != 0) return "";
  return Poco::trim(header.substr(7));
}

struct Shared {
  MasterRuntime& runtime;
  HttpApiOptions options;
  api::ApiSettings settings;
  api::Context context{runtime, settings};
  api::Router router;
  RateLimiter limiter;

  Shared(MasterRuntime& r, HttpApiOptions o)
      : runtime(r), options(std::move(o)), limiter(options.agent_requests_per_second, options.agent_request_burst) {
    settings.mode = options.mode;
    settings.admin_token = options.admin_token;
    settings.started_at = options.started_at;
    settings.control = options.control;
    api::addHealthRoutes(router, context);
    api::addAgentRoutes(router, context);
    api::addCalendarRoutes(router, context);
    api::addEventRoutes(router, context);
    api::addAdminRoutes(router, context);
    api::addSyncConfigRoutes(router, context);
    api::addEventCreateRoutes(router, context);
    api::addAvailabilityRoutes(router, context);
    api::addStatusRoutes(router, context);
    api::addPlanRoutes(router, context);
    api::addOAuthConfigRoutes(router, context);
    api::addDestinationRoutes(router, context);
    api::addConflictRoutes(router, context);
  }
};

class Dispatcher : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Dispatcher(Shared& shared) : shared_(shared) {}

  void handleRequest(Poco::Net::HTTPServerRequest& http, Poco::Net::HTTPServerResponse& response) override {
    try {
      const Poco::URI uri(http.getURI());
      std::map<std::string, std::string> query;
      for (const auto& [key, value] : uri.getQueryParameters()) {
        if (kCredentialParameters.count(Poco::toLower(key))) {
          throw ApiError(400, "credentials_in_url",
                         "credentials are not accepted in the URL (they end up in logs): send them in the "
                         "Authorization header as \"Bearer <token>\", or for enrolment in the JSON body");
        }
        query[key] = value;
      }
      const api::RouteMatch match = shared_.router.match(http.getMethod(), uri.getPath());
      if (!match.route) {
        if (!match.allowed_methods.empty()) {
          response.set("Allow", Poco::cat(std::string(", "), match.allowed_methods.begin(), match.allowed_methods.end()));
          throw ApiError(405, "method_not_allowed", http.getMethod() + " is not allowed on " + uri.getPath());
        }
        throw api::notFound("no such endpoint: " + uri.getPath());
      }
      api::Request request(http, response, match.params, std::move(query));
      authorize(*match.route, request);
      match.route->handler(request);
    } catch (const ApiError& e) {
      if (!response.sent()) api::sendError(response, e.status(), e.code(), e.what(), e.retryAfter());
    } catch (const protocol::ProtocolError& e) {
      if (!response.sent()) api::sendError(response, 400, "bad_request", e.what());
    } catch (const std::exception& e) {
      log::error("api", std::string("internal error: ") + e.what());
      if (!response.sent()) api::sendError(response, 500, "internal", e.what());
    }
  }

 private:
  void authorize(const api::Route& route, api::Request& request) {
    const std::string presented = bearerToken(request.http());
    switch (route.access) {
      case Access::Public:
        request.actor = "anonymous";
        limit(request.http().clientAddress().host().toString());
        return;
      case Access::Admin:
        if (shared_.settings.admin_token.empty()) {
          throw ApiError(403, "admin_disabled", "the admin API is off: set [master] admin_token to use it");
        }
        if (presented.empty()) throw ApiError(401, "unauthorized", "send the admin token as \"Authorization: Bearer ...\"");
        if (!constantTimeEquals(presented, shared_.settings.admin_token)) {
          throw ApiError(401, "unauthorized", "the admin token is not valid");
        }
        request.actor = "admin";
        return;
      case Access::Agent: {
        const std::string& agent_id = request.param("id");
        limit("agent:" + agent_id);
        if (presented.empty()) throw ApiError(401, "unauthorized", "send the agent secret as \"Authorization: Bearer ...\"");
        const auto expected = shared_.runtime.auth().agentSecretHash(agent_id);
        if (!expected || !constantTimeEquals(credentialHash(presented), *expected)) {
          throw ApiError(401, "unauthorized",
                         "agent '" + agent_id + "' is not enrolled or its secret is not valid; enroll it again with a "
                         "new token");
        }
        request.actor = "agent:" + agent_id;
        return;
      }
    }
  }

  void limit(const std::string& key) {
    double retry_after = 0;
    if (!shared_.limiter.allow(key, std::chrono::steady_clock::now(), &retry_after)) {
      throw ApiError(429, "rate_limited", "too many requests; slow down",
                     static_cast<std::int64_t>(std::ceil(std::max(retry_after, 1.0))));
    }
  }

  Shared& shared_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Shared& shared) : shared_(shared) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Dispatcher(shared_);
  }

 private:
  Shared& shared_;
};

}  // namespace

struct HttpApi::Impl {
  Impl(MasterRuntime& runtime, HttpApiOptions options) : shared(runtime, std::move(options)) {}
  Shared shared;
  // Our own pool, so stop() can wait for requests still running: their handlers use `shared`,
  // which a reload destroys with this object.
  Poco::ThreadPool threads{2, 32};
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;
};

HttpApi::HttpApi(MasterRuntime& runtime, HttpApiOptions options)
    : impl_(std::make_unique<Impl>(runtime, std::move(options))) {}

HttpApi::~HttpApi() { stop(); }

void HttpApi::start() {
  const HttpApiOptions& options = impl_->shared.options;
  try {
    const Poco::Net::SocketAddress address(options.listen);
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (!options.tls_cert.empty()) {
      Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, options.tls_key,
                                                               options.tls_cert, "", Poco::Net::Context::VERIFY_NONE);
      context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
      socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
    }
    impl_->port = socket->address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    // Long-polls hold a thread each while they wait.
    params->setMaxThreads(32);
    params->setMaxQueued(256);
    params->setTimeout(Poco::Timespan(75, 0));
    impl_->server =
        std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_->shared), impl_->threads, *socket, params);
    impl_->server->start();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot serve on " + options.listen + ": " + e.displayText());
  }
}

void HttpApi::stop() {
  if (impl_ && impl_->server) {
    impl_->shared.runtime.stopWaiting();
    impl_->server->stopAll(true);
    impl_->server.reset();
    impl_->threads.joinAll();
  }
}

std::uint16_t HttpApi::port() const { return impl_->port; }

}  // namespace calsync::master
