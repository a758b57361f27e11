#include "master/rate_limiter.h"

#include <algorithm>

namespace calsync::master {

bool RateLimiter::allow(const std::string& key, std::chrono::steady_clock::time_point now, double* retry_after) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    const double elapsed = std::chrono::duration<double>(now - bucket.refreshed).count();
    bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * per_second_);
    bucket.refreshed = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  if (retry_after) *retry_after = (1.0 - bucket.tokens) / per_second_;
  return false;
}

}  // namespace calsync::master
