// Windows time zone ids (as Exchange, Graph and Outlook write them) <-> IANA zone names,
// from the CLDR windowsZones table compiled into the library.
#pragma once

#include <optional>
#include <string>

namespace calsync::ical {

// The IANA zone for a Windows id, for one territory (ISO 3166 region, "001" = the default
// mapping, "ZZ" = the Etc/GMT form). An unknown territory falls back to "001". The name
// returned is one the system's tz database knows when any alias of it is known (CLDR keeps
// old names such as Asia/Calcutta or Europe/Kiev). Ids compare case-insensitively.
std::optional<std::string> windowsToIana(const std::string& windows_id, const std::string& territory = "001");

// The Windows id for an IANA zone; old and current names (Asia/Calcutta, Asia/Kolkata) both work.
std::optional<std::string> ianaToWindows(const std::string& iana);

}  // namespace calsync::ical
