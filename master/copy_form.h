// A source object and its copy in the destination are one event in two forms: the copy
// carries a derived UID and the origin marker (master/copy_identity.h), the source form the
// source's own UID and no marker. Merges, bases and routed edits all work in the source form.
#pragma once

#include <string>

#include "core/event.h"
#include "store/master_store.h"

namespace calsync::master {

// The copy of `source_form` for the destination: copy UID and origin marker on it.
CalendarObject toCopyForm(CalendarObject source_form, const store::ObjectKey& key, const std::string& source_uid);

// A copy as read from the destination, mapped back: the source's UID, no origin marker.
CalendarObject toSourceForm(CalendarObject copy, const std::string& source_uid);

// iCalendar text <-> one object. parseOne throws ConnectorError(BadData) unless the text
// holds exactly one calendar object.
CalendarObject parseOne(const std::string& ical_text, const std::string& what);
std::string toIcal(const CalendarObject& object);

}  // namespace calsync::master
