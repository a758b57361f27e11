#include "ical/tz_aliases.h"

#include <pugixml.hpp>

#include <map>
#include <memory>
#include <sstream>
#include <utility>

#include "ical/embedded_data.h"

namespace calsync::ical {
namespace {

// tzdata renamed these after the CLDR release whose data is embedded; CLDR lists only the
// old name. Each pair is {name CLDR knows, newer tzdata name}.
constexpr std::pair<const char*, const char*> kNewerRenames[] = {
    {"Europe/Kiev", "Europe/Kyiv"},
};

using AliasGroup = std::vector<std::string>;

class AliasTable {
 public:
  AliasTable() {
    pugi::xml_document doc;
    const std::string_view xml = embedded::timezoneAliasesXml();
    if (doc.load_buffer(xml.data(), xml.size())) {
      for (const auto& node : doc.select_nodes("//keyword/key[@name='tz']/type[@alias]")) {
        std::istringstream names(node.node().attribute("alias").value());
        AliasGroup group;
        for (std::string name; names >> name;) group.push_back(name);
        if (group.size() > 1) addGroup(std::move(group));
      }
    }
    for (const auto& [known, renamed] : kNewerRenames) join(known, renamed);
  }

  std::vector<std::string> aliases(const std::string& name) const {
    auto it = group_of_.find(name);
    if (it == group_of_.end()) return {};
    std::vector<std::string> out;
    for (const auto& other : groups_[it->second]) {
      if (other != name) out.push_back(other);
    }
    return out;
  }

 private:
  void addGroup(AliasGroup group) {
    const std::size_t index = groups_.size();
    for (const auto& name : group) group_of_.emplace(name, index);
    groups_.push_back(std::move(group));
  }

  void join(const std::string& known, const std::string& renamed) {
    auto it = group_of_.find(known);
    if (it == group_of_.end()) {
      addGroup({known, renamed});
    } else if (!group_of_.count(renamed)) {
      groups_[it->second].push_back(renamed);
      group_of_.emplace(renamed, it->second);
    }
  }

  std::vector<AliasGroup> groups_;
  std::map<std::string, std::size_t> group_of_;
};

const AliasTable& table() {
  static const AliasTable instance;
  return instance;
}

}  // namespace

std::vector<std::string> ianaAliases(const std::string& name) { return table().aliases(name); }

}  // namespace calsync::ical
