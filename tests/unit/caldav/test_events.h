// Small builders for the CalDAV tests' events and iCalendar text.
#pragma once

#include <string>

#include "core/event.h"

namespace calsync::caldav::testing {

DateTime utc(int year, int month, int day, int hour, int minute = 0);

// One single event on 2026-03-`day` 09:00-10:00 UTC.
CalendarObject singleEvent(const std::string& uid, const std::string& summary, int day = 10);

// A minimal VCALENDAR holding one VEVENT, as a server would store it.
std::string icalText(const std::string& uid, const std::string& summary);

// Where the tests' window is: all of 2026.
Window year2026();

}  // namespace calsync::caldav::testing
