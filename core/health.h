// The state of every connector instance, as /health and calsyncctl show it. Written by
// the agent and master runtimes, read by the HTTP API; safe to use from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace calsync {

struct ConnectorHealth {
  std::string name;               // "work", "destination"
  std::string type;               // "caldav"
  std::string role;               // "source" | "destination"
  std::string state = "pending";  // pending | ok | degraded | failing
  std::int64_t last_attempt = 0;  // epoch seconds
  std::int64_t last_success = 0;
  std::int64_t next_attempt = 0;  // when a failing connector is tried again
  int consecutive_failures = 0;
  std::string last_error;         // kind and message; never secrets, never event content
  std::int64_t calendars = 0;
  std::int64_t objects = 0;       // objects in the window at the last good read
  std::int64_t warnings = 0;      // items skipped at the last read
};

class HealthBoard {
 public:
  void update(const ConnectorHealth& health);
  std::vector<ConnectorHealth> snapshot() const;
  ConnectorHealth get(const std::string& role, const std::string& name) const;
  bool allOk() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, ConnectorHealth> entries_;  // by role + "/" + name
};

}  // namespace calsync
