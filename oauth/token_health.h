// How usable a connector's OAuth credentials are, in words an admin can act on. Connectors put
// the remedy into their Auth errors, so /health and the log say what to run.
#pragma once

#include <cstdint>
#include <string>

namespace calsync::oauth {

enum class TokenHealth {
  Ok,
  Expiring,        // works now, stops soon (refresh token or certificate near its end)
  Revoked,         // the token endpoint said invalid_grant: revoked, expired or superseded
  ConsentMissing,  // nobody signed in yet, or the app lacks consent for what it asks
};

const char* toString(TokenHealth health);

// The health a token endpoint's error code means (RFC 6749 section 5.2 plus the Entra and
// Google extensions), or Ok when the error says nothing about the grant itself (network,
// server trouble, throttling).
TokenHealth healthForTokenError(const std::string& error, const std::string& description);

// One sentence telling the admin what to do, e.g. "the sign-in was revoked or has expired;
// run `calsyncctl auth google --source work` to sign in again". `reauth` is that command.
std::string remedy(TokenHealth health, const std::string& reauth);

// The command that signs the connector instance `name` of `type` in again:
// "calsyncctl auth google --source work", or "... --destination" for the destination.
std::string reauthCommand(const std::string& type, const std::string& name);

// Seconds before the end of a refresh token or certificate at which health becomes Expiring.
inline constexpr std::int64_t kExpiringWithin = 3 * 24 * 3600;

}  // namespace calsync::oauth
