// GET /sync/plan: a dry run of the next destination write (see master/destination_plan.h).
#include <Poco/JSON/Array.h>

#include "master/api/context.h"
#include "master/destination_plan.h"
#include "master/master_runtime.h"

namespace calsync::master::api {
namespace {

constexpr std::int64_t kDefaultLimit = 1000;
constexpr std::int64_t kMaxLimit = 10000;

Poco::JSON::Array itemsJson(const std::vector<PlannedWrite>& items, bool with_reason) {
  Poco::JSON::Array list;
  for (const auto& item : items) {
    Poco::JSON::Object o;
    o.set("agent_id", item.key.agent_id);
    o.set("source", item.key.source);
    o.set("calendar_id", item.key.calendar_id);
    o.set("uid", item.uid);
    o.set("native_id", item.key.native_id);
    o.set("summary", item.summary);
    if (with_reason) o.set("reason", item.reason);
    list.add(o);
  }
  return list;
}

void plan(Context& context, Request& request) {
  const auto limit = static_cast<std::size_t>(request.queryInt("limit", kDefaultLimit, 1, kMaxLimit));
  const DestinationPlan planned = planDestinationWrites(context.runtime.store(), context.runtime.roundtrip(), limit);
  const auto destination = context.runtime.destinationInfo();
  Poco::JSON::Object body;
  body.set("destination", destination.name);
  body.set("type", destination.type);
  body.set("calendar", destination.calendar);
  body.set("create", itemsJson(planned.create, false));
  body.set("update", itemsJson(planned.update, false));
  body.set("delete", itemsJson(planned.remove, false));
  body.set("held", itemsJson(planned.held, true));
  body.set("truncated", planned.truncated);
  request.send(200, body);
}

}  // namespace

void addPlanRoutes(Router& router, Context& context) {
  router.add({"GET", "/sync/plan", Access::Admin, [&context](Request& r) { plan(context, r); }});
}

}  // namespace calsync::master::api
