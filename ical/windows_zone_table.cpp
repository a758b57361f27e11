#include "ical/windows_zone_table.h"

#include <pugixml.hpp>

#include <algorithm>
#include <sstream>

#include "ical/embedded_data.h"
#include "ical/tz_aliases.h"

namespace calsync::ical {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

WindowsZoneTable WindowsZoneTable::fromXml(std::string_view xml) {
  WindowsZoneTable table;
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return table;
  for (const auto& node : doc.select_nodes("//windowsZones/mapTimezones/mapZone")) {
    const pugi::xml_node row = node.node();
    const std::string windows_id = row.attribute("other").value();
    const std::string territory = row.attribute("territory").value();
    // `type` is a space-separated list, in some CLDR releases with a trailing space.
    std::istringstream types(row.attribute("type").value());
    std::vector<std::string> zones;
    for (std::string zone; types >> zone;) zones.push_back(zone);
    if (windows_id.empty() || territory.empty() || zones.empty()) continue;
    for (const auto& zone : zones) {
      // The default row names the zone Windows itself maps to; it wins over regional rows.
      if (territory == "001") {
        table.windows_of_[zone] = windows_id;
      } else {
        table.windows_of_.emplace(zone, windows_id);
      }
    }
    table.zones_of_.emplace(std::make_pair(lower(windows_id), territory), std::move(zones));
  }
  return table;
}

const WindowsZoneTable& WindowsZoneTable::embedded() {
  static const WindowsZoneTable table = fromXml(embedded::windowsZonesXml());
  return table;
}

const std::vector<std::string>* WindowsZoneTable::zonesFor(const std::string& windows_id,
                                                           const std::string& territory) const {
  auto it = zones_of_.find({lower(windows_id), territory});
  if (it == zones_of_.end()) it = zones_of_.find({lower(windows_id), "001"});
  return it == zones_of_.end() ? nullptr : &it->second;
}

std::optional<std::string> WindowsZoneTable::windowsFor(const std::string& iana) const {
  auto it = windows_of_.find(iana);
  if (it == windows_of_.end()) return std::nullopt;
  return it->second;
}

std::string knownZoneName(const std::string& name, const std::function<bool(const std::string&)>& is_known) {
  if (is_known(name)) return name;
  for (const auto& alias : ianaAliases(name)) {
    if (is_known(alias)) return alias;
  }
  return name;
}

}  // namespace calsync::ical
