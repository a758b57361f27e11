#include "ical/line_scan.h"

#include <cctype>
#include <string>

namespace calsync::ical {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::string upperTrimmed(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size());
  for (char c : text) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

LineScan scanLines(std::string_view text) {
  LineScan scan;
  scan.has_nul = text.find('\0') != std::string_view::npos;
  // Skip a UTF-8 byte order mark, which some exporters write.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string> open;  // component names from the outermost in
  bool seen_content = false;
  int line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_number;
    const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (continuation) continue;
    if (startsWithNoCase(line, "BEGIN:")) {
      const std::string name = upperTrimmed(line.substr(6));
      if (!seen_content) scan.starts_with_vcalendar = name == "VCALENDAR";
      if (name == "VEVENT" && !open.empty() && open.back() == "VCALENDAR") scan.vevent_lines.push_back(line_number);
      open.push_back(name);
      if (open.size() > scan.max_depth) scan.max_depth = open.size();
    } else if (startsWithNoCase(line, "END:")) {
      if (!open.empty()) open.pop_back();
    }
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) seen_content = true;
  }
  return scan;
}

}  // namespace calsync::ical
