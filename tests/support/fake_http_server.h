// A scriptable HTTP server on 127.0.0.1 for tests: every request goes to a handler function
// that decides the answer, and every request is recorded for the test to inspect.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calsync::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct FakeRequest {
  std::string method;
  std::string target;          // path and query as sent
  HeaderList headers;
  std::string body;
  int client_port = 0;         // tells connections apart (keep-alive checks)
  std::string header(const std::string& name) const;  // case-insensitive; empty when absent
};

struct FakeResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
  bool chunked = false;        // send the body with chunked transfer encoding
  // Announce this Content-Length but send `body` and close the connection (a cut-off answer).
  std::optional<std::size_t> claimed_length;
  // Never answer: hold the connection open until the server is destroyed.
  bool hang = false;
  // Send the body one byte at a time with this pause in between (simulates a slow server).
  std::chrono::milliseconds trickle_interval{0};
};

// The test CA and server certificate under tests/support/tls (CN=localhost, IP 127.0.0.1).
std::string testCaFile();

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;
  enum class Transport { Http, Https };
  // Https serves tests/support/tls/server.pem, signed by testCaFile().
  explicit FakeHttpServer(Handler handler, Transport transport = Transport::Http);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::string baseUrl() const;                 // "http://127.0.0.1:PORT" (https for Https)
  int port() const;
  std::vector<FakeRequest> requests() const;   // every request so far, in arrival order

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calsync::testing
