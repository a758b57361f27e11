// Google Calendar event resources <-> the calendar model. A series is read whole: the master
// with its RRULE/EXDATE/RDATE lines, its modified instances as RECURRENCE-ID overrides, and its
// cancelled instances (which carry only id, recurringEventId and originalStartTime) as EXDATEs,
// never as a deletion of the series.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/connector.h"
#include "oauth/json_access.h"

namespace calsync::google {

// Private extended properties calsync writes on every event it creates: the origin marker of
// a copy, and the UID (Google derives iCalUID from the event id we choose).
inline constexpr const char* kOriginProperty = "calsyncOrigin";
inline constexpr const char* kUidProperty = "calsyncUid";

// One series (or one single event) as events.list returns it.
struct SeriesItems {
  json::Object::Ptr master;                     // null when only instances are visible
  std::vector<json::Object::Ptr> exceptions;    // modified instances
  std::vector<json::Object::Ptr> cancelled;     // cancelled instances of a live series
};

// The calendar object for one series. `calendar_zone` is the zone of values that name none.
// An instance that cannot be read is skipped with a warning (its occurrence then shows as the
// series defines it); a master that cannot be read throws ConnectorError(BadData).
CalendarObject objectFromSeries(const std::string& native_id, const SeriesItems& items, const std::string& calendar_zone,
                                std::vector<ReadWarning>& warnings);

// The uid an item stands for: the calsyncUid property when calsync wrote it, else iCalUID.
std::string uidOf(const json::Object::Ptr& item);

// The body for events.insert/patch of a master (with its recurrence lines, EXDATEs for
// cancelled overrides included) or of one overridden instance. Never carries attendees or
// an organizer: a copy must not invite anyone.
json::Object::Ptr masterBody(const CalendarObject& object, const std::string& calendar_zone);
json::Object::Ptr instanceBody(const Event& override_event, const CalendarObject& object, const std::string& calendar_zone);

// {"date": ...} or {"dateTime": ..., "timeZone": ...}; throws BadData for an unusable value.
json::Object::Ptr eventDateTime(const DateTime& value, const std::string& calendar_zone);

// The event id calsync gives the object with this UID: base32hex, derived from the UID, so a
// retried insert collides (409) instead of duplicating.
std::string eventIdForUid(const std::string& uid);

// An instance's originalStartTime, in the zone of the series start `master_start`.
std::optional<DateTime> originalStartOf(const json::Object::Ptr& instance, const DateTime& master_start,
                                        const std::string& calendar_zone);

// True when two RECURRENCE-ID/EXDATE values name the same occurrence.
bool sameOccurrence(const DateTime& a, const DateTime& b);

// RFC 3339 text of an override's original start, for instances?originalStart=.
std::string originalStartParameter(const DateTime& recurrence_id, const std::string& calendar_zone);

}  // namespace calsync::google
