// The model -> EWS CalendarItem XML for CreateItem, and <t:ItemChange> updates for UpdateItem
// (on a master or single item, or on one occurrence of a series). Attendees are never
// written: a copy with attendees would be a meeting Exchange could send mail about.
#pragma once

#include <memory>
#include <string>

#include "core/event.h"
#include "ews/item_reader.h"
#include "ews/time_zones.h"

namespace calsync::ews {

struct WriteZones {
  std::shared_ptr<const Zone> all_day;   // where all-day (and floating) events are placed
};

// <t:CalendarItem> with UID, the origin marker (when non-empty) and the recurrence of
// `master`. Throws ConnectorError(BadData) for what Exchange cannot hold.
std::string calendarItemXml(const Event& master, const std::string& uid, const std::string& origin,
                            const WriteZones& zones);

enum class RecurrenceUpdate { Keep, Set, Remove };

// <t:ItemChange> setting every mapped field of `master` on item `ref`.
std::string masterChangeXml(const ItemRef& ref, const Event& master, const std::string& origin,
                            RecurrenceUpdate recurrence, const WriteZones& zones);

// <t:ItemChange> for occurrence `instance_index` (1-based) of series `master_id`.
std::string occurrenceChangeXml(const std::string& master_id, int instance_index, const Event& occurrence,
                                const WriteZones& zones);

// <t:OccurrenceItemId .../> for DeleteItem.
std::string occurrenceIdXml(const std::string& master_id, int instance_index);

// The instant of a model time, for writing; throws ConnectorError(BadData) when unresolvable.
std::int64_t instantOf(const DateTime& value, const WriteZones& zones);

}  // namespace calsync::ews
