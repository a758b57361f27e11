// GET /health: the state of every connector and of the store, for monitoring.
#include <Poco/JSON/Array.h>

#include <ctime>

#include "master/api/config_helpers.h"
#include "master/api/context.h"
#include "master/events_query.h"
#include "master/master_runtime.h"

namespace calsync::master::api {

std::string timeText(std::int64_t t) { return t > 0 ? formatIsoUtc(t) : ""; }

std::int64_t nowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

namespace {

std::vector<CredentialState> localCredentials(Context& context) {
  if (!context.settings.control) return {};
  return context.settings.control->credentials(nowSeconds());
}

}  // namespace

void addHealthRoutes(Router& router, Context& context) {
  router.add({"GET", "/health", Access::Public, [&context](Request& request) {
                const auto connectors = context.runtime.health().snapshot();
                std::string overall = "ok";
                Poco::JSON::Array list;
                for (const auto& c : connectors) {
                  if (c.state == "failing") overall = "failing";
                  else if (c.state != "ok" && overall == "ok") overall = c.state == "pending" ? "starting" : "degraded";
                  Poco::JSON::Object o;
                  o.set("name", c.name);
                  o.set("type", c.type);
                  o.set("role", c.role);
                  o.set("state", c.state);
                  o.set("last_attempt", timeText(c.last_attempt));
                  o.set("last_success", timeText(c.last_success));
                  o.set("next_attempt", timeText(c.next_attempt));
                  o.set("consecutive_failures", c.consecutive_failures);
                  o.set("last_error", c.last_error);
                  o.set("calendars", c.calendars);
                  o.set("events", c.objects);
                  o.set("skipped_items", c.warnings);
                  list.add(o);
                }
                // Credentials that are not ok degrade the service; their connector's own failure,
                // if it comes to that, is what makes it "failing".
                const auto credentials = localCredentials(context);
                for (const auto& credential : credentials) {
                  if (!credential.ok() && overall != "failing") overall = "degraded";
                }
                Poco::JSON::Object store;
                for (const auto& [name, count] : context.runtime.store().counts()) store.set(name, count);
                Poco::JSON::Object body;
                body.set("status", overall);
                body.set("mode", context.settings.mode);
                body.set("version", std::string(CALSYNC_VERSION));
                body.set("uptime_seconds", nowSeconds() - context.settings.started_at);
                body.set("connectors", list);
                body.set("credentials", credentialArray(credentials));
                body.set("store", store);
                request.send(overall == "failing" ? 503 : 200, body);
              }});
}

}  // namespace calsync::master::api
