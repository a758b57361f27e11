#include "daemon/ctl/ini_text.h"

#include <cctype>
#include <stdexcept>

namespace calsync::ctl {

std::string iniValue(const std::string& value) {
  if (value.find_first_of("\r\n") != std::string::npos) {
    throw std::invalid_argument("a value with a line break cannot be written to an INI file");
  }
  const bool edge_space = !value.empty() && (std::isspace(static_cast<unsigned char>(value.front())) ||
                                             std::isspace(static_cast<unsigned char>(value.back())));
  // The reader cuts ';' and '#' that follow whitespace, and reads a leading '"' as a quote.
  bool comment_like = !value.empty() && (value.front() == ';' || value.front() == '#' || value.front() == '"');
  for (std::size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == ';' || value[i] == '#') && std::isspace(static_cast<unsigned char>(value[i - 1]))) comment_like = true;
  }
  if (!edge_space && !comment_like) return value;
  if (value.find('"') != std::string::npos) {
    throw std::invalid_argument("a value holding '\"' together with ';', '#' or outer spaces cannot be written to an INI file");
  }
  return "\"" + value + "\"";
}

std::string iniSection(const std::string& name, const std::vector<std::pair<std::string, std::string>>& entries,
                       bool commented) {
  const std::string prefix = commented ? "; " : "";
  std::string text = prefix + "[" + name + "]\n";
  for (const auto& [key, value] : entries) text += prefix + key + " = " + iniValue(value) + "\n";
  return text;
}

std::string sectionSlug(const std::string& text, const std::string& fallback) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 128 && std::isalnum(c)) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (c == '_' || c == '-' || (c < 128 || (c & 0xC0) == 0xC0)) {
      // One dash for each run of separators (and for each non-ASCII character, not each byte).
      if (!out.empty() && out.back() != '-') out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? fallback : out;
}

}  // namespace calsync::ctl
