// What a dashboard polls: counts (GET /sync/stats), what happened lately (GET
// /sync/activity/recent) and one overall summary (GET /api/sync/status).
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <charconv>

#include "master/api/context.h"
#include "master/events_query.h"
#include "master/master_runtime.h"

namespace calsync::master::api {
namespace {

constexpr std::int64_t kOnlineWithinSeconds = 300;   // as GET /sync/agents/status counts it

std::int64_t lastDestinationWrite(Context& context) {
  return context.runtime.control().lastJournalAt({"copy-write", "copy-delete"});
}

std::map<std::string, std::int64_t> updateTotals(Context& context) {
  std::map<std::string, std::int64_t> totals = {{"pending", 0}, {"delivered", 0}, {"processed", 0}, {"failed", 0}};
  for (const auto& [agent, counts] : context.runtime.updates().queue().stats()) {
    for (const auto& [status, n] : counts) totals[status] += n;
  }
  return totals;
}

Poco::JSON::Object countsJson(const std::map<std::string, std::int64_t>& counts) {
  Poco::JSON::Object o;
  for (const auto& [k, v] : counts) o.set(k, v);
  return o;
}

void stats(Context& context, Request& request) {
  const std::int64_t now = nowSeconds();
  const auto counts = context.runtime.store().counts();
  const auto count = [&](const std::string& name) {
    auto it = counts.find(name);
    return it == counts.end() ? std::int64_t{0} : it->second;
  };
  std::int64_t online = 0;
  const auto agents = context.runtime.store().agents();
  for (const auto& a : agents) online += a.last_seen > 0 && now - a.last_seen <= kOnlineWithinSeconds ? 1 : 0;
  std::int64_t excluded = 0;
  for (const auto& rule : context.runtime.control().calendarRules("")) excluded += rule.excluded ? 1 : 0;

  Poco::JSON::Object body;
  body.set("agents", countsJson({{"total", static_cast<std::int64_t>(agents.size())}, {"online", online}}));
  body.set("calendars", countsJson({{"total", count("calendars")}, {"excluded", excluded}}));
  body.set("objects", countsJson({{"active", count("objects.active")},
                                  {"out_of_window", count("objects.out_of_window")},
                                  {"deleted", count("objects.deleted")}}));
  body.set("copies", count("copies"));
  body.set("pending_writes", context.runtime.control().pendingWriteCount());
  body.set("updates", countsJson(updateTotals(context)));
  body.set("conflicts", countsJson(context.runtime.control().conflictCounts()));
  body.set("journal_entries", count("journal"));
  body.set("last_destination_write", timeText(lastDestinationWrite(context)));
  request.send(200, body);
}

// The store's journal and the admin audit, newest first. Entries name objects by their ids
// only: event content never appears here.
void activity(Context& context, Request& request) {
  const auto limit = static_cast<std::size_t>(request.queryInt("limit", 50, 1, 500));
  struct Item {
    std::int64_t at;
    int source;   // 0 journal, 1 audit
    std::int64_t id;
    Poco::JSON::Object json;
  };
  std::vector<Item> items;
  for (const auto& e : context.runtime.store().recentJournal(limit)) {
    Poco::JSON::Object o;
    o.set("at", timeText(e.at));
    o.set("kind", std::string("journal"));
    o.set("actor", e.actor);
    o.set("action", e.action);
    o.set("agent_id", e.key.agent_id);
    o.set("source", e.key.source);
    o.set("calendar_id", e.key.calendar_id);
    o.set("native_id", e.key.native_id);
    items.push_back({e.at, 0, e.id, o});
  }
  for (const auto& e : context.runtime.audit().recent(limit)) {
    Poco::JSON::Object o;
    o.set("at", timeText(e.at));
    o.set("kind", std::string("audit"));
    o.set("actor", e.actor);
    o.set("action", e.action);
    o.set("target", e.target);
    items.push_back({e.at, 1, e.id, o});
  }
  // Journal and audit number their rows separately and the clock has whole seconds: within
  // one second, audit entries come first, then each one's newest first.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.at != b.at) return a.at > b.at;
    if (a.source != b.source) return a.source > b.source;
    return a.id > b.id;
  });
  if (items.size() > limit) items.resize(limit);
  Poco::JSON::Array list;
  for (const auto& item : items) list.add(item.json);
  Poco::JSON::Object body;
  body.set("activity", list);
  body.set("count", static_cast<std::int64_t>(items.size()));
  request.send(200, body);
}

