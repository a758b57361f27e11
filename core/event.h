// The calendar data model shared by every connector, the store and the sync engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date_time.h"

namespace calsync {

struct Calendar {
  std::string id;           // stable within its connector (href, folder id, file name)
  std::string name;
  std::string color;        // "#RRGGBB" or "#RRGGBBAA", empty when unknown
  std::string description;
  bool writable = false;
};

enum class EventStatus { None, Tentative, Confirmed, Cancelled };
enum class Transparency { Opaque, Transparent };
enum class PrivacyClass { Public, Private, Confidential };
enum class AttendeeRole { Chair, Required, Optional, NonParticipant };
enum class ParticipationStatus { NeedsAction, Accepted, Declined, Tentative, Delegated };

struct Person {
  std::string email;        // without "mailto:"
  std::string name;
};

struct Attendee {
  Person person;
  AttendeeRole role = AttendeeRole::Required;
  ParticipationStatus status = ParticipationStatus::NeedsAction;
  bool rsvp = false;
};

struct Reminder {
  // Offset of the alarm from the start (or end when `relative_to_end`), negative = before.
  std::int64_t offset_seconds = 0;
  bool relative_to_end = false;
  std::string action = "DISPLAY";
  std::string description;
};

struct Recurrence {
  std::string rrule;                // RFC 5545 RRULE value, e.g. "FREQ=WEEKLY;BYDAY=MO"
  std::vector<DateTime> exdates;
  std::vector<DateTime> rdates;
  bool empty() const { return rrule.empty() && rdates.empty(); }
};

// A property the model has no field for, kept verbatim so a round trip loses nothing.
struct ExtraProperty {
  std::string name;                 // e.g. "X-MICROSOFT-CDO-BUSYSTATUS"
  std::string params;               // ";"-joined parameters as written, may be empty
  std::string value;
};

// One VEVENT: a single event, the master of a series, or one overridden occurrence.
struct Event {
  std::string uid;
  std::optional<DateTime> recurrence_id;   // set on an override of one occurrence
  std::string summary;
  std::string description;
  std::string location;
  DateTime start;
  DateTime end;                            // exclusive; DURATION is normalized into this
  Recurrence recurrence;                   // only on a series master
  EventStatus status = EventStatus::None;
  Transparency transparency = Transparency::Opaque;
  PrivacyClass privacy = PrivacyClass::Public;
  std::optional<Person> organizer;
  std::vector<Attendee> attendees;
  std::vector<std::string> categories;
  std::vector<Reminder> reminders;
  std::string url;
  int sequence = 0;
  std::optional<DateTime> created;
  std::optional<DateTime> last_modified;
  std::vector<ExtraProperty> extra_properties;

  bool isAllDay() const { return start.is_date; }
  bool isRecurring() const { return !recurrence.empty(); }
};

// One calendar object in RFC 4791's sense: every VEVENT that shares a UID (a series master
// and its overrides, or a single event). It is the unit that connectors read and write,
// that gets hashed, and that becomes one copy in the destination.
struct CalendarObject {
  std::string native_id;            // the connector's id: CalDAV href, ICS "file#uid", ...
  std::string etag;                 // version token for conditional writes, may be empty
  std::string uid;
  std::vector<Event> components;    // master (or the only event) first, then overrides
  std::vector<std::string> vtimezones;  // VTIMEZONE blocks (iCalendar text) the object uses
  // Where a copy came from ("calsync:agent/source/calendar/uid"); empty on originals.
  // Written as X-CALSYNC-ORIGIN so copies are recognised even without a mapping.
  std::string origin;
  // Instants bounding every occurrence (end exclusive); INT64_MAX for an open-ended series.
  std::int64_t span_start_utc = 0;
  std::int64_t span_end_utc = 0;

  const Event* master() const;
};

// Where a stored event came from.
struct Provenance {
  std::string agent_id;
  std::string source;               // the [source.NAME] section name
  std::string calendar_id;
  std::string native_id;
};

// Half-open interval of instants that a sync covers.
struct Window {
  std::int64_t start_utc = 0;
  std::int64_t end_utc = 0;
  bool overlaps(std::int64_t from, std::int64_t to) const { return from < end_utc && to > start_utc; }
};

}  // namespace calsync
