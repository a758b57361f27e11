// Splitting and joining absolute http(s) URLs without re-encoding them: WebDAV hrefs are
// identifiers, so "%40" must stay "%40" on the way through.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace calsync::net {

struct UrlParts {
  std::string scheme;     // "http" or "https", lower case
  std::string host;       // without brackets for IPv6 literals
  int port = 0;           // the default port of the scheme when none is written
  std::string path;       // raw, starts with '/'; "/" when the URL has none
  std::string query;      // raw, without '?'; empty when absent
  bool has_userinfo = false;  // the URL carried "user@": callers refuse or strip it
};

// nullopt unless `url` is an absolute http:// or https:// URL with a host.
std::optional<UrlParts> parseUrl(std::string_view url);

// "scheme://host[:port]" with the port left out when it is the scheme's default.
std::string originOf(const UrlParts& parts);

// The URL without userinfo, query or fragment: safe to put in logs and error messages.
std::string redactUrl(std::string_view url);

}  // namespace calsync::net
