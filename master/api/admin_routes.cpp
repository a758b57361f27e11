// Enrolment tokens, the update queues and the audit trail.
#include <Poco/JSON/Array.h>

#include "master/api/context.h"
#include "master/credentials.h"
#include "master/master_runtime.h"

namespace calsync::master::api {
namespace {

constexpr std::int64_t kDefaultTokenLifetime = 7 * 86400;
constexpr std::int64_t kDefaultRetentionDays = 7;

Poco::JSON::Object tokenJson(const store::EnrollmentToken& t) {
  Poco::JSON::Object o;
  o.set("id", t.id);
  o.set("label", t.label);
  o.set("created_at", timeText(t.created_at));
  o.set("created_by", t.created_by);
  o.set("expires_at", timeText(t.expires_at));
  o.set("used_at", timeText(t.used_at));
  o.set("used_by", t.used_by);
  o.set("revoked_at", timeText(t.revoked_at));
  const std::int64_t now = nowSeconds();
  const char* state = t.revoked_at ? "revoked" : t.used_at ? "used" : t.expires_at <= now ? "expired" : "active";
  o.set("state", std::string(state));
  return o;
}

Poco::JSON::Object updateJson(const store::QueuedUpdate& q) {
  Poco::JSON::Object o;
  o.set("id", q.update.id);
  o.set("agent_id", q.agent_id);
  o.set("kind", std::string(toString(q.update.kind)));
  o.set("source", q.update.source);
  o.set("calendar_id", q.update.calendar_id);
  o.set("status", std::string(store::toString(q.status)));
  o.set("attempts", q.update.attempt);
  o.set("last_error", q.last_error);
  o.set("created_by", q.created_by);
  o.set("created_at", timeText(q.created_at));
  o.set("updated_at", timeText(q.updated_at));
  return o;
}

void createToken(Context& context, Request& request) {
  const auto body = request.optionalJsonBody();
  std::int64_t lifetime = kDefaultTokenLifetime;
  if (body->has("expires_in")) {
    try {
      lifetime = body->getValue<std::int64_t>("expires_in");
    } catch (const Poco::Exception&) {
      throw badRequest("\"expires_in\" must be a number of seconds");
    }
    if (lifetime < 60 || lifetime > 365 * 86400) throw badRequest("\"expires_in\" must be from 60 s to 365 days");
  }
  const std::string token = newCredential("cse_");
  store::EnrollmentToken t;
  t.id = "tok_" + credentialHash(token).substr(0, 12);
  t.label = optionalString(body, "label");
  t.created_at = nowSeconds();
  t.created_by = request.actor;
  t.expires_at = t.created_at + lifetime;
  context.runtime.auth().addEnrollmentToken(t, credentialHash(token));
  context.runtime.audit().append({0, 0, request.actor, "token.create", t.id, "", t.label});
  Poco::JSON::Object answer = tokenJson(t);
  answer.set("token", token);   // shown this once; only its hash is kept
  request.send(201, answer);
}

}  // namespace

void addAdminRoutes(Router& router, Context& c) {
  router.add({"POST", "/sync/tokens", Access::Admin, [&c](Request& r) { createToken(c, r); }});
  router.add({"GET", "/sync/tokens", Access::Admin, [&c](Request& r) {
                Poco::JSON::Array list;
                for (const auto& t : c.runtime.auth().enrollmentTokens()) list.add(tokenJson(t));
                Poco::JSON::Object body;
                body.set("tokens", list);
                r.send(200, body);
              }});
  router.add({"DELETE", "/sync/tokens/{id}", Access::Admin, [&c](Request& r) {
                if (!c.runtime.auth().revokeEnrollmentToken(r.param("id"), nowSeconds())) {
                  throw notFound("no active token '" + r.param("id") + "'");
                }
                c.runtime.audit().append({0, 0, r.actor, "token.revoke", r.param("id"), "active", "revoked"});
                Poco::JSON::Object body;
                body.set("id", r.param("id"));
                body.set("revoked", true);
                r.send(200, body);
              }});
  router.add({"GET", "/sync/queues/status", Access::Admin, [&c](Request& r) {
                store::UpdateFilter filter;
                filter.agent_id = r.query("agent_id");
                filter.limit = static_cast<std::size_t>(r.queryInt("limit", 100, 1, 1000));
                Poco::JSON::Array list;
                for (const auto& q : c.runtime.updates().queue().list(filter)) list.add(updateJson(q));
                Poco::JSON::Object body;
                body.set("updates", list);
                r.send(200, body);
              }});
  router.add({"GET", "/sync/queues/stats", Access::Admin, [&c](Request& r) {
                Poco::JSON::Object agents;
                for (const auto& [agent, counts] : c.runtime.updates().queue().stats()) {
                  Poco::JSON::Object o;
                  for (const auto& [status, n] : counts) o.set(status, n);
                  agents.set(agent, o);
                }
                Poco::JSON::Object body;
                body.set("agents", agents);
                r.send(200, body);
              }});
  router.add({"POST", "/sync/queues/cleanup", Access::Admin, [&c](Request& r) {
                const std::int64_t days = r.queryInt("older_than_days", kDefaultRetentionDays, 0, 3650);
                settleEventRequests(c);   // an event request keeps its outcome after its update is gone
                const std::size_t removed = c.runtime.updates().queue().cleanup(nowSeconds() - days * 86400);
                c.runtime.audit().append({0, 0, r.actor, "queues.cleanup", "", "",
                                          std::to_string(removed) + " settled updates older than " +
                                              std::to_string(days) + " days"});
                Poco::JSON::Object body;
                body.set("removed", static_cast<std::int64_t>(removed));
                r.send(200, body);
              }});
  router.add({"GET", "/sync/audit/recent", Access::Admin, [&c](Request& r) {
                Poco::JSON::Array list;
                for (const auto& e : c.runtime.audit().recent(static_cast<std::size_t>(r.queryInt("limit", 100, 1, 1000)))) {
                  Poco::JSON::Object o;
                  o.set("id", e.id);
                  o.set("at", timeText(e.at));
                  o.set("actor", e.actor);
                  o.set("action", e.action);
                  o.set("target", e.target);
                  o.set("before", e.before);
                  o.set("after", e.after);
                  list.add(o);
                }
                Poco::JSON::Object body;
                body.set("entries", list);
                r.send(200, body);
              }});
}

}  // namespace calsync::master::api
