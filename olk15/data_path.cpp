#include "olk15/data_path.h"

#include <cctype>

namespace calsync::olk15 {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hexValue(text[i + 1]);
    const int lo = hexValue(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

DataPath checkEventPath(std::string_view raw) {
  DataPath out;
  const auto decoded = percentDecode(raw);
  if (!decoded) return {"", "PathToDataFile has a malformed %-escape"};
  const std::string& p = *decoded;
  if (p.empty()) return {"", "PathToDataFile is empty"};
  if (p.find('\0') != std::string::npos) return {"", "PathToDataFile contains a NUL byte"};
  if (p.find('\\') != std::string::npos) return {"", "PathToDataFile contains a backslash"};
  if (p.front() == '/') return {"", "PathToDataFile is absolute, refusing a path outside Data/"};
  std::size_t start = 0;
  while (start <= p.size()) {
    const std::size_t end = p.find('/', start);
    const std::string_view segment = std::string_view(p).substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (segment == "..") return {"", "PathToDataFile escapes Data/ (\"..\")"};
    if (segment.empty() || segment == ".") return {"", "PathToDataFile has an empty or '.' segment"};
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (!endsWith(p, ".olk15Event")) return {"", "PathToDataFile does not name an .olk15Event file"};
  out.relative = p;
  return out;
}

}  // namespace calsync::olk15
