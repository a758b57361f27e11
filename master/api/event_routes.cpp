// Events as the store holds them, series expanded, for calendar views and reports.
#include <Poco/JSON/Array.h>

#include "master/api/context.h"
#include "master/events_query.h"
#include "master/master_runtime.h"

namespace calsync::master::api {
namespace {

constexpr std::size_t kMaxOccurrences = 10000;
constexpr std::int64_t kMaxQuerySpan = 400LL * 86400;

Poco::JSON::Object dateTimeJson(const DateTime& t, std::int64_t utc) {
  Poco::JSON::Object o;
  if (t.is_date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
    o.set("date", std::string(buf));
  } else {
    o.set("date_time", formatIsoUtc(utc));
    o.set("time_zone", t.tzid.empty() ? std::string("floating") : t.tzid);
  }
  return o;
}

const char* statusText(EventStatus s) {
  switch (s) {
    case EventStatus::Tentative: return "tentative";
    case EventStatus::Confirmed: return "confirmed";
    case EventStatus::Cancelled: return "cancelled";
    case EventStatus::None: break;
  }
  return "";
}

std::pair<std::int64_t, std::int64_t> timeRange(const Request& request) {
  const std::string time_min = request.query("time_min");
  const std::string time_max = request.query("time_max");
  if (time_min.empty() || time_max.empty()) {
    throw badRequest(
        "time_min and time_max are required, e.g. ?time_min=2026-03-01T00:00:00Z&time_max=2026-03-08T00:00:00Z");
  }
  const auto from = parseIsoInstant(time_min);
  const auto to = parseIsoInstant(time_max);
  if (!from || !to) throw badRequest("time_min and time_max must be ISO 8601 instants like 2026-03-01T00:00:00Z");
  if (*to <= *from || *to - *from > kMaxQuerySpan) {
    throw badRequest("time_max must be after time_min and at most 400 days later");
  }
  return {*from, *to};
}

void events(Context& context, Request& request) {
  const auto [from, to] = timeRange(request);
  const EventsResult result = queryEvents(context.runtime.store(), from, to, kMaxOccurrences);
  Poco::JSON::Array items;
  for (const auto& occ : result.occurrences) {
    Poco::JSON::Object o;
    const std::string rid = occ.recurrence_id ? occ.recurrence_id->toIcalValue() : "";
    o.set("id", occ.key.agent_id + "/" + occ.key.source + "/" + occ.key.native_id + (rid.empty() ? "" : "#" + rid));
    o.set("uid", occ.uid);
    o.set("recurrence_id", rid);
    o.set("summary", occ.event.summary);
    o.set("description", occ.event.description);
    o.set("location", occ.event.location);
    o.set("start", dateTimeJson(occ.start, occ.start_utc));
    o.set("end", dateTimeJson(occ.end, occ.end_utc));
    o.set("all_day", occ.start.is_date);
    o.set("recurring", occ.event.isRecurring() || occ.recurrence_id.has_value());
    o.set("status", std::string(statusText(occ.event.status)));
    Poco::JSON::Object cal;
    cal.set("id", occ.key.calendar_id);
    cal.set("name", occ.calendar_name);
    o.set("calendar", cal);
    o.set("source", occ.key.source);
    o.set("agent", occ.key.agent_id);
    items.add(o);
  }
  Poco::JSON::Object body;
  body.set("time_min", formatIsoUtc(from));
  body.set("time_max", formatIsoUtc(to));
  body.set("count", static_cast<std::int64_t>(result.occurrences.size()));
  body.set("truncated", result.truncated);
  body.set("events", items);
  request.send(200, body);
}

}  // namespace

void addEventRoutes(Router& router, Context& c) {
  router.add({"GET", "/api/calendar/events", Access::Admin, [&c](Request& r) { events(c, r); }});
}

}  // namespace calsync::master::api
