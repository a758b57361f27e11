#include "ews/item_reader.h"

#include <algorithm>
#include <cctype>

#include "core/errors.h"
#include "ews/ews_time.h"
#include "ews/recurrence_map.h"
#include "ews/soap_xml.h"
#include "ical/ical_codec.h"

namespace calsync::ews {
namespace {

[[noreturn]] void badItem(const std::string& id, const std::string& why) {
  throw ConnectorError(ErrorKind::BadData, "calendar item " + (id.empty() ? std::string("without id") : id) + ": " + why);
}

bool sameGuid(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

ItemRef readRef(const pugi::xml_node& node) {
  return ItemRef{node.attribute("Id").value(), node.attribute("ChangeKey").value()};
}

std::optional<std::int64_t> instantOf(const pugi::xml_node& node) {
  if (!node) return std::nullopt;
  return parseDateTime(node.child_value());
}

DateTime dateOnly(const DateTime& wall) {
  DateTime date;
  date.year = wall.year;
  date.month = wall.month;
  date.day = wall.day;
  date.is_date = true;
  date.utc = civilToEpoch(wall.year, wall.month, wall.day, 0, 0, 0);
  return date;
}

ParticipationStatus responseStatus(std::string_view response) {
  if (response == "Accept" || response == "Organizer") return ParticipationStatus::Accepted;
  if (response == "Decline") return ParticipationStatus::Declined;
  if (response == "Tentative") return ParticipationStatus::Tentative;
  return ParticipationStatus::NeedsAction;
}

Person readMailbox(const pugi::xml_node& holder) {
  pugi::xml_node mailbox = child(holder, "Mailbox");
  return Person{childText(mailbox, "EmailAddress"), childText(mailbox, "Name")};
}

void readAttendees(const pugi::xml_node& list, AttendeeRole role, std::vector<Attendee>& out) {
  for (pugi::xml_node attendee = list.first_child(); attendee; attendee = attendee.next_sibling()) {
    if (localName(attendee) != "Attendee") continue;
    Attendee entry;
    entry.person = readMailbox(attendee);
    entry.role = role;
    entry.status = responseStatus(childText(attendee, "ResponseType"));
    if (!entry.person.email.empty()) out.push_back(std::move(entry));
  }
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

}  // namespace

EwsItem readCalendarItem(const pugi::xml_node& item) {
  EwsItem out;
  Event& event = out.event;
  pugi::xml_node start_node, end_node, start_zone_node, end_zone_node, legacy_zone_node, recurrence_node;
  bool all_day = false;
  bool reminder_set = false;
  std::optional<std::int64_t> reminder_minutes;
  std::string kind_text = "Single";
  std::string busy;
  std::optional<std::int64_t> recurrence_id;

  for (pugi::xml_node field = item.first_child(); field; field = field.next_sibling()) {
    if (field.type() != pugi::node_element) continue;
    const std::string_view name = localName(field);
    if (name == "ItemId") {
      out.ref = readRef(field);
    } else if (name == "Subject") {
      event.summary = field.child_value();
    } else if (name == "Body") {
      event.description = field.child_value();
    } else if (name == "Location") {
      event.location = field.child_value();
    } else if (name == "Start") {
      start_node = field;
    } else if (name == "End") {
      end_node = field;
    } else if (name == "StartTimeZone") {
      start_zone_node = field;
    } else if (name == "EndTimeZone") {
      end_zone_node = field;
    } else if (name == "MeetingTimeZone" || name == "TimeZone") {
      if (name == "MeetingTimeZone") legacy_zone_node = field;
    } else if (name == "IsAllDayEvent") {
      all_day = std::string_view(field.child_value()) == "true";
    } else if (name == "UID") {
      event.uid = field.child_value();
    } else if (name == "CalendarItemType") {
      kind_text = field.child_value();
    } else if (name == "RecurrenceId" || (name == "OriginalStart" && !recurrence_id)) {
      recurrence_id = parseDateTime(field.child_value());
    } else if (name == "Recurrence") {
      recurrence_node = field;
    } else if (name == "ModifiedOccurrences") {
      for (pugi::xml_node occurrence : field.children()) {
        if (localName(occurrence) != "Occurrence") continue;
        OccurrenceRef ref;
        ref.item = readRef(child(occurrence, "ItemId"));
        ref.start = instantOf(child(occurrence, "Start")).value_or(0);
        ref.end = instantOf(child(occurrence, "End")).value_or(0);
        ref.original_start = instantOf(child(occurrence, "OriginalStart"));
        if (ref.item.id.empty()) badItem(out.ref.id, "a modified occurrence without ItemId");
        out.modified.push_back(std::move(ref));
      }
    } else if (name == "DeletedOccurrences") {
      for (pugi::xml_node occurrence : field.children()) {
        if (localName(occurrence) != "DeletedOccurrence") continue;
        auto start = instantOf(child(occurrence, "Start"));
        if (!start) badItem(out.ref.id, "a deleted occurrence without a readable Start");
        out.deleted.push_back(*start);
      }
    } else if (name == "LegacyFreeBusyStatus") {
      busy = field.child_value();
    } else if (name == "IsCancelled") {
      if (std::string_view(field.child_value()) == "true") event.status = EventStatus::Cancelled;
    } else if (name == "Sensitivity") {
      std::string_view value = field.child_value();
      event.privacy = value == "Private" ? PrivacyClass::Private
                      : value == "Confidential" ? PrivacyClass::Confidential
                                                : PrivacyClass::Public;
    } else if (name == "Organizer") {
      Person organizer = readMailbox(field);
      if (!organizer.email.empty()) event.organizer = organizer;
    } else if (name == "RequiredAttendees") {
      readAttendees(field, AttendeeRole::Required, event.attendees);
    } else if (name == "OptionalAttendees") {
      readAttendees(field, AttendeeRole::Optional, event.attendees);
    } else if (name == "Resources") {
      readAttendees(field, AttendeeRole::NonParticipant, event.attendees);
    } else if (name == "Categories") {
      for (pugi::xml_node category : field.children()) {
        if (localName(category) == "String" && *category.child_value()) event.categories.push_back(category.child_value());
      }
    } else if (name == "ReminderIsSet") {
      reminder_set = std::string_view(field.child_value()) == "true";
    } else if (name == "ReminderMinutesBeforeStart") {
      try {
        reminder_minutes = std::stoll(field.child_value());
      } catch (const std::exception&) {
      }
    } else if (name == "AppointmentSequenceNumber") {
      try {
        event.sequence = std::stoi(field.child_value());
      } catch (const std::exception&) {
      }
    } else if (name == "DateTimeCreated" || name == "LastModifiedTime") {
      if (auto instant = parseDateTime(field.child_value())) {
        DateTime value = epochToUtc(*instant);
        value.tzid = "UTC";
        value.utc = *instant;
        (name == "DateTimeCreated" ? event.created : event.last_modified) = value;
      }
    } else if (name == "ExtendedProperty") {
      pugi::xml_node uri = child(field, "ExtendedFieldURI");
      if (sameGuid(uri.attribute("PropertySetId").value(), kCalsyncPropertySet) &&
          std::string_view(uri.attribute("PropertyName").value()) == kOriginPropertyName) {
        out.origin = childText(field, "Value");
      }
    }
  }

  if (out.ref.id.empty()) badItem("", "no ItemId");
  if (kind_text == "Single") out.kind = ItemKind::Single;
  else if (kind_text == "Occurrence") out.kind = ItemKind::Occurrence;
  else if (kind_text == "Exception") out.kind = ItemKind::Exception;
  else if (kind_text == "RecurringMaster") out.kind = ItemKind::RecurringMaster;
  else badItem(out.ref.id, "unknown CalendarItemType '" + kind_text + "'");

  auto start = instantOf(start_node);
  auto end = instantOf(end_node);
  if (!start) badItem(out.ref.id, "no readable Start");
  if (!end || *end < *start) end = start;

  auto start_zone = zoneFromDefinition(start_zone_node ? start_zone_node : legacy_zone_node);
  auto end_zone = end_zone_node ? zoneFromDefinition(end_zone_node) : start_zone;
  if (!start_zone) start_zone = Zone::utc();
  if (!end_zone) end_zone = start_zone;
  out.start_zone = start_zone;
  for (const auto* zone : {start_zone.get(), end_zone.get()}) {
    if (!zone->isCustom()) continue;
    std::string text = zone->vtimezone();
    if (std::find(out.vtimezones.begin(), out.vtimezones.end(), text) == out.vtimezones.end()) out.vtimezones.push_back(text);
  }

  if (all_day) {
    // An all-day event runs from midnight to midnight in the zone it was created in.
    event.start = dateOnly(start_zone->wallTime(*start));
    event.end = dateOnly(end_zone->wallTime(*end));
    if (event.end.utc <= event.start.utc) {
      event.end = dateOnly(epochToUtc(*event.start.utc + 86400));
    }
  } else {
    event.start = start_zone->wallTime(*start);
    event.end = end_zone->wallTime(*end);
  }
  if (out.kind == ItemKind::Exception || out.kind == ItemKind::Occurrence) out.original_start = recurrence_id;
  if (out.kind == ItemKind::RecurringMaster) {
    if (!recurrence_node) badItem(out.ref.id, "a recurring master without Recurrence");
    try {
      event.recurrence.rrule = rruleFromRecurrence(recurrence_node, *start_zone, all_day);
    } catch (const ConnectorError& e) {
      badItem(out.ref.id, e.what());
    }
  }
  if (busy == "Free") event.transparency = Transparency::Transparent;
  if (!busy.empty() && busy != "Busy") {
    // Outlook's own iCalendar export keeps the four-way status this way.
    event.extra_properties.push_back({"X-MICROSOFT-CDO-BUSYSTATUS", "", upper(busy)});
  }
  if (reminder_set && reminder_minutes) {
    Reminder reminder;
    reminder.offset_seconds = -*reminder_minutes * 60;
    event.reminders.push_back(reminder);
  }
  return out;
}

CalendarObject assembleObject(const EwsItem& master, const std::vector<EwsItem>& exceptions) {
  CalendarObject object;
  object.native_id = master.ref.id;
  object.etag = master.ref.change_key;
  object.uid = master.event.uid;
  object.origin = master.origin;
  Event first = master.event;
  first.uid = object.uid;
  first.recurrence_id.reset();
  const Zone& zone = master.start_zone ? *master.start_zone : *Zone::utc();
  auto addZones = [&](const EwsItem& item) {
    for (const auto& text : item.vtimezones) {
      if (std::find(object.vtimezones.begin(), object.vtimezones.end(), text) == object.vtimezones.end()) {
        object.vtimezones.push_back(text);
      }
    }
  };
  addZones(master);

  // A recurrence id names the occurrence as the master's rule generates it: in the master's
  // zone, as a date for all-day series.
  auto occurrenceId = [&](std::int64_t original) {
    DateTime wall = zone.wallTime(original);
    return first.isAllDay() ? dateOnly(wall) : wall;
  };
  if (master.kind == ItemKind::RecurringMaster) {
    std::vector<std::int64_t> deleted = master.deleted;
    std::sort(deleted.begin(), deleted.end());
    deleted.erase(std::unique(deleted.begin(), deleted.end()), deleted.end());
    for (std::int64_t original : deleted) first.recurrence.exdates.push_back(occurrenceId(original));
  }
  object.components.push_back(first);

  std::vector<Event> overrides;
  for (const EwsItem& exception : exceptions) {
    std::optional<std::int64_t> original = exception.original_start;
    for (const auto& ref : master.modified) {
      if (ref.item.id == exception.ref.id && ref.original_start) original = ref.original_start;
    }
    if (!original) badItem(exception.ref.id, "an exception without its original start");
    Event override_event = exception.event;
    override_event.uid = object.uid;
    override_event.recurrence = Recurrence{};
    override_event.recurrence_id = occurrenceId(*original);
    addZones(exception);
    overrides.push_back(std::move(override_event));
  }
  std::sort(overrides.begin(), overrides.end(), [](const Event& a, const Event& b) {
    return a.recurrence_id->utc.value_or(0) < b.recurrence_id->utc.value_or(0);
  });
  for (auto& e : overrides) object.components.push_back(std::move(e));
  ical::computeSpan(object);
  return object;
}

}  // namespace calsync::ews
