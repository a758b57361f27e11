// Every admin change to the master: who, when, what, and the before and after images, so an
// admin can answer "who renamed this calendar" and undo it by hand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "store/store_error.h"

namespace calsync::store {

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string actor;     // "admin", "agent:ID", "api"
  std::string action;    // "calendar.update", "token.create", ...
  std::string target;
  std::string before;    // JSON image, empty when there was nothing before
  std::string after;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual void append(const AuditEntry& entry) = 0;
  virtual std::vector<AuditEntry> recent(std::size_t limit) = 0;
};

}  // namespace calsync::store
