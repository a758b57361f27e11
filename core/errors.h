// Errors that cross the connector boundary, typed so the engine can decide what to do:
// retry, back off, surface to the admin, or send a write to the conflict path.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace calsync {

enum class ErrorKind {
  Auth,          // credentials refused: surface, do not retry fast
  Network,       // unreachable, timeout, TLS: retry with backoff
  Throttled,     // the server asked us to slow down: wait retry_after_seconds
  Conflict,      // a conditional write lost (412, ChangeKey): re-read and merge
  NotFound,      // the target of a write or read is gone
  Permission,    // authenticated but not allowed
  Protocol,      // the server answered something we cannot use (bad XML, 5xx, lies)
  BadData,       // one item could not be parsed or mapped; the rest is fine
  Config,        // the connector's configuration cannot work
};

const char* toString(ErrorKind kind);

class ConnectorError : public std::runtime_error {
 public:
  ConnectorError(ErrorKind kind, const std::string& message, std::int64_t retry_after_seconds = 0)
      : std::runtime_error(message), kind_(kind), retry_after_seconds_(retry_after_seconds) {}
  ErrorKind kind() const { return kind_; }
  // For Throttled (and Network errors that carried Retry-After): how long the server asked for.
  std::int64_t retryAfterSeconds() const { return retry_after_seconds_; }
  // Whether trying the same call later can succeed without anyone changing anything.
  bool transient() const {
    return kind_ == ErrorKind::Network || kind_ == ErrorKind::Throttled || kind_ == ErrorKind::Protocol;
  }

 private:
  ErrorKind kind_;
  std::int64_t retry_after_seconds_;
};

}  // namespace calsync
