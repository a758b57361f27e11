#include "olk15/object_builder.h"

#include <algorithm>
#include <limits>

#include "ical/ical_codec.h"
#include "olk15/event_mapping.h"
#include "olk15/win_time.h"

namespace calsync::olk15 {
namespace {

bool sameInstant(const DateTime& a, const DateTime& b) {
  if (a.is_date || b.is_date) return a.is_date == b.is_date && a.year == b.year && a.month == b.month && a.day == b.day;
  return a.utc && b.utc && *a.utc == *b.utc;
}

}  // namespace

void spanFromRows(const EventGroup& group, std::int64_t& start, std::int64_t& end) {
  start = std::numeric_limits<std::int64_t>::max();
  end = std::numeric_limits<std::int64_t>::min();
  for (const EventRow* r : group.rows) {
    start = std::min(start, minutes1601ToEpoch(r->start_minutes));
    end = std::max(end, minutes1601ToEpoch(std::max(r->end_minutes, r->start_minutes)));
  }
}

CalendarObject buildObject(const EventGroup& group, const std::vector<OlkEvent>& events) {
  CalendarObject object;
  object.native_id = group.native_id;
  object.uid = group.uid;
  const bool has_master = group.rows.front()->record_id == group.id && group.rows.front()->recurrence_id == 0;
  MappedEvent master = mapEvent(events.front(), group.uid);
  std::vector<MappedEvent> overrides;
  for (std::size_t i = has_master ? 1 : 0; i < events.size(); ++i) {
    MappedEvent o = mapEvent(events[i], group.uid);
    const std::int64_t original = events[i].recurrence_id != 0 ? events[i].recurrence_id : group.rows[i]->recurrence_id;
    // Without a master, an occurrence is named in its own terms.
    o.event.recurrence_id = occurrenceId(original, has_master ? master : o);
    o.event.recurrence.rrule.clear();
    o.event.recurrence.exdates.clear();
    o.event.recurrence.rdates.clear();
    overrides.push_back(std::move(o));
  }
  std::sort(overrides.begin(), overrides.end(), [](const MappedEvent& a, const MappedEvent& b) {
    return a.event.recurrence_id->toIcalValue() < b.event.recurrence_id->toIcalValue();
  });

  std::vector<const MappedEvent*> all;
  if (has_master) {
    Recurrence& rec = master.event.recurrence;
    for (const auto& o : overrides) {
      const DateTime& id = *o.event.recurrence_id;
      if (!rec.rrule.empty()) {
        // A modified occurrence is not also excluded: EXDATE would hide the override.
        rec.exdates.erase(std::remove_if(rec.exdates.begin(), rec.exdates.end(),
                                         [&](const DateTime& x) { return sameInstant(x, id); }),
                          rec.exdates.end());
      } else if (std::none_of(rec.rdates.begin(), rec.rdates.end(), [&](const DateTime& x) { return sameInstant(x, id); }) &&
                 !sameInstant(master.event.start, id)) {
        // No rule in the file (16.103 writes none): the known occurrences become RDATEs, so
        // each override still names an instance of the series.
        rec.rdates.push_back(id);
      }
    }
    object.components.push_back(master.event);
    all.push_back(&master);
  }
  for (const auto& o : overrides) {
    object.components.push_back(o.event);
    all.push_back(&o);
  }
  for (const MappedEvent* m : all) {
    if (!m->zone.vtimezone.empty() &&
        std::find(object.vtimezones.begin(), object.vtimezones.end(), m->zone.vtimezone) == object.vtimezones.end()) {
      object.vtimezones.push_back(m->zone.vtimezone);
    }
  }

  const Event* head = object.master();
  const bool series = head && head->isRecurring();
  if (series || !object.vtimezones.empty()) {
    ical::computeSpan(object);
  } else {
    object.span_start_utc = std::numeric_limits<std::int64_t>::max();
    object.span_end_utc = std::numeric_limits<std::int64_t>::min();
    for (const Event& e : object.components) {
      object.span_start_utc = std::min(object.span_start_utc, e.start.utc.value_or(0));
      object.span_end_utc = std::max(object.span_end_utc, e.end.utc.value_or(0));
    }
  }
  return object;
}

}  // namespace calsync::olk15
