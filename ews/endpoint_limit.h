// A small counting semaphore per EWS endpoint URL, shared by every connector in the process
// that talks to it: Exchange budgets concurrent requests per user (EWSMaxConcurrency), and a
// source and the destination on the same server must not exceed it together.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace calsync::ews {

class EndpointLimit {
 public:
  // The limit for `url`; the first caller's `slots` sets its size.
  static std::shared_ptr<EndpointLimit> forUrl(const std::string& url, int slots);

  explicit EndpointLimit(int slots) : free_(slots) {}
  void acquire();
  void release();
  int inUse() const;
  int peak() const;   // the most slots ever held at once (tests check the limit holds)

  class Slot {
   public:
    explicit Slot(EndpointLimit& limit) : limit_(limit) { limit_.acquire(); }
    ~Slot() { limit_.release(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    EndpointLimit& limit_;
  };

 private:
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int free_;
  int held_ = 0;
  int peak_ = 0;
};

}  // namespace calsync::ews
