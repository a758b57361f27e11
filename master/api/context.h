// What every route handler can reach: the master runtime and the API's own settings.
#pragma once

#include <cstdint>
#include <string>

#include "master/api/router.h"

namespace calsync::master {
class MasterRuntime;
}

namespace calsync::master::api {

struct ApiSettings {
  std::string mode;               // reported by /health
  std::string admin_token;        // empty: admin routes answer 403
  std::int64_t started_at = 0;
  std::string conflict_resolution;
};

struct Context {
  MasterRuntime& runtime;
  const ApiSettings& settings;
};

// Each file of routes adds its own.
void addHealthRoutes(Router& router, Context& context);
void addAgentRoutes(Router& router, Context& context);
void addCalendarRoutes(Router& router, Context& context);
void addEventRoutes(Router& router, Context& context);
void addAdminRoutes(Router& router, Context& context);
void addConflictRoutes(Router& router, Context& context);

// Shared by route files.
std::string timeText(std::int64_t epoch_seconds);   // ISO 8601 UTC, "" for 0
std::int64_t nowSeconds();

}  // namespace calsync::master::api
