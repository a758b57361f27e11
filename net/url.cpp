#include "net/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "net/http_client.h"

namespace calsync::net {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int defaultPort(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

// RFC 3986 section 5.2.4.
std::string removeDotSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  bool absolute = !path.empty() && path.front() == '/';
  std::string_view rest = absolute ? path.substr(1) : path;
  bool trailing_slash = false;
  while (true) {
    auto slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    bool last = slash == std::string_view::npos;
    if (segment == ".") {
      trailing_slash = last;
    } else if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else {
      segments.push_back(segment);
      trailing_slash = false;
    }
    if (last) break;
    rest = rest.substr(slash + 1);
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += segments[i];
  }
  if (trailing_slash && !out.empty() && out.back() != '/') out += '/';
  return out;
}

}  // namespace

std::optional<UrlParts> parseUrl(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  UrlParts parts;
  parts.scheme = lower(url.substr(0, scheme_end));
  if (parts.scheme != "http" && parts.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    parts.has_userinfo = true;
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parts.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
    }
  } else {
    auto colon = authority.find(':');
    parts.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (parts.host.empty()) return std::nullopt;
  parts.port = defaultPort(parts.scheme);
  if (!port_text.empty()) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port <= 0 || port > 65535) return std::nullopt;
    parts.port = port;
  }
  auto question = target.find('?');
  parts.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) parts.query = std::string(target.substr(question + 1));
  if (parts.path.empty()) parts.path = "/";
  return parts;
}

std::string originOf(const UrlParts& parts) {
  std::string host = parts.host.find(':') != std::string::npos ? "[" + parts.host + "]" : parts.host;
  std::string out = parts.scheme + "://" + host;
  if (parts.port != defaultPort(parts.scheme)) out += ":" + std::to_string(parts.port);
  return out;
}

std::string redactUrl(std::string_view url) {
  auto parts = parseUrl(url);
  if (!parts) return "<invalid URL>";
  return originOf(*parts) + parts->path;
}

std::string resolveUrl(const std::string& base, const std::string& ref) {
  if (parseUrl(ref)) return ref;
  auto base_parts = parseUrl(base);
  if (!base_parts) return ref;
  if (ref.rfind("//", 0) == 0) return base_parts->scheme + ":" + ref;
  std::string origin = originOf(*base_parts);
  std::string_view reference = ref;
  reference = reference.substr(0, reference.find('#'));
  if (reference.empty()) {
    return origin + base_parts->path + (base_parts->query.empty() ? "" : "?" + base_parts->query);
  }
  auto question = reference.find('?');
  std::string_view ref_path = reference.substr(0, question);
  std::string ref_query = question == std::string_view::npos ? "" : "?" + std::string(reference.substr(question + 1));
  if (ref_path.empty()) return origin + base_parts->path + ref_query;
  std::string merged;
  if (ref_path.front() == '/') {
    merged = std::string(ref_path);
  } else {
    const std::string& base_path = base_parts->path;
    merged = base_path.substr(0, base_path.rfind('/') + 1) + std::string(ref_path);
  }
  return origin + removeDotSegments(merged) + ref_query;
}

}  // namespace calsync::net
