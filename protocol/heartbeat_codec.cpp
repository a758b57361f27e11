#include <algorithm>

#include "core/hash.h"
#include "protocol/heartbeat.h"
#include "protocol/json_fields.h"

namespace calsync::protocol {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using json::optional;
using json::required;

constexpr int kVersion = 1;

void checkVersion(const Object::Ptr& root, const std::string& what) {
  const int version = required<int>(root, "v", what);
  if (version != kVersion) throw ProtocolError(what + ": unsupported version " + std::to_string(version));
}

Object updateObject(const AgentUpdate& u) {
  Object o;
  o.set("id", u.id);
  o.set("kind", std::string(toString(u.kind)));
  o.set("source", u.source);
  o.set("calendar_id", u.calendar_id);
  if (u.name) o.set("name", *u.name);
  if (u.color) o.set("color", *u.color);
  if (u.description) o.set("description", *u.description);
  if (!u.native_id.empty()) o.set("native_id", u.native_id);
  if (!u.uid.empty()) o.set("uid", u.uid);
  if (!u.ical.empty()) o.set("ical", u.ical);
  if (!u.base_ical.empty()) o.set("base_ical", u.base_ical);
  if (!u.settings.empty()) {
    Object settings;
    for (const auto& [k, v] : u.settings) settings.set(k, v);
    o.set("settings", settings);
  }
  o.set("attempt", u.attempt);
  return o;
}

AgentUpdate updateFrom(const Object::Ptr& o, const std::string& where) {
  AgentUpdate u;
  u.id = required<std::int64_t>(o, "id", where);
  const auto kind = agentUpdateKindFromString(required<std::string>(o, "kind", where));
  if (!kind) throw ProtocolError(where + ".kind is not a known update kind");
  u.kind = *kind;
  u.source = optional<std::string>(o, "source", where, "");
  u.calendar_id = optional<std::string>(o, "calendar_id", where, "");
  u.name = json::maybe<std::string>(o, "name", where);
  u.color = json::maybe<std::string>(o, "color", where);
  u.description = json::maybe<std::string>(o, "description", where);
  u.native_id = optional<std::string>(o, "native_id", where, "");
  u.uid = optional<std::string>(o, "uid", where, "");
  u.ical = optional<std::string>(o, "ical", where, "");
  u.base_ical = optional<std::string>(o, "base_ical", where, "");
  if (o->has("settings")) {
    const Object::Ptr settings = json::requiredObject(o, "settings", where);
    for (const auto& [k, v] : *settings) {
      if (!v.isString()) throw ProtocolError(where + ".settings." + k + " must be a string");
      u.settings[k] = v.extract<std::string>();
    }
  }
  u.attempt = optional<int>(o, "attempt", where, 0);
  return u;
}

Object outcomeObject(const UpdateOutcome& r) {
  Object o;
  o.set("id", r.id);
  o.set("ok", r.ok);
  o.set("retryable", r.retryable);
  if (r.conflict) o.set("conflict", true);
  if (!r.error.empty()) o.set("error", r.error);
  if (!r.native_id.empty()) o.set("native_id", r.native_id);
  return o;
}

UpdateOutcome outcomeFrom(const Object::Ptr& o, const std::string& where) {
  UpdateOutcome r;
  r.id = required<std::int64_t>(o, "id", where);
  r.ok = required<bool>(o, "ok", where);
  r.retryable = optional<bool>(o, "retryable", where, true);
  r.conflict = optional<bool>(o, "conflict", where, false);
  r.error = optional<std::string>(o, "error", where, "");
  r.native_id = optional<std::string>(o, "native_id", where, "");
  return r;
}

Object reportObject(const AgentReport& r) {
  Object o;
  Object config;
  for (const auto& [k, v] : r.sync_config) config.set(k, v);
  o.set("sync_config", config);
  o.set("sync_config_overridden", r.sync_config_overridden);
  if (!r.sync_config_error.empty()) o.set("sync_config_error", r.sync_config_error);
  Array sources;
  for (const auto& s : r.sources) {
    Object so;
    so.set("name", s.name);
    so.set("state", s.state);
    so.set("last_success", s.last_success);
    if (!s.last_error.empty()) so.set("last_error", s.last_error);
    sources.add(so);
  }
  o.set("sources", sources);
  return o;
}

AgentReport reportFrom(const Object::Ptr& o, const std::string& where) {
  AgentReport r;
  if (o->has("sync_config")) {
    for (const auto& [k, v] : *json::requiredObject(o, "sync_config", where)) {
      if (!v.isString()) throw ProtocolError(where + ".sync_config." + k + " must be a string");
      r.sync_config[k] = v.extract<std::string>();
    }
  }
  r.sync_config_overridden = optional<bool>(o, "sync_config_overridden", where, false);
  r.sync_config_error = optional<std::string>(o, "sync_config_error", where, "");
  const auto sources = json::optionalArray(o, "sources", where);
  for (std::size_t i = 0; i < sources->size(); ++i) {
    const std::string at = where + ".sources[" + std::to_string(i) + "]";
    const Object::Ptr so = json::objectAt(sources, i, where + ".sources");
    AgentReport::Source s;
    s.name = required<std::string>(so, "name", at);
    s.state = optional<std::string>(so, "state", at, "");
    s.last_success = optional<std::int64_t>(so, "last_success", at, 0);
    s.last_error = optional<std::string>(so, "last_error", at, "");
    r.sources.push_back(std::move(s));
  }
  return r;
}

Object credentialObject(const CredentialState& c) {
  Object o;
  o.set("name", c.name);
  o.set("type", c.type);
  o.set("state", c.state);
  if (c.expires_at) o.set("expires_at", c.expires_at);
  if (!c.action.empty()) o.set("action", c.action);
  return o;
}

CredentialState credentialFrom(const Object::Ptr& o, const std::string& where) {
  CredentialState c;
  c.name = required<std::string>(o, "name", where);
  c.type = optional<std::string>(o, "type", where, "");
  c.state = required<std::string>(o, "state", where);
  c.expires_at = optional<std::int64_t>(o, "expires_at", where, 0);
  c.action = optional<std::string>(o, "action", where, "");
  return c;
}

Array updateArray(const std::vector<AgentUpdate>& updates) {
  Array list;
  for (const auto& u : updates) list.add(updateObject(u));
  return list;
}

std::vector<AgentUpdate> updatesFrom(const Object::Ptr& root, const std::string& where) {
  std::vector<AgentUpdate> out;
  const auto list = json::optionalArray(root, "updates", where);
  for (std::size_t i = 0; i < list->size(); ++i) {
    out.push_back(updateFrom(json::objectAt(list, i, where + ".updates"), where + ".updates[" + std::to_string(i) + "]"));
  }
  return out;
}

}  // namespace

