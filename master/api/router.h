// Maps "METHOD /path/{param}" to handlers, and says who may call each route.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "master/api/request.h"

namespace calsync::master::api {

enum class Access {
  Public,   // anyone (health, enrolment with a token in the body)
  Admin,    // the admin token
  Agent,    // the agent secret of the agent named by the {id} path parameter
};

struct Route {
  std::string method;
  std::string pattern;   // "/sync/agents/{id}/heartbeat"
  Access access = Access::Admin;
  std::function<void(Request&)> handler;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed_methods;   // when the path exists under other methods
};

class Router {
 public:
  void add(Route route) { routes_.push_back(std::move(route)); }
  RouteMatch match(const std::string& method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace calsync::master::api
