#include "daemon/config/ini_reader.h"

#include <optional>
#include <string_view>

namespace calsync::config {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Where an inline comment starts: ';' or '#' preceded by whitespace. npos when there is none.
std::size_t inlineCommentStart(std::string_view text) {
  for (std::size_t i = 1; i < text.size(); ++i) {
    if ((text[i] == ';' || text[i] == '#') && isSpace(text[i - 1])) return i;
  }
  return std::string_view::npos;
}

bool isCommentOrBlank(std::string_view text) {
  text = trim(text);
  return text.empty() || text.front() == ';' || text.front() == '#';
}

// The value part of `key = value`, or the reason it cannot be read.
struct ParsedValue {
  std::string value;
  std::string error;
};

ParsedValue parseValue(std::string_view raw) {
  std::string_view text = raw;
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  const bool after_space = text.size() < raw.size();
  if (!text.empty() && text.front() == '"') {
    const std::size_t close = text.find('"', 1);
    if (close == std::string_view::npos) return {"", "unterminated quoted value"};
    if (!isCommentOrBlank(text.substr(close + 1))) return {"", "unexpected text after the closing quote"};
    return {std::string(text.substr(1, close - 1)), ""};
  }
  if (after_space && !text.empty() && (text.front() == ';' || text.front() == '#')) return {"", ""};
  const std::size_t comment = inlineCommentStart(text);
  if (comment != std::string_view::npos) text = text.substr(0, comment);
  return {std::string(trim(text)), ""};
}

}  // namespace

std::vector<IniSection> readIni(const std::string& file_name, std::istream& in, std::vector<Issue>& issues) {
  std::vector<IniSection> sections;
  std::string line;
  int number = 0;
  bool skipping_bad_section = false;
  while (std::getline(in, line)) {
    ++number;
    std::string_view text = line;
    if (number == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM
    text = trim(text);
    if (text.empty() || text.front() == ';' || text.front() == '#') continue;
    const Origin origin{file_name, number};

    if (text.front() == '[') {
      const std::size_t close = text.find(']');
      const std::string_view name = close == std::string_view::npos ? "" : trim(text.substr(1, close - 1));
      if (close == std::string_view::npos || name.empty() || !isCommentOrBlank(text.substr(close + 1))) {
        issues.push_back({origin, "", "", "malformed section header (expected [name])"});
        skipping_bad_section = true;
        continue;
      }
      sections.push_back({std::string(name), origin, {}});
      skipping_bad_section = false;
      continue;
    }

    const std::size_t equals = text.find('=');
    const std::string_view key = equals == std::string_view::npos ? "" : trim(text.substr(0, equals));
    if (key.empty()) {
      issues.push_back({origin, sections.empty() ? "" : sections.back().name, "",
                        "expected 'key = value', a [section] header or a comment"});
      continue;
    }
    // Entries under a header that could not be read would be blamed on the previous section.
    if (skipping_bad_section) continue;
    if (sections.empty()) {
      issues.push_back({origin, "", std::string(key), "key outside any [section]"});
      continue;
    }
    ParsedValue value = parseValue(text.substr(equals + 1));
    if (!value.error.empty()) {
      issues.push_back({origin, sections.back().name, std::string(key), value.error});
      continue;
    }
    sections.back().entries.push_back({std::string(key), std::move(value.value), origin});
  }
  return sections;
}

}  // namespace calsync::config