// Worst of two states, in the order /health uses.
std::string worse(const std::string& a, const std::string& b) {
  const auto rank = [](const std::string& s) {
    if (s == "failing") return 3;
    if (s == "degraded") return 2;
    if (s == "starting") return 1;
    return 0;
  };
  return rank(b) > rank(a) ? b : a;
}

void syncStatus(Context& context, Request& request) {
  const std::int64_t now = nowSeconds();
  std::string overall = "ok";
  Poco::JSON::Array local_sources;
  Poco::JSON::Object destination;
  bool has_destination = false;
  for (const auto& h : context.runtime.health().snapshot()) {
    const std::string state = h.state == "pending" ? "starting" : h.state;
    overall = worse(overall, state);
    Poco::JSON::Object o;
    o.set("name", h.name);
    o.set("type", h.type);
    o.set("state", h.state);
    o.set("last_sync", timeText(h.last_success));
    o.set("last_error", h.last_error);
    if (h.role == "destination") {
      o.set("copies", h.objects);
      destination = o;
      has_destination = true;
    } else {
      local_sources.add(o);
    }
  }
  Poco::JSON::Array agents;
  for (const auto& a : context.runtime.store().agents()) {
    const bool online = a.last_seen > 0 && now - a.last_seen <= kOnlineWithinSeconds;
    Poco::JSON::Object o;
    o.set("id", a.id);
    o.set("name", a.name);
    o.set("status", std::string(a.last_seen == 0 ? "never_seen" : online ? "online" : "offline"));
    o.set("last_check_in", timeText(a.last_seen));
    if (!online) overall = worse(overall, "degraded");
    if (const auto report = context.runtime.control().report(a.id)) {
      Poco::JSON::Object r = agentReportJson(*report, a.last_seen);
      o.set("sync_config_overridden", r.get("sync_config_overridden"));
      o.set("sources", r.get("sources"));
      for (const auto& s : report->report.sources) overall = worse(overall, s.state == "pending" ? "ok" : s.state);
    }
    agents.add(o);
  }
  settleEventRequests(context);
  const auto updates = updateTotals(context);
  Poco::JSON::Object pending;
  pending.set("updates", updates.at("pending") + updates.at("delivered"));
  pending.set("failed_updates", updates.at("failed"));
  pending.set("destination_writes", context.runtime.control().pendingWriteCount());
  pending.set("event_requests", static_cast<std::int64_t>(context.runtime.control().pendingEventRequests(10000).size()));

  Poco::JSON::Object body;
  body.set("mode", context.settings.mode);
  body.set("status", overall);
  body.set("healthy", overall == "ok");
  body.set("agents", agents);
  body.set("sources", local_sources);
  if (has_destination) body.set("destination", destination);
  else body.set("destination", Poco::Dynamic::Var());
  body.set("last_destination_write", timeText(lastDestinationWrite(context)));
  body.set("pending", pending);
  request.send(200, body);
}

}  // namespace

Poco::JSON::Object agentReportJson(const store::StoredAgentReport& stored, std::int64_t last_seen) {
  const AgentReport& r = stored.report;
  Poco::JSON::Object config;
  for (const auto& [key, value] : r.sync_config) {
    // What an agent reports is shown, not trusted: a value that is not what the key should
    // hold stays text.
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (key == "bidirectional" && (value == "true" || value == "false")) config.set(key, value == "true");
    else if (!value.empty() && error == std::errc() && end == value.data() + value.size()) config.set(key, number);
    else config.set(key, value);
  }
  Poco::JSON::Array sources;
  for (const auto& s : r.sources) {
    Poco::JSON::Object o;
    o.set("name", s.name);
    o.set("state", s.state);
    // A source that is fine was read in the cycle that ended with the last check-in.
    const bool fine = s.state == "ok" || s.state == "degraded";
    o.set("last_sync", timeText(fine ? std::max(last_seen, s.last_success) : s.last_success));
    o.set("last_error", s.last_error);
    sources.add(o);
  }
  Poco::JSON::Object o;
  o.set("sync_config", config);
  o.set("sync_config_overridden", r.sync_config_overridden);
  o.set("sync_config_error", r.sync_config_error);
  o.set("sources", sources);
  o.set("reported_at", timeText(stored.reported_at));
  return o;
}

void addStatusRoutes(Router& router, Context& c) {
  router.add({"GET", "/sync/stats", Access::Admin, [&c](Request& r) { stats(c, r); }});
  router.add({"GET", "/sync/activity/recent", Access::Admin, [&c](Request& r) { activity(c, r); }});
  router.add({"GET", "/api/sync/status", Access::Admin, [&c](Request& r) { syncStatus(c, r); }});
}

}  // namespace calsync::master::api
