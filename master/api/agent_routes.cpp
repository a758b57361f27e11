// What agents call: enrolment, heartbeats, their update queue; and the admin's view of
// agents.
#include <Poco/JSON/Array.h>

#include "master/api/config_helpers.h"
#include "master/api/context.h"
#include "master/credentials.h"
#include "master/master_runtime.h"
#include "protocol/heartbeat.h"

namespace calsync::master::api {
namespace {

constexpr int kMaxLongPollSeconds = 60;
constexpr std::int64_t kOnlineWithinSeconds = 300;

bool validAgentId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

std::string agentStatus(std::int64_t last_seen, std::int64_t now) {
  if (last_seen == 0) return "never_seen";
  return now - last_seen <= kOnlineWithinSeconds ? "online" : "offline";
}

Poco::JSON::Object agentJson(Context& context, const store::AgentRecord& a, std::int64_t now) {
  Poco::JSON::Object o;
  o.set("id", a.id);
  o.set("name", a.name);
  o.set("status", agentStatus(a.last_seen, now));
  o.set("last_check_in", timeText(a.last_seen));
  o.set("last_sequence", a.last_sequence);
  o.set("enrolled", context.runtime.auth().agentSecretHash(a.id).has_value());
  const auto stats = context.runtime.updates().queue().stats();
  Poco::JSON::Object queue;
  if (auto it = stats.find(a.id); it != stats.end())
    for (const auto& [status, count] : it->second) queue.set(status, count);
  o.set("updates", queue);
  if (const auto report = context.runtime.control().report(a.id)) {
    Poco::JSON::Object r = agentReportJson(*report, a.last_seen);
    for (const auto& [key, value] : r) o.set(key, value);
  }
  // As the agent's last heartbeat to this master reported them.
  const auto credentials = context.runtime.agentCredentials().get(a.id);
  o.set("credentials", credentialArray(credentials ? credentials->states : std::vector<CredentialState>{}));
  o.set("credentials_reported_at", timeText(credentials ? credentials->reported_at : 0));
  return o;
}

void enroll(Context& context, Request& request) {
  const auto body = request.jsonBody();
  const std::string token = requiredString(body, "token");
  const std::string agent_id = requiredString(body, "agent_id");
  if (!validAgentId(agent_id)) {
    throw badRequest("agent_id must be 1 to 128 letters, digits, '-', '_' or '.'");
  }
  const std::string secret = newCredential("csa_");
  const auto outcome = context.runtime.auth().enroll(credentialHash(token), agent_id, credentialHash(secret), nowSeconds());
  switch (outcome) {
    case store::EnrollOutcome::Enrolled: break;
    case store::EnrollOutcome::UnknownToken:
      throw ApiError(401, "invalid_token", "the enrolment token is not known to this master");
    case store::EnrollOutcome::TokenUsed:
      throw ApiError(401, "token_used", "the enrolment token was already used; create a new one");
    case store::EnrollOutcome::TokenExpired:
      throw ApiError(401, "token_expired", "the enrolment token has expired; create a new one");
    case store::EnrollOutcome::TokenRevoked:
      throw ApiError(401, "token_revoked", "the enrolment token was revoked");
  }
  context.runtime.store().recordCheckIn(agent_id, optionalString(body, "agent_name", agent_id), nowSeconds());
  context.runtime.audit().append({0, 0, "agent:" + agent_id, "agent.enroll", agent_id, "", ""});
  Poco::JSON::Object answer;
  answer.set("agent_id", agent_id);
  answer.set("agent_secret", secret);
  request.send(201, answer);
}

void heartbeat(Context& context, Request& request) {
  HeartbeatRequest beat;
  try {
    beat = protocol::decodeHeartbeatRequest(request.body(kHeartbeatBodyLimit));
  } catch (const protocol::ProtocolError& e) {
    throw badRequest(e.what());
  }
  if (beat.agent_id != request.param("id")) {
    throw badRequest("the body's agent_id '" + beat.agent_id + "' is not the agent of this URL");
  }
  context.runtime.store().recordCheckIn(beat.agent_id, beat.agent_name, nowSeconds());
  const HeartbeatResponse response = context.runtime.heartbeat(beat);
  request.sendText(200, protocol::encodeHeartbeatResponse(response));
}

void pendingUpdates(Context& context, Request& request, bool may_wait) {
  const std::string& agent_id = request.param("id");
  const int wait = may_wait ? static_cast<int>(request.queryInt("wait", 0, 0, kMaxLongPollSeconds)) : 0;
  context.runtime.store().recordCheckIn(agent_id, "", nowSeconds());
  request.sendText(200, protocol::encodeUpdateList(context.runtime.pendingUpdates(agent_id, wait)));
}

void processed(Context& context, Request& request) {
  std::int64_t id = 0;
  try {
    id = std::stoll(request.param("update_id"));
  } catch (const std::exception&) {
    throw badRequest("update_id must be a number");
  }
  // An empty body means "applied"; otherwise {"ok": false, "error": "...", "retryable": true}.
  UpdateOutcome outcome;
  outcome.id = id;
  outcome.ok = true;
  {
    const auto body = request.optionalJsonBody();
    if (body->has("ok") && !body->isNull("ok")) {
      if (!body->get("ok").isBoolean()) throw badRequest("\"ok\" must be true or false");
      outcome.ok = body->getValue<bool>("ok");
    }
    if (body->has("retryable") && body->get("retryable").isBoolean()) outcome.retryable = body->getValue<bool>("retryable");
    outcome.error = optionalString(body, "error");
    outcome.native_id = optionalString(body, "native_id");
  }
  if (!context.runtime.updates().complete(request.param("id"), outcome)) {
    throw notFound("update " + std::to_string(id) + " is not waiting for this agent");
  }
  const auto stored = context.runtime.updates().queue().find(id);
  Poco::JSON::Object answer;
  answer.set("id", id);
  answer.set("status", std::string(stored ? store::toString(stored->status) : "processed"));
  request.send(200, answer);
}

}  // namespace

void addAgentRoutes(Router& router, Context& c) {
  router.add({"POST", "/sync/agents/enroll", Access::Public, [&c](Request& r) { enroll(c, r); }});
  router.add({"POST", "/sync/agents/{id}/heartbeat", Access::Agent, [&c](Request& r) { heartbeat(c, r); }});
  router.add({"GET", "/sync/agents/{id}/pending-updates", Access::Agent,
              [&c](Request& r) { pendingUpdates(c, r, true); }});
  router.add({"POST", "/sync/agents/{id}/receive-updates", Access::Agent,
              [&c](Request& r) { pendingUpdates(c, r, false); }});
  router.add({"POST", "/sync/agents/{id}/updates/{update_id}/processed", Access::Agent,
              [&c](Request& r) { processed(c, r); }});

  router.add({"GET", "/sync/agents/status", Access::Admin, [&c](Request& r) {
                const std::int64_t now = nowSeconds();
                Poco::JSON::Object all;
                for (const auto& a : c.runtime.store().agents()) all.set(a.id, agentJson(c, a, now));
                Poco::JSON::Object body;
                body.set("agent_status", all);
                r.send(200, body);
              }});
  router.add({"GET", "/sync/agents/{id}/status", Access::Admin, [&c](Request& r) {
                const auto agent = c.runtime.store().agent(r.param("id"));
                if (!agent) throw notFound("no agent '" + r.param("id") + "'");
                r.send(200, agentJson(c, *agent, nowSeconds()));
              }});
  router.add({"GET", "/sync/agents/{id}/history", Access::Admin, [&c](Request& r) {
                const auto limit = static_cast<std::size_t>(r.queryInt("limit", 100, 1, 1000));
                Poco::JSON::Array items;
                for (const auto& e : c.runtime.store().journalForAgent(r.param("id"), limit)) {
                  Poco::JSON::Object o;
                  o.set("at", timeText(e.at));
                  o.set("action", e.action);
                  o.set("source", e.key.source);
                  o.set("calendar_id", e.key.calendar_id);
                  o.set("native_id", e.key.native_id);
                  o.set("detail", e.detail);
                  items.add(o);
                }
                Poco::JSON::Object body;
                body.set("agent_id", r.param("id"));
                body.set("history", items);
                r.send(200, body);
              }});
  router.add({"DELETE", "/sync/agents/{id}/credentials", Access::Admin, [&c](Request& r) {
                if (!c.runtime.auth().revokeAgent(r.param("id"), nowSeconds())) {
                  throw notFound("agent '" + r.param("id") + "' has no active credentials");
                }
                c.runtime.audit().append({0, 0, r.actor, "agent.revoke", r.param("id"), "enrolled", "revoked"});
                Poco::JSON::Object body;
                body.set("agent_id", r.param("id"));
                body.set("revoked", true);
                r.send(200, body);
              }});
}

}  // namespace calsync::master::api
