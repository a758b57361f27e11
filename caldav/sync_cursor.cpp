#include "caldav/sync_cursor.h"

#include <sstream>

namespace calsync::caldav {
namespace {

constexpr std::string_view kSyncHeader = "caldav-cursor-v1 sync-token";
constexpr std::string_view kEtagsHeader = "caldav-cursor-v1 etags";

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\t': out += "%09"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::optional<std::string> unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    std::string code = text.substr(i + 1, 2);
    if (code == "25") out += '%';
    else if (code == "09") out += '\t';
    else if (code == "0D") out += '\r';
    else if (code == "0A") out += '\n';
    else return std::nullopt;
    i += 2;
  }
  return out;
}

}  // namespace

std::string SyncCursor::encode() const {
  if (mode == Mode::SyncToken) return std::string(kSyncHeader) + "\n" + escape(token) + "\n";
  std::string out = std::string(kEtagsHeader) + "\n";
  for (const auto& [path, etag] : etags) out += escape(path) + "\t" + escape(etag) + "\n";
  return out;
}

std::optional<SyncCursor> SyncCursor::decode(const std::string& text) {
  std::istringstream in(text);
  std::string header;
  if (!std::getline(in, header)) return std::nullopt;
  SyncCursor cursor;
  std::string line;
  if (header == kSyncHeader) {
    cursor.mode = Mode::SyncToken;
    if (!std::getline(in, line)) return std::nullopt;
    auto token = unescape(line);
    if (!token || token->empty()) return std::nullopt;
    cursor.token = *token;
    return cursor;
  }
  if (header != kEtagsHeader) return std::nullopt;
  cursor.mode = Mode::Etags;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) return std::nullopt;
    auto path = unescape(line.substr(0, tab));
    auto etag = unescape(line.substr(tab + 1));
    if (!path || !etag) return std::nullopt;
    cursor.etags[*path] = *etag;
  }
  return cursor;
}

}  // namespace calsync::caldav
