// How an admin signs a connector section in from the master's API (GET /sync/config/TYPE/
// auth-url and friends), as hooks each connector type may register in its ConnectorInfo: the
// master never names a connector. The Google and Graph connectors fill these with their
// google_auth.h / graph_auth.h functions. Nothing here is ever a token.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace calsync {

struct ConnectorSpec;

struct SignInStart {
  std::string url;            // open in a browser on any machine
  std::string state;          // comes back with the code
  std::string redirect_uri;   // where the browser is sent afterwards
  std::int64_t expires_at = 0;
};

// A device-code sign-in in progress (RFC 8628). `device_code` is a secret between calsync and
// the provider: the master keeps it and shows only the user code.
struct DeviceCodeSignIn {
  std::string device_code;
  std::string user_code;
  std::string verification_uri;
  std::string verification_uri_complete;
  std::string message;
  std::int64_t expires_at = 0;
  int interval_seconds = 5;
};

enum class DevicePollResult { Pending, SlowDown, Done };

struct SignInHooks {
  // Authorization-code flow: start (remembers state and PKCE verifier with the section), then
  // finish with the code or the whole redirect address. Throw ConnectorError; a provider's
  // refusal of the code is an oauth::TokenEndpointError.
  std::function<SignInStart(const ConnectorSpec&, std::int64_t now)> authorization_url;
  std::function<void(const ConnectorSpec&, const std::string& code_or_url, const std::string& state,
                     std::int64_t now)> exchange_code;
  // Device-code flow; empty when the type has none.
  std::function<DeviceCodeSignIn(const ConnectorSpec&)> start_device;
  std::function<DevicePollResult(const ConnectorSpec&, const DeviceCodeSignIn&, std::int64_t now)> poll_device;
};

}  // namespace calsync
