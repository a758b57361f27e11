// Sends EWS operations: wraps a body in a SOAP envelope with RequestServerVersion, signs in
// (Basic, NTLM or an OAuth2 bearer token), holds a slot of the endpoint's concurrency limit,
// waits out short server backoffs, and turns every failure into a typed ConnectorError.
#pragma once

#include <memory>
#include <string>

#include "ews/ews_config.h"
#include "ews/soap_response.h"

namespace calsync::net {
class HttpClient;
}

namespace calsync::ews {

class EndpointLimit;

class EwsClient {
 public:
  explicit EwsClient(EwsConfig config);
  ~EwsClient();
  EwsClient(const EwsClient&) = delete;
  EwsClient& operator=(const EwsClient&) = delete;

  // Sends <m:`operation`> (`body` is the whole element, m:/t: prefixes) and returns the answer.
  // `read_only` operations may be resent on a fresh connection and after a server backoff.
  // A fault, or any response message saying the server is busy, throws; other per-message
  // errors are left to the caller.
  SoapResponse call(const std::string& operation, const std::string& body, bool read_only);

  const EwsConfig& config() const { return config_; }
  EndpointLimit& limit() { return *limit_; }

 private:
  SoapResponse callOnce(const std::string& operation, const std::string& envelope, bool read_only);

  EwsConfig config_;
  std::unique_ptr<net::HttpClient> http_;
  std::shared_ptr<EndpointLimit> limit_;
};

// The SOAP envelope around an operation body.
std::string soapEnvelope(const std::string& server_version, const std::string& body);

}  // namespace calsync::ews