std::string encodeHeartbeatRequest(const HeartbeatRequest& request) {
  Object root;
  root.set("v", kVersion);
  root.set("agent_id", request.agent_id);
  root.set("agent_name", request.agent_name);
  root.set("epoch", request.epoch);
  if (!request.state_digest.empty()) root.set("state_digest", request.state_digest);
  Array processed;
  for (const auto& r : request.processed) processed.add(outcomeObject(r));
  root.set("processed", processed);
  if (request.report) root.set("report", reportObject(*request.report));
  if (!request.credentials.empty()) {
    Array credentials;
    for (const auto& c : request.credentials) credentials.add(credentialObject(c));
    root.set("credentials", credentials);
  }
  std::string text = json::condense(root);
  // Batch payloads are JSON documents already: splice them in rather than parse them again.
  std::string batches = ",\"batches\":[";
  for (std::size_t i = 0; i < request.batches.size(); ++i) {
    if (i) batches += ',';
    batches += "{\"sequence\":" + std::to_string(request.batches[i].sequence) + ",\"batch\":" +
               request.batches[i].payload + "}";
  }
  batches += "]}";
  text.pop_back();  // the closing brace
  return text + batches;
}

HeartbeatRequest decodeHeartbeatRequest(const std::string& text) {
  const std::string what = "heartbeat";
  const Object::Ptr root = json::parseObject(text, what);
  checkVersion(root, what);
  HeartbeatRequest request;
  request.agent_id = required<std::string>(root, "agent_id", what);
  request.agent_name = optional<std::string>(root, "agent_name", what, "");
  request.epoch = required<std::string>(root, "epoch", what);
  request.state_digest = optional<std::string>(root, "state_digest", what, "");
  const auto batches = json::optionalArray(root, "batches", what);
  for (std::size_t i = 0; i < batches->size(); ++i) {
    const std::string where = what + ".batches[" + std::to_string(i) + "]";
    const Object::Ptr item = json::objectAt(batches, i, what + ".batches");
    OutgoingBatch batch;
    batch.sequence = required<std::int64_t>(item, "sequence", where);
    batch.payload = json::condense(*json::requiredObject(item, "batch", where));
    request.batches.push_back(std::move(batch));
  }
  const auto processed = json::optionalArray(root, "processed", what);
  for (std::size_t i = 0; i < processed->size(); ++i) {
    request.processed.push_back(outcomeFrom(json::objectAt(processed, i, what + ".processed"),
                                            what + ".processed[" + std::to_string(i) + "]"));
  }
  if (root->has("report") && !root->isNull("report")) {
    request.report = reportFrom(json::requiredObject(root, "report", what), what + ".report");
  }
  const auto credentials = json::optionalArray(root, "credentials", what);
  for (std::size_t i = 0; i < credentials->size(); ++i) {
    request.credentials.push_back(credentialFrom(json::objectAt(credentials, i, what + ".credentials"),
                                                 what + ".credentials[" + std::to_string(i) + "]"));
  }
  return request;
}

