// UTC instants to wall-clock times in an IANA zone, which an override's RECURRENCE-ID needs
// (Outlook stores the original start of a modified occurrence as a UTC instant [S]).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/date_time.h"

namespace calsync::olk15 {

// The wall time in IANA zone `zone` at `epoch`, tagged with that zone; nullopt for an
// unknown zone.
std::optional<DateTime> wallTimeIn(const std::string& zone, std::int64_t epoch);

}  // namespace calsync::olk15
