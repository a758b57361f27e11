// Finding a calendar by the public id the API shows for it.
#include "master/api/context.h"
#include "master/master_runtime.h"
#include "master/public_ids.h"

namespace calsync::master::api {

std::optional<store::StoredCalendar> findCalendar(Context& context, const std::string& public_id) {
  for (auto& c : context.runtime.store().calendars()) {
    if (publicCalendarId(c.agent_id, c.source, c.calendar.id) == public_id) return c;
  }
  return std::nullopt;
}

}  // namespace calsync::master::api
