// The master's HTTP(S) endpoint: /health, the agent protocol and the REST API, served by
// Poco's HTTPServer on its own threads. Routes live in master/api/.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace calsync::master {

class MasterRuntime;
class DaemonControl;

struct HttpApiOptions {
  std::string listen = "127.0.0.1:8008";   // host:port or [v6]:port
  std::string tls_cert;                    // PEM; with tls_key, serve HTTPS
  std::string tls_key;
  std::string mode;                        // reported by /health
  std::string admin_token;                 // empty: the admin API answers 403
  std::int64_t started_at = 0;
  double agent_requests_per_second = 20;   // per agent (or per address before auth)
  double agent_request_burst = 60;
  DaemonControl* control = nullptr;        // the daemon's config and reload, for the config routes
};

class HttpApi {
 public:
  HttpApi(MasterRuntime& runtime, HttpApiOptions options);
  ~HttpApi();
  // Binds and starts serving; throws std::runtime_error naming the address on failure.
  void start();
  void stop();
  std::uint16_t port() const;   // the bound port (useful with port 0)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calsync::master
