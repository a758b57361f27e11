#include "olk15/event_mapping.h"

#include <algorithm>
#include <array>

#include "core/date_time.h"
#include "olk15/format_error.h"
#include "olk15/html_text.h"
#include "olk15/win_time.h"
#include "olk15/zone_time.h"

namespace calsync::olk15 {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::array<const char*, 7> kDays{"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

// Escapes TEXT for a property value written verbatim (RFC 5545 §3.3.11).
std::string escapeText(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;  // control characters cannot be written
        out.push_back(c);
    }
  }
  return out;
}

DateTime dateOf(std::int64_t epoch) {
  DateTime d = epochToUtc(epoch);
  d.hour = d.minute = d.second = 0;
  d.is_date = true;
  d.tzid.clear();
  d.utc = civilToEpoch(d.year, d.month, d.day, 0, 0, 0);
  return d;
}

DateTime utcTime(std::int64_t epoch) { return epochToUtc(epoch); }

// The wall time `local_minutes` in `zone`, checked against the instant Outlook stored in UTC;
// the UTC time when they disagree (a zone record that does not describe the event's times).
DateTime zonedTime(std::int64_t utc_epoch, std::optional<std::int32_t> local_minutes, const EventZone& zone) {
  if (zone.tzid.empty() || !local_minutes) return utcTime(utc_epoch);
  DateTime wall = epochToUtc(minutes1601ToEpoch(*local_minutes));
  wall.tzid = zone.tzid;
  wall.utc = utc_epoch;
  if (zone.iana) {
    const auto resolved = resolveWithIana(wall);
    if (!resolved || *resolved != utc_epoch) {
      // The local pair may not match the zone (P1 saw local times track DST): trust UTC and
      // still write the zone's wall time for that instant.
      if (auto converted = wallTimeIn(zone.tzid, utc_epoch)) return *converted;
      return utcTime(utc_epoch);
    }
  }
  return wall;
}

Reminder reminderBefore(std::int32_t minutes) {
  Reminder r;
  r.offset_seconds = -std::int64_t{minutes} * 60;
  r.action = "DISPLAY";
  r.description = "Reminder";
  return r;
}

AttendeeRole roleFor(int recipient_type) {
  switch (recipient_type) {
    case 1: return AttendeeRole::Optional;
    case 2: return AttendeeRole::NonParticipant;  // a resource (room, equipment)
    default: return AttendeeRole::Required;
  }
}

ParticipationStatus statusFor(std::optional<int> response) {
  switch (response.value_or(0)) {
    case 1: return ParticipationStatus::Accepted;
    case 2: return ParticipationStatus::Tentative;
    case 3: return ParticipationStatus::Declined;
    default: return ParticipationStatus::NeedsAction;
  }
}

bool plainUrl(const std::string& url) {
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return false;
  return std::none_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; });
}

std::string weekdays(int mask) {
  std::string out;
  for (int i = 0; i < 7; ++i) {
    if (mask & (1 << i)) out += (out.empty() ? "" : ",") + std::string(kDays[static_cast<std::size_t>(i)]);
  }
  return out;
}

int weekdayOf(const DateTime& d) {
  const std::int64_t days = civilToEpoch(d.year, d.month, d.day, 0, 0, 0) / kDay;
  return static_cast<int>(((days % 7) + 11) % 7);  // 0 = Sunday; 1970-01-01 was a Thursday
}

// A date-or-time in the series' terms: the occurrence on the date of `minutes` at the
// master's wall-clock time when `minutes` is a midnight, else the occurrence at that instant.
DateTime seriesDate(std::int64_t minutes, const MappedEvent& master) {
  const DateTime& start = master.event.start;
  if (minutes % 1440 == 0) {
    const DateTime day = dateOf(minutes1601ToEpoch(minutes));
    if (start.is_date) return day;
    DateTime t = start;
    t.year = day.year;
    t.month = day.month;
    t.day = day.day;
    t.utc.reset();
    if (t.tzid == "UTC") t.utc = civilToEpoch(t.year, t.month, t.day, t.hour, t.minute, t.second);
    if (master.zone.iana) t.utc = resolveWithIana(t);
    return t;
  }
  return occurrenceId(minutes, master);
}

}  // namespace

