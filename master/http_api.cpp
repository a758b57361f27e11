#include "master/http_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <ctime>
#include <sstream>
#include <stdexcept>

#include "core/health.h"
#include "master/events_query.h"
#include "master/master_runtime.h"

namespace calsync::master {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::size_t kMaxOccurrences = 10000;
constexpr std::int64_t kMaxQuerySpan = 400LL * 86400;

void sendJson(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const Object& body) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(body, out);
  const std::string text = out.str();
  response.setStatus(status);
  response.setContentType("application/json; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.send() << text;
}

// One error shape for every endpoint: {"error": {"code": ..., "message": ...}}.
void sendError(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& code,
               const std::string& message) {
  Object error;
  error.set("code", code);
  error.set("message", message);
  Object body;
  body.set("error", error);
  sendJson(response, status, body);
}

std::string timeText(std::int64_t t) { return t > 0 ? formatIsoUtc(t) : ""; }

Object dateTimeJson(const DateTime& t, std::int64_t utc) {
  Object o;
  if (t.is_date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
    o.set("date", std::string(buf));
  } else {
    o.set("date_time", formatIsoUtc(utc));
    o.set("time_zone", t.tzid.empty() ? std::string("floating") : t.tzid);
  }
  return o;
}

const char* statusText(EventStatus s) {
  switch (s) {
    case EventStatus::Tentative: return "tentative";
    case EventStatus::Confirmed: return "confirmed";
    case EventStatus::Cancelled: return "cancelled";
    case EventStatus::None: break;
  }
  return "";
}

class ApiHandler : public Poco::Net::HTTPRequestHandler {
 public:
  ApiHandler(MasterRuntime& runtime, const HttpApiOptions& options) : runtime_(runtime), options_(options) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      const Poco::URI uri(request.getURI());
      const std::string& path = uri.getPath();
      if (path == "/health") {
        if (methodGuard(request, response, "GET")) health(response);
        return;
      }
      if (path == "/api/calendar/events") {
        if (methodGuard(request, response, "GET")) events(uri, response);
        return;
      }
      sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found", "no such endpoint: " + path);
    } catch (const std::exception& e) {
      if (!response.sent()) sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal", e.what());
    }
  }

 private:
  bool methodGuard(HTTPServerRequest& request, HTTPServerResponse& response, const std::string& method) {
    if (request.getMethod() == method) return true;
    response.set("Allow", method);
    sendError(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
              request.getMethod() + " is not allowed here; use " + method);
    return false;
  }

  void health(HTTPServerResponse& response) {
    const auto connectors = runtime_.health().snapshot();
    std::string overall = "ok";
    Array list;
    for (const auto& c : connectors) {
      if (c.state == "failing") overall = "failing";
      else if (c.state != "ok" && overall == "ok") overall = c.state == "pending" ? "starting" : "degraded";
      Object o;
      o.set("name", c.name);
      o.set("type", c.type);
      o.set("role", c.role);
      o.set("state", c.state);
      o.set("last_attempt", timeText(c.last_attempt));
      o.set("last_success", timeText(c.last_success));
      o.set("next_attempt", timeText(c.next_attempt));
      o.set("consecutive_failures", c.consecutive_failures);
      o.set("last_error", c.last_error);
      o.set("calendars", c.calendars);
      o.set("events", c.objects);
      o.set("skipped_items", c.warnings);
      list.add(o);
    }
    Object store;
    for (const auto& [name, count] : runtime_.store().counts()) store.set(name, count);
    Object body;
    body.set("status", overall);
    body.set("mode", options_.mode);
    body.set("version", std::string(CALSYNC_VERSION));
    body.set("uptime_seconds", static_cast<std::int64_t>(std::time(nullptr)) - options_.started_at);
    body.set("connectors", list);
    body.set("store", store);
    sendJson(response, overall == "failing" ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE : HTTPResponse::HTTP_OK, body);
  }

  void events(const Poco::URI& uri, HTTPServerResponse& response) {
    std::string time_min, time_max;
    for (const auto& [key, value] : uri.getQueryParameters()) {
      if (key == "time_min") time_min = value;
      else if (key == "time_max") time_max = value;
    }
    if (time_min.empty() || time_max.empty()) {
      sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                "time_min and time_max are required, e.g. ?time_min=2026-03-01T00:00:00Z&time_max=2026-03-08T00:00:00Z");
      return;
    }
    const auto from = parseIsoInstant(time_min);
    const auto to = parseIsoInstant(time_max);
    if (!from || !to) {
      sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                "time_min and time_max must be ISO 8601 instants like 2026-03-01T00:00:00Z");
      return;
    }
    if (*to <= *from || *to - *from > kMaxQuerySpan) {
      sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                "time_max must be after time_min and at most 400 days later");
      return;
    }
    const EventsResult result = queryEvents(runtime_.store(), *from, *to, kMaxOccurrences);
    Array items;
    for (const auto& occ : result.occurrences) {
      Object o;
      const std::string rid = occ.recurrence_id ? occ.recurrence_id->toIcalValue() : "";
      o.set("id", occ.key.agent_id + "/" + occ.key.source + "/" + occ.key.native_id + (rid.empty() ? "" : "#" + rid));
      o.set("uid", occ.uid);
      o.set("recurrence_id", rid);
      o.set("summary", occ.event.summary);
      o.set("description", occ.event.description);
      o.set("location", occ.event.location);
      o.set("start", dateTimeJson(occ.start, occ.start_utc));
      o.set("end", dateTimeJson(occ.end, occ.end_utc));
      o.set("all_day", occ.start.is_date);
      o.set("recurring", occ.event.isRecurring() || occ.recurrence_id.has_value());
      o.set("status", std::string(statusText(occ.event.status)));
      Object cal;
      cal.set("id", occ.key.calendar_id);
      cal.set("name", occ.calendar_name);
      o.set("calendar", cal);
      o.set("source", occ.key.source);
      o.set("agent", occ.key.agent_id);
      items.add(o);
    }
    Object body;
    body.set("time_min", formatIsoUtc(*from));
    body.set("time_max", formatIsoUtc(*to));
    body.set("count", static_cast<std::int64_t>(result.occurrences.size()));
    body.set("truncated", result.truncated);
    body.set("events", items);
    sendJson(response, HTTPResponse::HTTP_OK, body);
  }

  MasterRuntime& runtime_;
  const HttpApiOptions& options_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(MasterRuntime& runtime, const HttpApiOptions& options) : runtime_(runtime), options_(options) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new ApiHandler(runtime_, options_);
  }

 private:
  MasterRuntime& runtime_;
  const HttpApiOptions& options_;
};

}  // namespace

