// One API call as the route handlers see it: path parameters, query, the authenticated
// caller, the body (size-limited, gzip-aware), and one way to answer or fail.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace calsync::master::api {

// Thrown by handlers; the dispatcher turns it into {"error": {"code", "message"}}.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::int64_t retry_after = 0)
      : std::runtime_error(message), status_(status), code_(std::move(code)), retry_after_(retry_after) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  std::int64_t retryAfter() const { return retry_after_; }

 private:
  int status_;
  std::string code_;
  std::int64_t retry_after_;
};

ApiError badRequest(const std::string& message);
ApiError notFound(const std::string& message);

constexpr std::size_t kAdminBodyLimit = 1 << 20;          // 1 MiB
constexpr std::size_t kHeartbeatBodyLimit = 32u << 20;    // as sent (gzip or not)
constexpr std::size_t kInflatedBodyLimit = 128u << 20;    // after gunzip

class Request {
 public:
  Request(Poco::Net::HTTPServerRequest& http, Poco::Net::HTTPServerResponse& response,
          std::map<std::string, std::string> params, std::map<std::string, std::string> query)
      : http_(http), response_(response), params_(std::move(params)), query_(std::move(query)) {}

  const std::string& param(const std::string& name) const;
  std::string query(const std::string& name, const std::string& fallback = "") const;
  // An integer query parameter in [min, max]; 400 otherwise.
  std::int64_t queryInt(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  const std::map<std::string, std::string>& queryMap() const { return query_; }

  // The body, inflated when sent with Content-Encoding: gzip. 413 beyond `limit` bytes as
  // sent or kInflatedBodyLimit inflated.
  std::string body(std::size_t limit = kAdminBodyLimit);
  Poco::JSON::Object::Ptr jsonBody(std::size_t limit = kAdminBodyLimit);
  // As jsonBody(), but an empty body gives an empty object (for bodies that are optional).
  Poco::JSON::Object::Ptr optionalJsonBody(std::size_t limit = kAdminBodyLimit);

  // Answers with JSON; gzip when the client accepts it and the body is worth compressing.
  void send(int status, const Poco::JSON::Object& body);
  void sendText(int status, const std::string& json_text);

  Poco::Net::HTTPServerRequest& http() { return http_; }
  Poco::Net::HTTPServerResponse& response() { return response_; }
  std::string actor;   // "admin", "agent:ID" or "anonymous"; set by the dispatcher

 private:
  Poco::Net::HTTPServerRequest& http_;
  Poco::Net::HTTPServerResponse& response_;
  std::map<std::string, std::string> params_;
  std::map<std::string, std::string> query_;
};

void sendError(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
               const std::string& message, std::int64_t retry_after = 0);

// JSON field helpers for request bodies, failing with 400 and the field's name.
std::string requiredString(const Poco::JSON::Object::Ptr& body, const std::string& name);
std::string optionalString(const Poco::JSON::Object::Ptr& body, const std::string& name,
                           const std::string& fallback = "");
bool hasString(const Poco::JSON::Object::Ptr& body, const std::string& name);

}  // namespace calsync::master::api
