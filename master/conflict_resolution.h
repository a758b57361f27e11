// What a person's resolution of a conflict means: the version both ends get.
#pragma once

#include <stdexcept>
#include <string>

#include "store/round_trip_store.h"

namespace calsync::master {

// A resolution that cannot be used (unknown name, or a merged version that is not one event).
class BadResolution : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// "source_wins" / "destination_wins": the conflicting fields take that side's values, fields
// only one side changed keep that side's change (the same merge the strategies make).
// "merged": `merged_ical`, a VCALENDAR with the one event as it should be. Returns the
// version as iCalendar in the source's form (the source's UID, no origin marker).
std::string resolvedVersion(const store::ConflictRecord& conflict, const std::string& resolution,
                            const std::string& merged_ical);

}  // namespace calsync::master
