// Per-client token buckets: each key may make `burst` requests at once and `per_second` on
// average after that. A busy fleet cannot starve the master, nor one agent the others.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace calsync::master {

class RateLimiter {
 public:
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}
  // True when the request may go ahead; otherwise `retry_after` says how long to wait.
  bool allow(const std::string& key, std::chrono::steady_clock::time_point now, double* retry_after_seconds);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refreshed;
  };
  double per_second_;
  double burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace calsync::master
