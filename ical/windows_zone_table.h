// Internal to calsync_ical: the CLDR windowsZones table as lookups, and the choice between a
// zone's CLDR name and its aliases. Separate from windows_zones.h so tests can feed their own
// table text.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calsync::ical {

class WindowsZoneTable {
 public:
  // Reads windowsZones.xml text; an unreadable text gives an empty table.
  static WindowsZoneTable fromXml(std::string_view xml);
  // The table compiled into the library.
  static const WindowsZoneTable& embedded();

  // The IANA ids CLDR lists for a Windows id in a territory (falling back to "001"), in
  // CLDR's order; null when the id is unknown. Windows ids compare case-insensitively.
  const std::vector<std::string>* zonesFor(const std::string& windows_id, const std::string& territory) const;
  // The Windows id listing exactly this IANA id (no alias handling).
  std::optional<std::string> windowsFor(const std::string& iana) const;

 private:
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> zones_of_;
  std::map<std::string, std::string> windows_of_;
};

// `name` when `is_known` accepts it, else its first alias that is accepted, else `name`.
std::string knownZoneName(const std::string& name, const std::function<bool(const std::string&)>& is_known);

}  // namespace calsync::ical