std::string encodeHeartbeatResponse(const HeartbeatResponse& response) {
  Object root;
  root.set("v", kVersion);
  root.set("acknowledged_sequence", response.acknowledged_sequence);
  if (!response.error.empty()) root.set("error", response.error);
  root.set("resync", response.resync);
  root.set("updates", updateArray(response.updates));
  return json::condense(root);
}

HeartbeatResponse decodeHeartbeatResponse(const std::string& text) {
  const std::string what = "heartbeat response";
  const Object::Ptr root = json::parseObject(text, what);
  checkVersion(root, what);
  HeartbeatResponse response;
  response.acknowledged_sequence = required<std::int64_t>(root, "acknowledged_sequence", what);
  response.error = optional<std::string>(root, "error", what, "");
  response.resync = optional<bool>(root, "resync", what, false);
  response.updates = updatesFrom(root, what);
  return response;
}

std::string encodeUpdate(const AgentUpdate& update) { return json::condense(updateObject(update)); }

AgentUpdate decodeUpdate(const std::string& text) { return updateFrom(json::parseObject(text, "update"), "update"); }

std::string encodeUpdateList(const std::vector<AgentUpdate>& updates) {
  Object root;
  root.set("updates", updateArray(updates));
  root.set("count", static_cast<std::int64_t>(updates.size()));
  return json::condense(root);
}

std::vector<AgentUpdate> decodeUpdateList(const std::string& text) {
  return updatesFrom(json::parseObject(text, "pending updates"), "pending updates");
}

std::string encodeAgentReport(const AgentReport& report) { return json::condense(reportObject(report)); }

AgentReport decodeAgentReport(const std::string& text) {
  return reportFrom(json::parseObject(text, "agent report"), "agent report");
}

std::string encodeOutcome(const UpdateOutcome& outcome) { return json::condense(outcomeObject(outcome)); }

UpdateOutcome decodeOutcome(const std::string& text) {
  return outcomeFrom(json::parseObject(text, "update outcome"), "update outcome");
}

std::string stateDigest(std::vector<DigestEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const DigestEntry& a, const DigestEntry& b) {
    if (a.source != b.source) return a.source < b.source;
    if (a.calendar_id != b.calendar_id) return a.calendar_id < b.calendar_id;
    return a.native_id < b.native_id;
  });
  std::string text;
  for (const auto& e : entries) {
    text += e.source + '\x1f' + e.calendar_id + '\x1f' + e.native_id + '\x1f' + e.hash + '\x1f' +
            (e.in_window ? "1" : "0") + '\n';
  }
  return sha256Hex(text);
}

}  // namespace calsync::protocol
