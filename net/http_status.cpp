// How HTTP statuses become the engine's error kinds, and how long a server asked us to wait.
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "net/http_client.h"

namespace calsync::net {
namespace {

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

ErrorKind kindForStatus(int status) {
  switch (status) {
    case 401: return ErrorKind::Auth;
    case 403: return ErrorKind::Permission;
    case 404:
    case 410: return ErrorKind::NotFound;
    case 409:
    case 412: return ErrorKind::Conflict;
    case 429:
    case 503: return ErrorKind::Throttled;
    default: return ErrorKind::Protocol;
  }
}

}  // namespace

namespace {

bool sameName(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (sameName(key, name)) return value;
  }
  return {};
}

std::vector<std::string> headerValues(const HttpResponse& response, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : response.headers) {
    if (sameName(key, name)) values.push_back(value);
  }
  return values;
}

std::optional<std::int64_t> parseRetryAfter(const std::string& value, std::int64_t now_epoch_seconds) {
  std::string text = trim(value);
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    // Anything beyond a year is a broken server; clamp instead of overflowing.
    constexpr std::int64_t kYear = 365LL * 24 * 3600;
    if (text.size() > 9) return kYear;
    return std::min<std::int64_t>(std::stoll(text), kYear);
  }
  Poco::DateTime when;
  int zone_differential = 0;
  if (!Poco::DateTimeParser::tryParse(text, when, zone_differential)) return std::nullopt;
  when.makeUTC(zone_differential);
  std::int64_t epoch = when.timestamp().epochTime();
  return std::max<std::int64_t>(0, epoch - now_epoch_seconds);
}

ConnectorError errorForStatus(const HttpResponse& response, const std::string& context) {
  std::string message = context + ": HTTP " + std::to_string(response.status);
  if (!response.reason.empty()) message += " " + response.reason;
  std::int64_t retry_after = 0;
  if (std::string header = response.header("Retry-After"); !header.empty()) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    retry_after = parseRetryAfter(header, now.count()).value_or(0);
  }
  if (response.status < 400) message += " (unexpected)";
  return ConnectorError(kindForStatus(response.status), message, retry_after);
}

}  // namespace calsync::net
