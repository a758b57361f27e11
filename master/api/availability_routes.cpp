// GET /api/calendar/availability: free/busy over the store's events, series expanded.
#include <Poco/JSON/Array.h>

#include "master/api/context.h"
#include "master/events_query.h"
#include "master/free_busy.h"
#include "master/master_runtime.h"
#include "master/public_ids.h"

namespace calsync::master::api {
namespace {

constexpr std::int64_t kMaxRange = 366LL * 86400;
constexpr std::size_t kMaxOccurrences = 50000;

std::set<std::string> calendarFilter(Context& context, const std::string& text) {
  std::set<std::string> ids;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string id = text.substr(start, comma - start);
    if (!id.empty()) ids.insert(id);
    start = comma + 1;
  }
  if (!text.empty() && ids.empty()) throw badRequest("calendars must be a comma-separated list of calendar ids");
  std::set<std::string> known;
  for (const auto& c : context.runtime.store().calendars()) known.insert(publicCalendarId(c.agent_id, c.source, c.calendar.id));
  for (const auto& id : ids) {
    if (!known.count(id)) throw notFound("no calendar '" + id + "'");
  }
  return ids;
}

void availability(Context& context, Request& request) {
  const std::string time_min = request.query("time_min");
  const std::string time_max = request.query("time_max");
  if (time_min.empty() || time_max.empty()) {
    throw badRequest("time_min and time_max are required, e.g. "
                     "?time_min=2026-03-02T00:00:00Z&time_max=2026-03-09T00:00:00Z");
  }
  const auto from = parseIsoInstant(time_min);
  const auto to = parseIsoInstant(time_max);
  if (!from || !to) throw badRequest("time_min and time_max must be ISO 8601 instants like 2026-03-02T00:00:00Z");
  if (*to <= *from) throw badRequest("time_max must be after time_min");
  if (*to - *from > kMaxRange) throw badRequest("the range may be one year (366 days) at most");
  const auto calendars = calendarFilter(context, request.query("calendars"));

  const FreeBusyResult result = freeBusy(context.runtime.store(), *from, *to, calendars, kMaxOccurrences);
  if (result.too_many) {
    throw badRequest("more than " + std::to_string(kMaxOccurrences) + " occurrences in the range; ask for a shorter one");
  }
  Poco::JSON::Array busy;
  for (const auto& b : result.busy) {
    Poco::JSON::Object o;
    o.set("start", formatIsoUtc(b.start_utc));
    o.set("end", formatIsoUtc(b.end_utc));
    o.set("status", std::string(toString(b.status)));
    busy.add(o);
  }
  Poco::JSON::Array filter;
  for (const auto& id : calendars) filter.add(id);
  Poco::JSON::Object body;
  body.set("time_min", formatIsoUtc(*from));
  body.set("time_max", formatIsoUtc(*to));
  body.set("calendars", filter);
  body.set("busy", busy);
  request.send(200, body);
}

}  // namespace

void addAvailabilityRoutes(Router& router, Context& c) {
  router.add({"GET", "/api/calendar/availability", Access::Admin, [&c](Request& r) { availability(c, r); }});
}

}  // namespace calsync::master::api
