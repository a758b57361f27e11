// One <t:CalendarItem> of a GetItem answer -> the model, and a recurring master with its
// exceptions -> one CalendarObject (master + RECURRENCE-ID overrides, EXDATEs for deleted
// occurrences), the unit the engine syncs.
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "ews/time_zones.h"

namespace calsync::ews {

struct ItemRef {
  std::string id;
  std::string change_key;
};

enum class ItemKind { Single, Occurrence, Exception, RecurringMaster };

struct OccurrenceRef {
  ItemRef item;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::optional<std::int64_t> original_start;
};

struct EwsItem {
  ItemRef ref;
  ItemKind kind = ItemKind::Single;
  Event event;                                  // uid, times, text; rrule on a master
  std::shared_ptr<const Zone> start_zone;       // the zone the start is read in
  std::vector<std::string> vtimezones;          // VTIMEZONEs of custom start/end zones
  std::optional<std::int64_t> original_start;   // an exception's RecurrenceId / OriginalStart
  std::vector<OccurrenceRef> modified;          // a master's exceptions
  std::vector<std::int64_t> deleted;            // a master's deleted occurrences (original starts)
  std::string origin;                           // calsync's origin marker, when present
};

// The PropertySetId of calsync's extended properties (a GUID calsync owns).
inline constexpr const char* kCalsyncPropertySet = "3d7b0f2e-6c1a-4f55-9b8e-2a61c4d9e7f3";
inline constexpr const char* kOriginPropertyName = "CalsyncOrigin";

// Reads one CalendarItem. Throws ConnectorError(BadData) when it cannot be mapped at all
// (no ItemId, no usable start); smaller gaps get defaults.
EwsItem readCalendarItem(const pugi::xml_node& item);

// A master (or single item) and the exceptions read for it -> one object, with its span
// computed. `exceptions` are matched to the master's occurrences; each becomes an override.
CalendarObject assembleObject(const EwsItem& master, const std::vector<EwsItem>& exceptions);

}  // namespace calsync::ews
