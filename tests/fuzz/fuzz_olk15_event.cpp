// .olk15Event files from an Outlook for Mac profile: the structural parser (header checks,
// property collection, nested attendee/organiser/time-zone/recurrence records), then what
// the connector does with an accepted file: map it to an event, build its object (zones,
// rules, span) and write it as iCalendar.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/hash.h"
#include "ical/ical_codec.h"
#include "olk15/event_groups.h"
#include "olk15/event_record.h"
#include "olk15/format_error.h"
#include "olk15/object_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace calsync::olk15;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    OlkEvent event = decodeEventFile(bytes);
    EventRow row;
    row.record_id = event.record_id;
    row.uid = event.uid;
    row.is_recurring = event.is_recurring;
    const auto groups = groupRows({&row});
    const calsync::CalendarObject object = buildObject(groups.front(), {event});
    calsync::contentHash(object);
    calsync::ical::serialize(object, {true});
  } catch (const FormatError&) {
    // refused: what the parser must do with bad input
  }
  return 0;
}
