// Sync settings pushed to agents (POST /sync/push/sync-config) and which calendars are
// synced (POST /calendars, DELETE /calendars/{id}). Both reach the agent as one SyncConfig
// update carrying its whole override: the pushed settings plus the calendar rules.
#include <Poco/JSON/Array.h>

#include <sstream>

#include "core/duration.h"
#include "core/sync_config.h"
#include "master/api/context.h"
#include "master/master_runtime.h"
#include "master/public_ids.h"

namespace calsync::master::api {
namespace {

const char* const kConfigKeys[] = {sync_keys::kSyncInterval, sync_keys::kWindowPast, sync_keys::kWindowFuture,
                                   sync_keys::kBidirectional};

std::string jsonText(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

// Settings as the API shows them: durations as numbers of seconds, bidirectional as a boolean.
Poco::JSON::Object settingsJson(const std::map<std::string, std::string>& settings) {
  Poco::JSON::Object o;
  for (const auto& [key, value] : settings) {
    if (key == sync_keys::kBidirectional) o.set(key, value == "true");
    else if (key == sync_keys::kExcludeCalendars || key == sync_keys::kIncludeCalendars) o.set(key, value);
    else o.set(key, static_cast<std::int64_t>(std::stoll(value)));
  }
  return o;
}

// A duration given as a number of seconds or as text like "30m".
std::int64_t durationField(const Poco::JSON::Object::Ptr& config, const std::string& key) {
  const auto value = config->get(key);
  std::optional<std::int64_t> seconds;
  if (value.isString()) {
    seconds = parseDuration(value.extract<std::string>());
  } else if (value.isInteger()) {
    seconds = value.convert<std::int64_t>();
  }
  if (!seconds) {
    throw badRequest("config." + key + " must be a number of seconds or a duration like \"30m\", \"2h\", \"30d\"");
  }
  return *seconds;
}

// The "config" object of a push, checked and brought to SyncConfig settings.
std::map<std::string, std::string> configSettings(const Poco::JSON::Object::Ptr& body) {
  if (!body->has("config") || body->isNull("config")) {
    throw badRequest("\"config\" is required: an object with any of sync_interval, window_past, window_future, "
                     "bidirectional ({} clears the pushed settings)");
  }
  Poco::JSON::Object::Ptr config;
  try {
    config = body->getObject("config");
  } catch (const Poco::Exception&) {
  }
  if (!config) throw badRequest("\"config\" must be an object");
  SyncOverride parsed;
  for (const auto& [key, value] : *config) {
    if (value.isEmpty()) continue;   // null: not pushed, the agent's INI value applies
    if (key == sync_keys::kSyncInterval) {
      parsed.sync_interval_seconds = durationField(config, key);
      if (auto why = checkSyncInterval(*parsed.sync_interval_seconds); !why.empty()) throw badRequest(why);
    } else if (key == sync_keys::kWindowPast || key == sync_keys::kWindowFuture) {
      const std::int64_t seconds = durationField(config, key);
      if (auto why = checkWindow(key.c_str(), seconds); !why.empty()) throw badRequest(why);
      (key == sync_keys::kWindowPast ? parsed.window_past_seconds : parsed.window_future_seconds) = seconds;
    } else if (key == sync_keys::kBidirectional) {
      if (!value.isBoolean()) throw badRequest("config.bidirectional must be true or false");
      parsed.bidirectional = value.extract<bool>();
    } else {
      throw badRequest("config." + key +
                       " is not a sync setting; use sync_interval, window_past, window_future or bidirectional "
                       "(calendars are chosen with POST /calendars and DELETE /calendars/{id})");
    }
  }
  auto settings = syncOverrideSettings(parsed);
  settings.erase(sync_keys::kExcludeCalendars);
  settings.erase(sync_keys::kIncludeCalendars);
  return settings;
}

std::vector<std::string> targetAgents(Context& context, const Poco::JSON::Object::Ptr& body) {
  std::vector<std::string> targets;
  const std::string hint = "\"target_agents\" must be \"all\" or a non-empty array of agent ids";
  if (!body->has("target_agents") || body->isNull("target_agents")) throw badRequest(hint);
  const auto value = body->get("target_agents");
  if (value.isString()) {
    if (value.extract<std::string>() != "all") throw badRequest(hint);
    for (const auto& a : context.runtime.store().agents()) targets.push_back(a.id);
    return targets;
  }
  Poco::JSON::Array::Ptr list;
  try {
    list = body->getArray("target_agents");
  } catch (const Poco::Exception&) {
  }
  if (!list || list->size() == 0) throw badRequest(hint);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto item = list->get(static_cast<unsigned>(i));
    if (!item.isString()) throw badRequest(hint);
    const std::string id = item.extract<std::string>();
    if (!context.runtime.store().agent(id)) throw notFound("no agent '" + id + "'");
    targets.push_back(id);
  }
  return targets;
}

// The agent's whole override as it is decided now, queued as one SyncConfig update.
std::int64_t queueSyncConfig(Context& context, const std::string& agent_id, const std::string& actor,
                             std::map<std::string, std::string>* sent = nullptr) {
  auto settings = context.runtime.control().pushedSettings(agent_id);
  SyncOverride lists;
  for (const auto& rule : context.runtime.control().calendarRules(agent_id)) {
    (rule.excluded ? lists.exclude_calendars : lists.include_calendars).insert({rule.source, rule.calendar_id});
  }
  const auto list_settings = syncOverrideSettings(lists);
  settings.insert(list_settings.begin(), list_settings.end());
  AgentUpdate update;
  update.kind = AgentUpdate::Kind::SyncConfig;
  update.settings = settings;
  if (sent) *sent = settings;
  const std::int64_t id = context.runtime.updates().enqueue(agent_id, update, actor);
  context.runtime.control().supersedeSyncConfigs(agent_id, id);
  return id;
}

void pushSyncConfig(Context& context, Request& request) {
  const auto body = request.jsonBody();
  const auto settings = configSettings(body);
  const auto targets = targetAgents(context, body);
  Poco::JSON::Array queued;
  for (const auto& agent_id : targets) {
    const auto before = context.runtime.control().pushedSettings(agent_id);
    context.runtime.control().setPushedSettings(agent_id, settings, request.actor, nowSeconds());
    std::map<std::string, std::string> sent;
    const std::int64_t update_id = queueSyncConfig(context, agent_id, request.actor, &sent);
    context.runtime.audit().append({0, 0, request.actor, "sync_config.push", agent_id,
                                    before.empty() ? "" : jsonText(settingsJson(before)),
                                    jsonText(settingsJson(settings))});
    Poco::JSON::Object item;
    item.set("agent_id", agent_id);
    item.set("update_id", update_id);
    item.set("update_status", std::string("pending"));
    item.set("settings", settingsJson(sent));
    queued.add(item);
  }
  Poco::JSON::Object answer;
  answer.set("config", settingsJson(settings));
  answer.set("cleared", settings.empty());
  answer.set("queued", queued);
  answer.set("count", static_cast<std::int64_t>(queued.size()));
  request.send(202, answer);
}

Poco::JSON::Object ruleAnswer(const std::string& agent_id, const std::string& source, const std::string& calendar_id,
                              bool syncing, std::int64_t update_id) {
  Poco::JSON::Object o;
  o.set("id", publicCalendarId(agent_id, source, calendar_id));
  o.set("agent_id", agent_id);
  o.set("source", source);
  o.set("calendar_id", calendar_id);
  o.set("syncing", syncing);
  o.set("update_id", update_id);
  o.set("update_status", std::string("pending"));
  return o;
}

void stopSyncing(Context& context, Request& request) {
  const std::string& public_id = request.param("id");
  const auto calendar = findCalendar(context, public_id);
  if (!calendar) throw notFound("no calendar '" + public_id + "'");
  std::size_t copies = 0;
  for (const auto& copy : context.runtime.store().copies()) {
    if (copy.key.agent_id == calendar->agent_id && copy.key.source == calendar->source &&
        copy.key.calendar_id == calendar->calendar.id) {
      ++copies;
    }
  }
  // The source objects stay as tombstones; the destination writer removes the copies calsync
  // wrote for them (and only those: each copy is checked for calsync's origin marker).
  const std::size_t retired = context.runtime.control().excludeCalendar(
      {calendar->agent_id, calendar->source, calendar->calendar.id, true, nowSeconds(), request.actor});
  context.runtime.ingest().invalidateDigest(calendar->agent_id);
  const std::int64_t update_id = queueSyncConfig(context, calendar->agent_id, request.actor);
  context.runtime.audit().append({0, 0, request.actor, "calendar.exclude", public_id,
                                  "{\"syncing\":true}",
                                  "{\"syncing\":false,\"objects_retired\":" + std::to_string(retired) + "}"});
  context.runtime.requestDestinationPass();
  Poco::JSON::Object answer =
      ruleAnswer(calendar->agent_id, calendar->source, calendar->calendar.id, false, update_id);
  answer.set("name", calendar->calendar.name);
  answer.set("objects_retired", static_cast<std::int64_t>(retired));
  answer.set("copies_to_remove", static_cast<std::int64_t>(copies));
  request.send(202, answer);
}

void startSyncing(Context& context, Request& request) {
  const auto body = request.jsonBody();
  const std::string agent_id = requiredString(body, "agent_id");
  const std::string source = requiredString(body, "source");
  const std::string calendar_id = requiredString(body, "calendar_id");
  if (source.empty() || calendar_id.empty()) throw badRequest("\"source\" and \"calendar_id\" must not be empty");
  if (!context.runtime.store().agent(agent_id)) throw notFound("no agent '" + agent_id + "'");
  bool was_excluded = false;
  for (const auto& rule : context.runtime.control().calendarRules(agent_id)) {
    if (rule.source == source && rule.calendar_id == calendar_id) was_excluded = rule.excluded;
  }
  context.runtime.control().includeCalendar({agent_id, source, calendar_id, false, nowSeconds(), request.actor});
  const std::int64_t update_id = queueSyncConfig(context, agent_id, request.actor);
  const std::string public_id = publicCalendarId(agent_id, source, calendar_id);
  context.runtime.audit().append({0, 0, request.actor, "calendar.include", public_id,
                                  was_excluded ? "{\"syncing\":false}" : "", "{\"syncing\":true}"});
  request.send(202, ruleAnswer(agent_id, source, calendar_id, true, update_id));
}

}  // namespace

void addSyncConfigRoutes(Router& router, Context& c) {
  router.add({"POST", "/sync/push/sync-config", Access::Admin, [&c](Request& r) { pushSyncConfig(c, r); }});
  router.add({"DELETE", "/calendars/{id}", Access::Admin, [&c](Request& r) { stopSyncing(c, r); }});
  router.add({"POST", "/calendars", Access::Admin, [&c](Request& r) { startSyncing(c, r); }});
}

}  // namespace calsync::master::api
