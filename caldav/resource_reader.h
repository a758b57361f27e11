// Turning one calendar resource's iCalendar text into the object it holds.
#pragma once

#include <optional>
#include <string>

#include "core/event.h"

namespace calsync::caldav {

struct ResourceRead {
  std::optional<CalendarObject> object;  // set when the resource holds one event object
  bool not_an_event = false;             // a task, journal or free/busy resource: ignore it
  std::string problem;                   // why neither: the resource could not be used
};

// `path` and `etag` become the object's native_id and etag. A resource must hold exactly one
// UID's VEVENTs (RFC 4791 4.1); anything else is a problem, never a silent drop.
ResourceRead readResource(const std::string& path, const std::string& etag, const std::string& ical_text);

}  // namespace calsync::caldav
