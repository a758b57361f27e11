// The calendars agents report, and metadata changes (rename, recolor, describe) that travel
// back to the agent that owns each calendar.
#include <Poco/JSON/Array.h>

#include <set>

#include "master/api/context.h"
#include "master/master_runtime.h"
#include "master/public_ids.h"

namespace calsync::master::api {
namespace {

Poco::JSON::Object calendarJson(const store::StoredCalendar& c) {
  Poco::JSON::Object o;
  o.set("id", publicCalendarId(c.agent_id, c.source, c.calendar.id));
  o.set("agent_id", c.agent_id);
  o.set("source", c.source);
  o.set("calendar_id", c.calendar.id);
  o.set("name", c.calendar.name);
  o.set("color", c.calendar.color);
  o.set("description", c.calendar.description);
  o.set("writable", c.calendar.writable);
  return o;
}

std::string imageOf(const store::StoredCalendar& c) {
  std::ostringstream out;
  calendarJson(c).stringify(out);
  return out.str();
}

bool validColor(const std::string& color) {
  if (color.size() != 7 && color.size() != 9) return false;
  if (color[0] != '#') return false;
  for (std::size_t i = 1; i < color.size(); ++i)
    if (!std::isxdigit(static_cast<unsigned char>(color[i]))) return false;
  return true;
}

// Applies one change to the master's view and queues it for the owning agent.
Poco::JSON::Object queueMetadataChange(Context& context, Request& request, const std::string& public_id,
                                       const Poco::JSON::Object::Ptr& change) {
  auto calendar = findCalendar(context, public_id);
  if (!calendar) throw notFound("no calendar '" + public_id + "'");
  AgentUpdate update;
  update.kind = AgentUpdate::Kind::CalendarMetadata;
  update.source = calendar->source;
  update.calendar_id = calendar->calendar.id;
  if (hasString(change, "name")) update.name = requiredString(change, "name");
  if (hasString(change, "color")) update.color = requiredString(change, "color");
  if (hasString(change, "description")) update.description = requiredString(change, "description");
  if (!update.name && !update.color && !update.description) {
    throw badRequest("give at least one of \"name\", \"color\" or \"description\" as a string");
  }
  if (update.name && update.name->empty()) throw badRequest("\"name\" must not be empty");
  if (update.color && !validColor(*update.color)) throw badRequest("\"color\" must look like #RRGGBB or #RRGGBBAA");

  const std::string before = imageOf(*calendar);
  if (update.name) calendar->calendar.name = *update.name;
  if (update.color) calendar->calendar.color = *update.color;
  if (update.description) calendar->calendar.description = *update.description;
  context.runtime.store().updateCalendar(*calendar);
  const std::int64_t update_id = context.runtime.updates().enqueue(calendar->agent_id, update, request.actor);
  context.runtime.audit().append({0, 0, request.actor, "calendar.update", public_id, before, imageOf(*calendar)});
  Poco::JSON::Object result = calendarJson(*calendar);
  result.set("update_id", update_id);
  result.set("update_status", std::string("pending"));
  return result;
}

std::set<std::string> stringSet(const Poco::JSON::Object::Ptr& body, const std::string& name) {
  std::set<std::string> out;
  if (!body->has(name) || body->isNull(name)) return out;
  Poco::JSON::Array::Ptr list;
  try {
    list = body->getArray(name);
  } catch (const Poco::Exception&) {
  }
  if (!list) throw badRequest("\"" + name + "\" must be an array of strings");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto value = list->get(static_cast<unsigned>(i));
    if (!value.isString()) throw badRequest("\"" + name + "\" must be an array of strings");
    out.insert(value.extract<std::string>());
  }
  return out;
}

}  // namespace

void addCalendarRoutes(Router& router, Context& c) {
  router.add({"GET", "/calendars", Access::Admin, [&c](Request& r) {
                std::set<std::string> excluded;   // taken out of the sync with DELETE /calendars/{id}
                for (const auto& rule : c.runtime.control().calendarRules("")) {
                  if (rule.excluded) excluded.insert(publicCalendarId(rule.agent_id, rule.source, rule.calendar_id));
                }
                Poco::JSON::Array list;
                for (const auto& cal : c.runtime.store().calendars()) {
                  Poco::JSON::Object o = calendarJson(cal);
                  o.set("syncing", !excluded.count(o.getValue<std::string>("id")));
                  list.add(o);
                }
                Poco::JSON::Object body;
                body.set("calendars", list);
                r.send(200, body);
              }});
  router.add({"PUT", "/calendars/{id}", Access::Admin, [&c](Request& r) {
                r.send(202, queueMetadataChange(c, r, r.param("id"), r.jsonBody()));
              }});
  router.add({"POST", "/sync/push/calendar-metadata", Access::Admin, [&c](Request& r) {
                const auto body = r.jsonBody();
                const auto targets = stringSet(body, "target_agents");
                Poco::JSON::Array::Ptr changes;
                try {
                  changes = body->getArray("changes");
                } catch (const Poco::Exception&) {
                }
                if (!changes) throw badRequest("\"changes\" must be an array of {calendar_id, name, color, description}");
                Poco::JSON::Array queued;
                for (std::size_t i = 0; i < changes->size(); ++i) {
                  Poco::JSON::Object::Ptr change = changes->getObject(static_cast<unsigned>(i));
                  if (!change) throw badRequest("changes[" + std::to_string(i) + "] must be an object");
                  const std::string id = requiredString(change, "calendar_id");
                  const auto calendar = findCalendar(c, id);
                  if (!calendar) throw notFound("no calendar '" + id + "'");
                  if (!targets.empty() && !targets.count(calendar->agent_id)) continue;
                  queued.add(queueMetadataChange(c, r, id, change));
                }
                Poco::JSON::Object answer;
                answer.set("queued", queued);
                answer.set("count", static_cast<std::int64_t>(queued.size()));
                r.send(202, answer);
              }});
}

}  // namespace calsync::master::api
