// Changing what the master writes to, and proving the whole path works:
//   POST /sync/config/destination/TYPE   {source | credentials, calendar_id}  (google, graph, ...)
//   POST /sync/test/end-to-end           one full cycle now, with what it did
// The INI configuration stays the truth: a new destination is a conf.d drop-in that the daemon
// validates with the whole configuration before writing it, then reloads as SIGHUP does.
#include <Poco/JSON/Array.h>

#include "core/log.h"
#include "master/api/config_helpers.h"
#include "master/master_runtime.h"

namespace calsync::master::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::int64_t kRecentCheckInSeconds = 300;   // as "online" in GET /sync/agents/status

// The calendar `id` among what the section's account sees, and writable: checked with the
// provider before anything is changed, so a typo never becomes the running destination.
Calendar writableCalendar(const ConnectorSpec& spec, const std::string& id) {
  std::vector<Calendar> calendars;
  try {
    auto connector = ConnectorRegistry::instance().create(spec);
    calendars = connector->listCalendars();
  } catch (const ConnectorError& e) {
    throw apiErrorFor(e);
  }
  std::string known;
  for (const auto& calendar : calendars) {
    if (calendar.id != id) {
      known += (known.empty() ? "" : ", ") + calendar.id;
      continue;
    }
    if (!calendar.writable) {
      throw ApiError(409, "calendar_read_only",
                     "the account of " + sectionLabel(spec.name) + " may not write to calendar '" + id + "'");
    }
    return calendar;
  }
  throw ApiError(404, "calendar_not_found", "the account of " + sectionLabel(spec.name) + " has no calendar '" + id +
                                                "' (it has: " + known + "); see POST /sync/config/" + spec.type +
                                                "/calendars");
}

void replaceDestination(Context& c, Request& r, const std::string& type) {
  DaemonControl& control = daemonControl(c);
  const auto body = r.jsonBody();
  const bool by_source = hasString(body, "source");
  const bool by_credentials = hasString(body, "credentials");
  if (by_source == by_credentials) {
    throw badRequest("give exactly one of \"source\" (NAME of [source.NAME], or \"destination\") and \"credentials\" "
                     "(the section whose sign-in to use, e.g. \"source.NAME\")");
  }
  const std::string calendar_id = requiredString(body, "calendar_id");
  if (!control.canReload()) {
    throw ApiError(409, "cannot_reload",
                   "this calsyncd cannot reload itself (it runs with --once or under a test harness); set [destination] "
                   "in the configuration and restart it");
  }
  const ConnectorSpec spec =
      connectorSection(c, by_source ? optionalString(body, "source") : optionalString(body, "credentials"), type);
  const Calendar calendar = writableCalendar(spec, calendar_id);
  DestinationChange change;
  try {
    change = control.replaceDestination(spec.name, calendar.id);
  } catch (const ControlError& e) {
    throw apiErrorFor(e);
  }
  c.runtime.audit().append({0, 0, r.actor, "destination.replace", "destination", change.before, change.after});
  log::info("api", "the destination becomes " + type + " calendar '" + calendar.id + "' with the sign-in of " +
                       sectionLabel(spec.name) + " (" + change.file + "); reloading");
  Object destination;
  destination.set("type", type);
  destination.set("calendar", calendar.id);
  destination.set("calendar_name", calendar.name);
  destination.set("credentials_from", sectionLabel(spec.name));
  Object answer;
  answer.set("destination", destination);
  answer.set("file", change.file);
  answer.set("reload", std::string("requested"));
  r.send(200, answer);
  // After the answer: the reload replaces this API server.
  control.requestReload();
}

void endToEnd(Context& c, Request& r) {
  const std::int64_t started = nowSeconds();
  CycleRun run;
  std::string type;
  std::string calendar;
  if (c.settings.control) {
    run = c.settings.control->runCycleNow();
    if (auto destination = c.settings.control->section("destination")) type = destination->type;
    calendar = c.settings.control->destinationCalendar();
  } else {
    run.destination = c.runtime.writeDestination(started, [] { return false; }, true);
    run.has_destination = true;
    if (run.destination.failed) run.errors.push_back("destination: " + run.destination.first_error);
  }
  const std::size_t written =
      run.destination.created + run.destination.updated + run.destination.deleted + run.destination.adopted;

  // Agents that reported recently: in master mode they sync on their own clocks, so this run
  // wrote what they had delivered.
  Array agents;
  std::int64_t agents_processed = 0;
  for (const auto& agent : c.runtime.store().agents()) {
    const bool local = run.local_agent && agent.id == run.agent_id;
    if (!local && (agent.last_seen == 0 || started - agent.last_seen > kRecentCheckInSeconds)) continue;
    Object o;
    o.set("id", agent.id);
    o.set("name", agent.name);
    o.set("last_check_in", timeText(agent.last_seen));
    o.set("local", local);
    agents.add(o);
    ++agents_processed;
  }
  if (run.local_agent && agents_processed == 0) ++agents_processed;   // nothing delivered yet, but it ran

  Array errors;
  for (const auto& e : run.errors) errors.add(e);
  Object destination;
  destination.set("type", type);
  destination.set("calendar", calendar);
  destination.set("written", static_cast<std::int64_t>(written));
  destination.set("created", static_cast<std::int64_t>(run.destination.created));
  destination.set("updated", static_cast<std::int64_t>(run.destination.updated));
  destination.set("deleted", static_cast<std::int64_t>(run.destination.deleted));
  destination.set("failed", static_cast<std::int64_t>(run.destination.failed));
  Object body;
  body.set("ok", run.errors.empty() && run.delivered);
  body.set("agents_processed", agents_processed);
  body.set("agents", agents);
  body.set("sources_ok", run.sources_ok);
  body.set("sources_failed", run.sources_failed);
  body.set("events_synced", static_cast<std::int64_t>(run.local_agent ? run.changes : written));
  body.set("errors", errors);
  body.set("destination", destination);
  body.set("seconds", nowSeconds() - started);
  c.runtime.audit().append({0, 0, r.actor, "sync.test", "end-to-end", "",
                            "{\"written\":" + std::to_string(written) + ",\"errors\":" + std::to_string(run.errors.size()) + "}"});
  r.send(200, body);
}

}  // namespace

void addDestinationRoutes(Router& router, Context& c) {
  router.add({"POST", "/sync/config/destination/{type}", Access::Admin, [&c](Request& r) {
                const ConnectorInfo* info = ConnectorRegistry::instance().find(r.param("type"));
                if (!info || info->type != r.param("type") || !info->can_be_destination) {
                  throw notFound("no connector type '" + r.param("type") + "' that can be a destination");
                }
                replaceDestination(c, r, info->type);
              }});
  router.add({"POST", "/sync/test/end-to-end", Access::Admin, [&c](Request& r) { endToEnd(c, r); }});
}

}  // namespace calsync::master::api
