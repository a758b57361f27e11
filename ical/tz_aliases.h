// Internal to calsync_ical: the other names of an IANA zone (Asia/Calcutta = Asia/Kolkata),
// from CLDR's alias table plus the renames tzdata made after that CLDR release.
#pragma once

#include <string>
#include <vector>

namespace calsync::ical {

// Every other name of the same zone, CLDR's canonical name first; empty when it has none.
std::vector<std::string> ianaAliases(const std::string& name);

}  // namespace calsync::ical
