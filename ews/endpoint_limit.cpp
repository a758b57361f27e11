#include "ews/endpoint_limit.h"

#include <algorithm>
#include <map>

namespace calsync::ews {

std::shared_ptr<EndpointLimit> EndpointLimit::forUrl(const std::string& url, int slots) {
  static std::mutex mutex;
  // Weak, so an endpoint no connector uses any more does not pin its semaphore.
  static std::map<std::string, std::weak_ptr<EndpointLimit>> limits;
  std::lock_guard lock(mutex);
  if (auto existing = limits[url].lock()) return existing;
  auto limit = std::make_shared<EndpointLimit>(std::max(1, slots));
  limits[url] = limit;
  return limit;
}

void EndpointLimit::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return free_ > 0; });
  --free_;
  ++held_;
  peak_ = std::max(peak_, held_);
}

void EndpointLimit::release() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
    --held_;
  }
  freed_.notify_one();
}

int EndpointLimit::inUse() const {
  std::lock_guard lock(mutex_);
  return held_;
}

int EndpointLimit::peak() const {
  std::lock_guard lock(mutex_);
  return peak_;
}

}  // namespace calsync::ews
