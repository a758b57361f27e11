// What every route handler can reach: the master runtime and the API's own settings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "master/api/router.h"
#include "store/master_store.h"

namespace calsync::master {
class MasterRuntime;
class DaemonControl;
}

namespace calsync::master::api {

struct ApiSettings {
  std::string mode;               // reported by /health
  std::string admin_token;        // empty: admin routes answer 403
  std::int64_t started_at = 0;
  std::string conflict_resolution;
  DaemonControl* control = nullptr;   // the daemon serving this API; null when there is none
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
void addSyncConfigRoutes(Router& router, Context& context);
void addEventCreateRoutes(Router& router, Context& context);
void addAvailabilityRoutes(Router& router, Context& context);
void addStatusRoutes(Router& router, Context& context);
void addPlanRoutes(Router& router, Context& context);
void addOAuthConfigRoutes(Router& router, Context& context);   // sign-ins and cloud calendars
void addDestinationRoutes(Router& router, Context& context);   // destination switch, end-to-end run
void addConflictRoutes(Router& router, Context& context);

// Shared by route files.
std::string timeText(std::int64_t epoch_seconds);   // ISO 8601 UTC, "" for 0
std::int64_t nowSeconds();
// The calendar behind a public "cal_…" id.
std::optional<store::StoredCalendar> findCalendar(Context& context, const std::string& public_id);
// What an agent last reported about itself (sync settings in force, its sources), for its
// status. `last_seen`: the agent's last check-in, when its sources that are ok last synced.
Poco::JSON::Object agentReportJson(const store::StoredAgentReport& report, std::int64_t last_seen);
// Brings event requests whose update settled up to date (before a GET, before a cleanup).
void settleEventRequests(Context& context);

}  // namespace calsync::master::api
