// Writing to a Graph calendar without ever notifying anyone: copies carry no attendees, and a
// meeting with attendees is refused (Graph has no "do not notify" switch: an organizer's
// update or delete of a meeting always mails its attendees). Concurrency uses the event's
// @odata.etag (W/"changeKey"); a 412 ErrorIrresolvableConflict is re-read and reported as
// Conflict, or NotFound when the event is gone.
#include <algorithm>

#include "core/hash.h"
#include "core/log.h"
#include "graph/graph_connector.h"
#include "ical/zone_lookup.h"
#include "oauth/encoding.h"

namespace calsync::graph {
namespace {

constexpr std::string_view kLog = "graph";

bool ok(int status) { return status >= 200 && status < 300; }

std::optional<std::int64_t> instantFor(const DateTime& value) {
  if (value.is_date) return civilToEpoch(value.year, value.month, value.day, 0, 0, 0);
  return value.utc ? value.utc : ical::instantOf(value);
}

}  // namespace

WriteResult GraphConnector::apply(const EventChange& change) {
  switch (change.kind) {
    case EventChange::Kind::Create: return create(change);
    case EventChange::Kind::Update: return update(change);
    case EventChange::Kind::Delete: remove(change); return WriteResult{change.object.native_id, {}};
  }
  throw ConnectorError(ErrorKind::BadData, "graph: unknown change kind");
}

json::Object::Ptr GraphConnector::currentForWrite(const std::string& id, const std::string& if_match,
                                                  const std::string& context) {
  auto response = api_->send("GET", eventPath(id) + "?$select=id,type,attendees,isOrganizer,changeKey");
  if (response.status == 404) throw ConnectorError(ErrorKind::NotFound, context + ": the event does not exist");
  if (response.status != 200) throw api_->errorFor(response, context);
  auto current = json::parseObject(response.body, context);
  if (!json::objects(current, "attendees").empty() && json::boolean(current, "isOrganizer")) {
    throw ConnectorError(ErrorKind::Permission, context + ": it is a meeting with attendees, and Graph would e-mail "
                                                          "them about any change; change it in Outlook instead");
  }
  if (!if_match.empty() && json::text(current, "@odata.etag") != if_match) {
    throw ConnectorError(ErrorKind::Conflict, context + ": the event changed since it was read");
  }
  return current;
}

WriteResult GraphConnector::create(const EventChange& change) {
  const CalendarObject& object = change.object;
  if (object.uid.empty()) throw ConnectorError(ErrorKind::BadData, "graph: cannot create an event without a UID");
  const std::string context = "POST event to " + change.calendar;
  // Graph picks ids itself, so "already there" has to be asked first.
  if (auto existing = findByUid(change.calendar, object.uid)) {
    throw ConnectorError(ErrorKind::Conflict, context + ": an event with this UID already exists");
  }
  auto body = masterBody(object);
  // Idempotency key: a retried POST returns the first event instead of a second one.
  body->set("transactionId", "calsync-" + sha256Hex(change.calendar + '\x1f' + object.uid).substr(0, 32));
  auto response = api_->send("POST", config_.userPath() + "/calendars/" + oauth::urlEncode(change.calendar) + "/events",
                             json::stringify(body));
  if (!ok(response.status)) throw api_->errorFor(response, context);
  auto created = json::parseObject(response.body, context);
  const std::string id = json::text(created, "id");
  std::string etag = json::text(created, "@odata.etag");
  if (object.components.size() > 1 || (object.master() && !object.master()->recurrence.exdates.empty())) {
    writeOccurrences(id, object);
    if (auto current = getEvent(id)) etag = json::text(*current, "@odata.etag");
  }
  return WriteResult{id, etag};
}

WriteResult GraphConnector::update(const EventChange& change) {
  const std::string id = change.object.native_id;
  if (id.empty()) throw ConnectorError(ErrorKind::BadData, "graph: update without the event's id");
  const std::string context = "PATCH event " + id;
  auto current = currentForWrite(id, change.if_match, context);
  auto response = api_->send("PATCH", eventPath(id), json::stringify(masterBody(change.object)),
                             json::text(current, "@odata.etag"));
  if (response.status == 412 || response.status == 409) {
    // ErrorIrresolvableConflict: re-read to tell "changed" from "gone".
    if (!getEvent(id)) throw ConnectorError(ErrorKind::NotFound, context + ": the event was deleted");
    throw ConnectorError(ErrorKind::Conflict, context + ": " + graphErrorOf(response).code +
                                                  " (the event changed since it was read)");
  }
  if (response.status == 404) throw ConnectorError(ErrorKind::NotFound, context + ": the event was deleted");
  if (!ok(response.status)) throw api_->errorFor(response, context);
  std::string etag = json::text(json::parseObject(response.body, context), "@odata.etag");
  if (change.object.components.size() > 1 ||
      (change.object.master() && !change.object.master()->recurrence.exdates.empty())) {
    writeOccurrences(id, change.object);
    if (auto now = getEvent(id)) etag = json::text(*now, "@odata.etag");
  }
  return WriteResult{id, etag};
}

void GraphConnector::remove(const EventChange& change) {
  const std::string id = change.object.native_id;
  if (id.empty()) throw ConnectorError(ErrorKind::BadData, "graph: delete without the event's id");
  const std::string context = "DELETE event " + id;
  auto current = currentForWrite(id, change.if_match, context);
  auto response = api_->send("DELETE", eventPath(id), {}, json::text(current, "@odata.etag"));
  if (response.status == 412) {
    if (!getEvent(id)) throw ConnectorError(ErrorKind::NotFound, context + ": the event was deleted");
    throw ConnectorError(ErrorKind::Conflict, context + ": the event changed since it was read");
  }
  if (response.status == 404) throw ConnectorError(ErrorKind::NotFound, context + ": the event was deleted");
  if (!ok(response.status)) throw api_->errorFor(response, context);
}

void GraphConnector::writeOccurrences(const std::string& master_id, const CalendarObject& object) {
  const Event* master = object.master();
  if (!master) return;
  // Graph's pattern has no EXDATE: cancelled occurrences are deleted one by one, overridden
  // ones patched. Both are found among the series' instances by their original start.
  std::vector<std::pair<std::int64_t, const Event*>> targets;  // nullptr = cancel
  for (const auto& exdate : master->recurrence.exdates) {
    if (auto at = instantFor(exdate)) targets.emplace_back(*at, nullptr);
  }
  for (const auto& e : object.components) {
    if (!e.recurrence_id) continue;
    if (auto at = instantFor(*e.recurrence_id)) targets.emplace_back(*at, e.status == EventStatus::Cancelled ? nullptr : &e);
  }
  if (targets.empty()) return;
  auto [low, high] = std::minmax_element(targets.begin(), targets.end());
  auto instances = instancesAround(master_id, low->first - 86400, high->first + 2 * 86400);
  for (const auto& [at, event] : targets) {
    std::string instance_id;
    for (const auto& instance : instances) {
      auto original = originalStartOf(instance);
      if (!original) continue;
      const bool same = master->start.is_date ? *original / 86400 == at / 86400 || *original == at : *original == at;
      if (same) instance_id = json::text(instance, "id");
    }
    if (instance_id.empty()) {
      log::debug(kLog, "series " + master_id + " has no occurrence at " + std::to_string(at) + " (already cancelled?)");
      continue;
    }
    const std::string context = (event ? "PATCH occurrence " : "DELETE occurrence ") + instance_id;
    auto response = event ? api_->send("PATCH", eventPath(instance_id), json::stringify(occurrenceBody(*event, object)))
                          : api_->send("DELETE", eventPath(instance_id));
    if (!ok(response.status) && response.status != 404) throw api_->errorFor(response, context);
  }
}

}  // namespace calsync::graph