struct HttpApi::Impl {
  Impl(MasterRuntime& r, HttpApiOptions o) : runtime(r), options(std::move(o)) {}
  MasterRuntime& runtime;
  HttpApiOptions options;
  // Our own pool, so stop() can wait for requests still running: their handlers read
  // `options` and `runtime`, which must outlive them (a reload destroys this object).
  Poco::ThreadPool threads{2, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;
};

HttpApi::HttpApi(MasterRuntime& runtime, HttpApiOptions options)
    : impl_(std::make_unique<Impl>(runtime, std::move(options))) {}

HttpApi::~HttpApi() { stop(); }

void HttpApi::start() {
  try {
    const Poco::Net::SocketAddress address(impl_->options.listen);
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (!impl_->options.tls_cert.empty()) {
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::TLS_SERVER_USE, impl_->options.tls_key, impl_->options.tls_cert, "",
          Poco::Net::Context::VERIFY_NONE);
      context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
      socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
    }
    impl_->port = socket->address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setMaxQueued(64);
    params->setTimeout(Poco::Timespan(30, 0));
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_->runtime, impl_->options), impl_->threads,
                                                            *socket, params);
    impl_->server->start();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot serve on " + impl_->options.listen + ": " + e.displayText());
  }
}

void HttpApi::stop() {
  if (impl_ && impl_->server) {
    impl_->server->stopAll(true);
    impl_->server.reset();
    impl_->threads.joinAll();
  }
}

std::uint16_t HttpApi::port() const { return impl_->port; }

}  // namespace calsync::master
