#include "master/api/request.h"

#include <Poco/DeflatingStream.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>

#include <sstream>

namespace calsync::master::api {
namespace {

using Poco::Net::HTTPResponse;

constexpr std::size_t kGzipThreshold = 1024;

std::string readAtMost(std::istream& in, std::size_t limit, const char* what) {
  std::string out;
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    out.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (out.size() > limit) {
      throw ApiError(HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "body_too_large",
                     std::string("the request body ") + what + " is larger than " + std::to_string(limit) + " bytes");
    }
  }
  return out;
}

Poco::JSON::Object::Ptr parseJsonObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    if (object) return object;
  } catch (const Poco::Exception& e) {
    throw badRequest("the body is not a JSON object: " + e.displayText());
  } catch (const std::exception&) {
  }
  throw badRequest("the body must be a JSON object");
}

bool acceptsGzip(const Poco::Net::HTTPServerRequest& request) {
  return Poco::toLower(request.get("Accept-Encoding", "")).find("gzip") != std::string::npos;
}

}  // namespace

ApiError badRequest(const std::string& message) { return ApiError(400, "bad_request", message); }
ApiError notFound(const std::string& message) { return ApiError(404, "not_found", message); }

const std::string& Request::param(const std::string& name) const {
  static const std::string empty;
  auto it = params_.find(name);
  return it == params_.end() ? empty : it->second;
}

std::string Request::query(const std::string& name, const std::string& fallback) const {
  auto it = query_.find(name);
  return it == query_.end() ? fallback : it->second;
}

std::int64_t Request::queryInt(const std::string& name, std::int64_t fallback, std::int64_t min,
                               std::int64_t max) const {
  auto it = query_.find(name);
  if (it == query_.end() || it->second.empty()) return fallback;
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != it->second.size() || value < min || value > max) {
    throw badRequest(name + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

std::string Request::body(std::size_t limit) {
  if (http_.hasContentLength() && static_cast<std::size_t>(http_.getContentLength64()) > limit) {
    throw ApiError(HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "body_too_large",
                   "the request body is larger than " + std::to_string(limit) + " bytes");
  }
  std::string raw = readAtMost(http_.stream(), limit, "as sent");
  const std::string encoding = Poco::toLower(http_.get("Content-Encoding", ""));
  if (encoding.empty() || encoding == "identity") return raw;
  if (encoding != "gzip") {
    throw ApiError(HTTPResponse::HTTP_UNSUPPORTEDMEDIATYPE, "unsupported_encoding",
                   "Content-Encoding " + encoding + " is not supported; send gzip or no encoding");
  }
  std::istringstream compressed(raw);
  Poco::InflatingInputStream inflater(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
  try {
    return readAtMost(inflater, kInflatedBodyLimit, "once inflated");
  } catch (const Poco::Exception& e) {
    throw badRequest("the gzip body is corrupt: " + e.displayText());
  }
}

Poco::JSON::Object::Ptr Request::jsonBody(std::size_t limit) {
  const std::string text = body(limit);
  if (text.empty()) throw badRequest("a JSON object body is required");
  return parseJsonObject(text);
}

Poco::JSON::Object::Ptr Request::optionalJsonBody(std::size_t limit) {
  const std::string text = body(limit);
  if (text.empty()) return new Poco::JSON::Object;
  return parseJsonObject(text);
}

void Request::send(int status, const Poco::JSON::Object& body) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(body, out);
  sendText(status, out.str());
}

void Request::sendText(int status, const std::string& text) {
  response_.setStatus(static_cast<HTTPResponse::HTTPStatus>(status));
  response_.setContentType("application/json; charset=utf-8");
  response_.set("Cache-Control", "no-store");
  if (text.size() >= kGzipThreshold && acceptsGzip(http_)) {
    std::ostringstream compressed;
    {
      Poco::DeflatingOutputStream deflater(compressed, Poco::DeflatingStreamBuf::STREAM_GZIP);
      deflater << text;
      deflater.close();
    }
    const std::string bytes = compressed.str();
    response_.set("Content-Encoding", "gzip");
    response_.setContentLength(static_cast<std::streamsize>(bytes.size()));
    response_.send() << bytes;
    return;
  }
  response_.setContentLength(static_cast<std::streamsize>(text.size()));
  response_.send() << text;
}

void sendError(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
               const std::string& message, std::int64_t retry_after) {
  Poco::JSON::Object error;
  error.set("code", code);
  error.set("message", message);
  Poco::JSON::Object body;
  body.set("error", error);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(body, out);
  const std::string text = out.str();
  response.setStatus(static_cast<HTTPResponse::HTTPStatus>(status));
  response.setContentType("application/json; charset=utf-8");
  response.set("Cache-Control", "no-store");
  // The request body may be unread (refused before it was looked at): the connection cannot
  // carry another request after it.
  response.setKeepAlive(false);
  if (retry_after > 0) response.set("Retry-After", std::to_string(retry_after));
  if (status == HTTPResponse::HTTP_UNAUTHORIZED) response.set("WWW-Authenticate", "Bearer realm=\"calsync\"");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.send() << text;
}

std::string requiredString(const Poco::JSON::Object::Ptr& body, const std::string& name) {
  if (!body->has(name) || body->isNull(name)) throw badRequest("\"" + name + "\" is required");
  const auto value = body->get(name);
  if (!value.isString()) throw badRequest("\"" + name + "\" must be a string");
  return value.extract<std::string>();
}

std::string optionalString(const Poco::JSON::Object::Ptr& body, const std::string& name, const std::string& fallback) {
  if (!body->has(name) || body->isNull(name)) return fallback;
  return requiredString(body, name);
}

bool hasString(const Poco::JSON::Object::Ptr& body, const std::string& name) {
  return body->has(name) && !body->isNull(name) && body->get(name).isString();
}

}  // namespace calsync::master::api
