// Microsoft Graph event resources <-> the calendar model. A series is read as its master (with
// the RRULE its patternedRecurrence stands for) plus its instances inside a checked window:
// exceptions become RECURRENCE-ID overrides, and occurrences of the rule that Graph no longer
// lists there (cancelled ones; v1.0 has no list of them) become EXDATEs. Times come in UTC and
// are put back into the event's own zone (Windows names mapped to IANA through CLDR).
#pragma once

#include <string>
#include <vector>

#include "core/connector.h"
#include "oauth/json_access.h"

namespace calsync::graph {

// Single-value extended properties calsync writes on every event it creates.
extern const char* const kOriginPropertyId;   // "String {guid} Name calsyncOrigin"
extern const char* const kUidPropertyId;      // "String {guid} Name calsyncUid"
// The $expand that returns them with an event.
std::string extendedPropertiesExpand();

// A single event (singleInstance) as one object. Throws ConnectorError(BadData) when unusable.
CalendarObject objectFromSingle(const json::Object::Ptr& item, std::vector<ReadWarning>& warnings);

struct GraphSeries {
  json::Object::Ptr master;                    // type seriesMaster
  std::vector<json::Object::Ptr> instances;    // occurrences and exceptions Graph listed
  Window checked;                              // where a missing occurrence means "cancelled"
};
CalendarObject objectFromSeries(const GraphSeries& series, std::vector<ReadWarning>& warnings);

// The uid an item stands for: the calsyncUid property when calsync wrote it, else iCalUId.
std::string uidOf(const json::Object::Ptr& item);

// Bodies for POST/PATCH: a master (with its recurrence) or an overridden occurrence. Never
// attendees or an organizer.
json::Object::Ptr masterBody(const CalendarObject& object);
json::Object::Ptr occurrenceBody(const Event& override_event, const CalendarObject& object);

// The instant an instance was scheduled at originally (originalStart), if it says.
std::optional<std::int64_t> originalStartOf(const json::Object::Ptr& instance);

}  // namespace calsync::graph
