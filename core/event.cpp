#include "core/event.h"

namespace calsync {

const Event* CalendarObject::master() const {
  for (const auto& c : components) {
    if (!c.recurrence_id) return &c;
  }
  return nullptr;
}

}  // namespace calsync
