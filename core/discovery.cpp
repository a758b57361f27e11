#include "core/discovery.h"

#include <set>

namespace calsync {

std::string sectionSlug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    const bool ascii_alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (ascii_alnum) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

void makeSectionNamesUnique(std::vector<DiscoveredCalendar>& calendars) {
  std::set<std::string> taken;
  for (auto& found : calendars) {
    std::string unique = found.section_name;
    for (int n = 2; !taken.insert(unique).second; ++n) unique = found.section_name + "-" + std::to_string(n);
    found.section_name = unique;
  }
}

}  // namespace calsync
