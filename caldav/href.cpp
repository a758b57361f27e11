#include "caldav/href.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/hash.h"
#include "net/http_client.h"
#include "net/url.h"

namespace calsync::caldav {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// RFC 3986 pchar minus '%': what a path segment may hold without escaping.
bool literalInPath(unsigned char c) {
  return std::isalnum(c) != 0 || std::strchr("-._~!$&'()*+,;=:@", c) != nullptr;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void appendEscaped(std::string& out, unsigned char c) {
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

}  // namespace

std::string canonicalPath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    auto c = static_cast<unsigned char>(path[i]);
    if (c == '%' && i + 2 < path.size() && hexValue(path[i + 1]) >= 0 && hexValue(path[i + 2]) >= 0) {
      auto decoded = static_cast<unsigned char>(hexValue(path[i + 1]) * 16 + hexValue(path[i + 2]));
      if (literalInPath(decoded)) {
        out += static_cast<char>(decoded);
      } else {
        appendEscaped(out, decoded);
      }
      i += 2;
    } else if (c == '/' || literalInPath(c)) {
      out += static_cast<char>(c);
    } else {
      appendEscaped(out, c);
    }
  }
  return out;
}

std::string hrefPath(const std::string& base_url, const std::string& href) {
  auto parts = net::parseUrl(net::resolveUrl(base_url, href));
  return canonicalPath(parts ? parts->path : href);
}

bool samePath(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view path) {
    if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    return path;
  };
  return strip(a) == strip(b);
}

std::string withTrailingSlash(std::string path) {
  if (path.empty() || path.back() != '/') path += '/';
  return path;
}

std::string uidResourceName(const std::string& uid) {
  constexpr std::size_t kMaxPlainLength = 200;
  bool plain = !uid.empty() && uid.size() <= kMaxPlainLength && uid.front() != '.' &&
               std::all_of(uid.begin(), uid.end(), [](char ch) {
                 auto c = static_cast<unsigned char>(ch);
                 return (c < 0x80 && std::isalnum(c) != 0) || c == '.' || c == '_' || c == '@' || c == '-';
               });
  return plain ? uid : "sha256-" + sha256Hex(uid);
}

}  // namespace calsync::caldav
