// A stand-in master for the ctl tests: answers each "METHOD /path" with a scripted status and
// JSON body (the shapes of master/api and CONTRACTS.md), checks the admin token like the real
// one, and records every request.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "tests/support/fake_http_server.h"

namespace calsync::ctl::testing {

class FakeMaster {
 public:
  explicit FakeMaster(std::string token = "admin-secret") : token_(std::move(token)) {}

  // Answers `method path` (path without query) with `status` and `body`.
  void answer(const std::string& method, const std::string& path, int status, const std::string& body) {
    std::lock_guard lock(mutex_);
    routes_[method + " " + path] = {status, body};
  }
  std::string url() const { return server_.baseUrl(); }
  int port() const { return server_.port(); }
  std::vector<calsync::testing::FakeRequest> requests() const { return server_.requests(); }
  // The last request to `method path`, or an empty one.
  calsync::testing::FakeRequest last(const std::string& method, const std::string& path) const {
    calsync::testing::FakeRequest found;
    for (const auto& r : server_.requests()) {
      if (r.method == method && r.target.substr(0, r.target.find('?')) == path) found = r;
    }
    return found;
  }

 private:
  calsync::testing::FakeResponse handle(const calsync::testing::FakeRequest& request) {
    calsync::testing::FakeResponse response;
    response.headers = {{"Content-Type", "application/json"}};
    const std::string path = request.target.substr(0, request.target.find('?'));
    if (path != "/health" && request.header("Authorization") != "Bearer " + token_) {
      response.status = 401;
      response.body = R"({"error":{"code":"unauthorized","message":"the admin token is not valid"}})";
      return response;
    }
    std::lock_guard lock(mutex_);
    const auto it = routes_.find(request.method + " " + path);
    if (it == routes_.end()) {
      response.status = 404;
      response.body = R"({"error":{"code":"not_found","message":"no such endpoint: )" + path + R"("}})";
      return response;
    }
    response.status = it->second.first;
    response.body = it->second.second;
    return response;
  }

  std::string token_;
  std::mutex mutex_;
  std::map<std::string, std::pair<int, std::string>> routes_;
  calsync::testing::FakeHttpServer server_{[this](const calsync::testing::FakeRequest& r) { return handle(r); }};
};

}  // namespace calsync::ctl::testing
