// Zone conversions for connectors whose servers speak in instants plus a zone name (Google,
// Graph): the wall-clock time an instant has in a zone, and back. Zone names may be IANA ids or
// Windows ids (mapped through CLDR); custom VTIMEZONEs are not involved here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/date_time.h"

namespace calsync::ical {

// The wall time in `tzid` at `instant`, tagged with `tzid` (utc set); "UTC" or "" give UTC.
// Nullopt when the zone is unknown.
std::optional<DateTime> wallTimeAt(std::int64_t instant, const std::string& tzid);

// The instant of a zone-tagged wall time (IANA or Windows zone, UTC, floating read as UTC,
// dates at midnight UTC). Nullopt when the zone is unknown.
std::optional<std::int64_t> instantOf(const DateTime& value);

// The IANA zone `tzid` stands for: itself, a Windows id's zone, or the IANA tail of a prefixed id.
std::optional<std::string> ianaZoneFor(const std::string& tzid);

}  // namespace calsync::ical
