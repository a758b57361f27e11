// Internal to calsync_ical: data files compiled into the library by embed_file.cmake.
#pragma once

#include <string_view>

namespace calsync::ical::embedded {

std::string_view windowsZonesXml();     // CLDR common/supplemental/windowsZones.xml
std::string_view timezoneAliasesXml();  // CLDR common/bcp47/timezone.xml (zone name aliases)

}  // namespace calsync::ical::embedded
