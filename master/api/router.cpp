#include "master/api/router.h"

#include <Poco/URI.h>

namespace calsync::master::api {
namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

bool matches(const std::string& pattern, const std::vector<std::string>& path, std::map<std::string, std::string>& params) {
  const auto parts = segments(pattern);
  if (parts.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      std::string decoded;
      Poco::URI::decode(path[i], decoded);
      found[p.substr(1, p.size() - 2)] = decoded;
    } else if (p != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch result;
  const auto parts = segments(path);
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!matches(route.pattern, parts, params)) continue;
    if (route.method == method) {
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
    result.allowed_methods.push_back(route.method);
  }
  return result;
}

}  // namespace calsync::master::api
