// Internal to calsync_ical: one libical VEVENT -> one Event of the model.
#pragma once

#include <libical/ical.h>

#include <optional>
#include <string>

#include "core/event.h"
#include "ical/zone_resolver.h"

namespace calsync::ical {

struct EventReadResult {
  std::optional<Event> event;   // unset when the VEVENT had to be skipped
  std::string origin;           // X-CALSYNC-ORIGIN, when present
  std::string error;            // why it was skipped; names no event content
};

// `zones` resolves absolute alarm triggers into offsets from the start.
EventReadResult readEvent(icalcomponent* vevent, const ZoneResolver& zones);

}  // namespace calsync::ical