std::string rruleFor(const OlkRecurrence& r, const DateTime& start, std::int64_t start_epoch) {
  // Parts in the order libical writes them (FREQ, UNTIL|COUNT, INTERVAL unless 1, BYDAY,
  // BYMONTHDAY, BYMONTH, BYSETPOS), so the rule reads back identically from iCalendar.
  std::string freq, byday, bymonthday, bymonth, bysetpos;
  int interval = std::max(1, r.interval);
  const std::string start_day = kDays[static_cast<std::size_t>(weekdayOf(start))];
  const int nth = r.nth == 5 ? -1 : std::clamp(r.nth, 1, 4);
  auto daysOr = [&](int mask) {
    const std::string days = weekdays(mask);
    return days.empty() ? start_day : days;
  };
  switch (r.pattern) {
    case 0:  // daily; the interval is stored in minutes (1440 = every day)
      freq = "DAILY";
      if (r.interval >= 1440) interval = std::max(1, r.interval / 1440);
      break;
    case 1:
      freq = "WEEKLY";
      byday = daysOr(r.weekday_mask);
      break;
    case 2:
      freq = "MONTHLY";
      bymonthday = std::to_string(r.day_of_month >= 1 && r.day_of_month <= 31 ? r.day_of_month : start.day);
      break;
    case 3:
      freq = "MONTHLY";
      byday = daysOr(r.nth_weekday_mask);
      bysetpos = std::to_string(nth);
      break;
    case 5:  // yearly; the interval may be stored in months [S]
      freq = "YEARLY";
      if (r.interval >= 12) interval = std::max(1, r.interval / 12);
      break;
    case 6:
      freq = "YEARLY";
      interval = 1;
      byday = daysOr(r.nth_weekday_mask);
      bymonth = std::to_string(start.month);
      bysetpos = std::to_string(nth);
      break;
    default: return "";
  }
  std::string rule = "FREQ=" + freq;
  if (r.end_type == 8225 && r.until) {
    // UNTIL is inclusive: the end of the until-day in the series' own terms.
    const DateTime until_day = dateOf(minutes1601ToEpoch(*r.until));
    if (start.is_date) {
      rule += ";UNTIL=" + until_day.toIcalValue();
    } else {
      DateTime last = start;
      last.year = until_day.year;
      last.month = until_day.month;
      last.day = until_day.day;
      last.hour = 23;
      last.minute = 59;
      last.second = 59;
      std::int64_t until_epoch = civilToEpoch(last.year, last.month, last.day, 23, 59, 59);
      if (!start.tzid.empty() && !start.isUtc()) {
        // The offset at the series start, refined by the zone database when it knows the zone.
        const std::int64_t wall_start =
            civilToEpoch(start.year, start.month, start.day, start.hour, start.minute, start.second);
        until_epoch -= wall_start - start_epoch;
        if (auto exact = resolveWithIana(last)) until_epoch = *exact;
      }
      rule += ";UNTIL=" + epochToUtc(until_epoch).toIcalValue();
    }
  } else if (r.end_type == 8226 && r.count > 0) {
    rule += ";COUNT=" + std::to_string(r.count);
  }
  if (interval != 1) rule += ";INTERVAL=" + std::to_string(interval);
  if (!byday.empty()) rule += ";BYDAY=" + byday;
  if (!bymonthday.empty()) rule += ";BYMONTHDAY=" + bymonthday;
  if (!bymonth.empty()) rule += ";BYMONTH=" + bymonth;
  if (!bysetpos.empty()) rule += ";BYSETPOS=" + bysetpos;
  return rule;
}

DateTime occurrenceId(std::int64_t original_start_minutes, const MappedEvent& master) {
  const std::int64_t epoch = minutes1601ToEpoch(original_start_minutes);
  const DateTime& start = master.event.start;
  if (start.is_date) return dateOf(epoch);
  if (master.zone.iana) {
    if (auto wall = wallTimeIn(master.zone.tzid, epoch)) return *wall;
  }
  return utcTime(epoch);
}

