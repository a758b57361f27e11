// Conflicts a person has to settle (strategy manual): list them, and resolve one with the
// source's version, the destination's, or a merged event. The resolution reaches both ends
// with the next destination pass, which the API asks for at once.
#include <Poco/JSON/Array.h>

#include <sstream>

#include "master/api/context.h"
#include "master/conflict_resolution.h"
#include "master/master_runtime.h"
#include "master/public_ids.h"

namespace calsync::master::api {
namespace {

Poco::JSON::Object conflictJson(const store::ConflictRecord& c) {
  Poco::JSON::Object o;
  o.set("id", c.id);
  o.set("status", c.status);
  o.set("detected_at", timeText(c.detected_at));
  o.set("resolved_at", timeText(c.resolved_at));
  o.set("agent_id", c.key.agent_id);
  o.set("source", c.key.source);
  o.set("calendar_id", publicCalendarId(c.key.agent_id, c.key.source, c.key.calendar_id));
  o.set("uid", c.uid);
  Poco::JSON::Array fields;
  for (const auto& f : c.fields) fields.add(f);
  o.set("fields", fields);
  o.set("resolution", c.resolution);
  o.set("base", c.base_ical);
  o.set("source_version", c.source_ical);
  o.set("destination_version", c.destination_ical);
  return o;
}

std::string text(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

void listRecent(Context& context, Request& request) {
  const std::string status = request.query("status", "open");
  if (status != "open" && status != "resolved" && status != "all") {
    throw badRequest("\"status\" must be open, resolved or all");
  }
  const auto limit = static_cast<std::size_t>(request.queryInt("limit", 50, 1, 500));
  Poco::JSON::Array list;
  for (const auto& c : context.runtime.roundtrip().conflicts(status, limit)) list.add(conflictJson(c));
  Poco::JSON::Object body;
  body.set("conflicts", list);
  request.send(200, body);
}

void resolve(Context& context, Request& request) {
  const std::string& id = request.param("id");
  const auto body = request.jsonBody();
  const std::string resolution = requiredString(body, "resolution");
  const std::string ical = optionalString(body, "ical");
  auto& roundtrip = context.runtime.roundtrip();
  const auto conflict = roundtrip.conflict(id);
  if (!conflict) throw notFound("no conflict '" + id + "'");
  if (conflict->status != "open") {
    throw ApiError(409, "already_resolved", "conflict '" + id + "' was already resolved (" + conflict->resolution + ")");
  }
  if (resolution != "merged" && !ical.empty()) throw badRequest("\"ical\" goes only with the resolution merged");
  std::string resolved;
  try {
    resolved = resolvedVersion(*conflict, resolution, ical);
  } catch (const BadResolution& e) {
    throw badRequest(e.what());
  }
  if (!roundtrip.resolveConflict(id, resolution, resolved, request.actor, nowSeconds())) {
    throw ApiError(409, "already_resolved", "conflict '" + id + "' was resolved meanwhile");
  }
  Poco::JSON::Object before = conflictJson(*conflict);
  Poco::JSON::Object after;
  after.set("status", std::string("resolved"));
  after.set("resolution", resolution);
  after.set("version", resolved);
  context.runtime.audit().append({0, 0, request.actor, "conflict.resolve", id, text(before), text(after)});
  context.runtime.requestDestinationPass();

  Poco::JSON::Object answer;
  answer.set("id", id);
  answer.set("status", std::string("resolved"));
  answer.set("resolution", resolution);
  request.send(200, answer);
}

}  // namespace

void addConflictRoutes(Router& router, Context& c) {
  router.add({"GET", "/sync/conflicts/recent", Access::Admin, [&c](Request& r) { listRecent(c, r); }});
  router.add({"POST", "/sync/conflicts/{id}/resolve", Access::Admin, [&c](Request& r) { resolve(c, r); }});
}

}  // namespace calsync::master::api
