#include "olk15/zone_time.h"

#include <date/tz.h>

namespace calsync::olk15 {

std::optional<DateTime> wallTimeIn(const std::string& zone_name, std::int64_t epoch) {
  try {
    const date::time_zone* zone = date::locate_zone(zone_name);
    // The zone files list transitions only to 2037 (see core/date_time.cpp): later instants
    // take the offset of the same instant 28 years earlier, when weekdays and leap years repeat.
    std::int64_t probe = epoch;
    constexpr std::int64_t k28Years = (28 * 365 + 7) * std::int64_t{86400};
    while (probe > 2145916800) probe -= k28Years;  // 2038-01-01
    const auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{probe}});
    DateTime wall = epochToUtc(epoch + info.offset.count());
    wall.tzid = zone_name;
    wall.utc = epoch;
    return wall;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace calsync::olk15