MappedEvent mapEvent(const OlkEvent& e, const std::string& uid) {
  if (!e.start_utc) throw FormatError("event has no start time");
  MappedEvent out;
  Event& ev = out.event;
  ev.uid = uid;
  ev.summary = e.subject;
  ev.location = e.location;
  if (!e.html_body.empty()) {
    if (looksLikeHtml(e.html_body)) {
      ev.description = htmlToText(e.html_body);
      ev.extra_properties.push_back({"X-ALT-DESC", "FMTTYPE=text/html", escapeText(e.html_body)});
    } else {
      ev.description = e.html_body;
    }
  }

  const std::int64_t start_epoch = minutes1601ToEpoch(*e.start_utc);
  std::int64_t end_epoch = e.end_utc ? minutes1601ToEpoch(*e.end_utc) : start_epoch;
  if (end_epoch < start_epoch) end_epoch = start_epoch;
  if (e.all_day) {
    // Stored as UTC midnight to UTC midnight (§3.2): dates, never shifted into a zone. A start
    // that is not midnight takes the organiser's local date.
    const bool midnight = *e.start_utc % 1440 == 0;
    const std::int64_t day_start = midnight || !e.start_local ? start_epoch : minutes1601ToEpoch(*e.start_local);
    ev.start = dateOf(day_start);
    const std::int64_t days = std::max<std::int64_t>(1, (end_epoch - start_epoch + kDay - 1) / kDay);
    ev.end = dateOf(*ev.start.utc + days * kDay);
  } else {
    out.zone = chooseZone(e.zone);
    ev.start = zonedTime(start_epoch, e.start_local, out.zone);
    ev.end = zonedTime(end_epoch, e.end_local, out.zone);
    const bool zone_used = ev.start.tzid == out.zone.tzid || ev.end.tzid == out.zone.tzid;
    if (!zone_used) out.zone = EventZone{};
  }

  if (e.cancelled) ev.status = EventStatus::Cancelled;
  if (e.busy_status == 1) ev.transparency = Transparency::Transparent;
  if (e.sensitivity == 1 || e.sensitivity == 2) ev.privacy = PrivacyClass::Private;
  if (e.sensitivity == 3) ev.privacy = PrivacyClass::Confidential;
  static constexpr std::array<const char*, 4> kBusy{"BUSY", "FREE", "TENTATIVE", "OOF"};
  if (e.busy_status && *e.busy_status >= 0 && *e.busy_status <= 3) {
    ev.extra_properties.push_back({"X-MICROSOFT-CDO-BUSYSTATUS", "", kBusy[static_cast<std::size_t>(*e.busy_status)]});
  }
  if (e.priority == 1 || e.priority == 2) ev.extra_properties.push_back({"PRIORITY", "", "1"});
  if (e.priority == 4 || e.priority == 5) ev.extra_properties.push_back({"PRIORITY", "", "9"});

  for (const auto& a : e.attendees) {
    if (a.person.email.empty()) continue;  // a group without an address cannot be an ATTENDEE
    Attendee attendee;
    attendee.person = {a.person.email, a.person.name};
    attendee.role = roleFor(a.recipient_type);
    attendee.status = statusFor(a.response);
    ev.attendees.push_back(std::move(attendee));
  }
  // An ORGANIZER only on meetings: with no attendees it would only make the copy look like
  // a scheduling message.
  if (!ev.attendees.empty()) {
    Person organizer;
    if (e.organizer) organizer = {e.organizer->email, e.organizer->name};
    if (organizer.email.empty()) organizer.email = e.organizer_address;
    if (!organizer.email.empty()) ev.organizer = organizer;
  }

  if (e.reminder_minutes && *e.reminder_minutes >= 0 && e.has_reminder.value_or(true)) {
    ev.reminders.push_back(reminderBefore(*e.reminder_minutes));
  }
  if (plainUrl(e.online_meeting_url)) ev.url = e.online_meeting_url;
  if (const auto t = e.created_cf ? cfSecondsToEpoch(*e.created_cf) : std::nullopt) ev.created = utcTime(*t);
  if (const auto t = e.modified_cf ? cfSecondsToEpoch(*e.modified_cf) : std::nullopt) ev.last_modified = utcTime(*t);

  if (e.recurrence) {
    ev.recurrence.rrule = rruleFor(*e.recurrence, ev.start, start_epoch);
    if (!ev.recurrence.rrule.empty()) {
      for (const std::int32_t m : e.recurrence->exception_dates) ev.recurrence.exdates.push_back(seriesDate(m, out));
      for (const std::int32_t m : e.recurrence->extra_dates) ev.recurrence.rdates.push_back(seriesDate(m, out));
    }
  }
  return out;
}

}  // namespace calsync::olk15
