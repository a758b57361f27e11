// `calsyncctl events list [--from DATE] [--to DATE]`: the events the master holds, series
// expanded, as GET /api/calendar/events returns them.
#include <ctime>
#include <regex>

#include "core/date_time.h"
#include "daemon/ctl/json_fields.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/table.h"

namespace calsync::ctl {
namespace {

constexpr std::int64_t kDay = 86400;

std::string isoUtc(std::int64_t t) {
  const DateTime d = epochToUtc(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, d.hour, d.minute, d.second);
  return buf;
}

// A day (YYYY-MM-DD, midnight UTC) or an ISO 8601 instant with Z or an offset, as the API
// takes it.
std::string instant(const std::string& written, const std::string& option) {
  static const std::regex day(R"((\d{4})-(\d{2})-(\d{2}))");
  static const std::regex moment(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2}))");
  std::smatch m;
  if (std::regex_match(written, m, day)) {
    const int month = std::stoi(m[2]), dom = std::stoi(m[3]);
    if (month >= 1 && month <= 12 && dom >= 1 && dom <= 31) return written + "T00:00:00Z";
  } else if (std::regex_match(written, moment)) {
    return written;
  }
  throw usageError("--" + option + " takes a date like 2026-03-01 or an instant like 2026-03-01T09:00:00Z, not '" +
                   written + "'");
}

std::string when(const Poco::JSON::Object::Ptr& time) {
  if (time->has("date")) return json::text(time, "date");
  return json::text(time, "date_time");
}

int list(Invocation& invocation) {
  po::options_description own("events list");
  own.add_options()
      ("from", po::value<std::string>()->value_name("DATE"), "start (default: today, 00:00 UTC)")
      ("to", po::value<std::string>()->value_name("DATE"), "end (default: 7 days after --from; at most 400 days)");
  if (!invocation.parse(own, {}, Reach::Master)) return kExitOk;
  const std::int64_t today = static_cast<std::int64_t>(std::time(nullptr)) / kDay * kDay;
  const std::string from = invocation.has("from") ? instant(invocation.get<std::string>("from"), "from") : isoUtc(today);
  std::string to;
  if (invocation.has("to")) {
    to = instant(invocation.get<std::string>("to"), "to");
  } else {
    const std::string start_day = from.substr(0, 10);
    to = isoUtc(civilToEpoch(std::stoi(start_day.substr(0, 4)), std::stoi(start_day.substr(5, 2)),
                             std::stoi(start_day.substr(8, 2)), 0, 0, 0) + 7 * kDay);
  }
  auto client = connectToMaster(invocation);
  const ApiAnswer answer =
      client->get("/api/calendar/events?time_min=" + urlEncode(from) + "&time_max=" + urlEncode(to));
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  Table table({"START", "END", "SUMMARY", "CALENDAR", "SOURCE", "AGENT"});
  const auto events = json::array(answer.json, "events");
  for (std::size_t i = 0; i < events->size(); ++i) {
    const auto e = json::objectAt(events, i);
    table.add({when(json::object(e, "start")), when(json::object(e, "end")), json::text(e, "summary"),
               json::text(json::object(e, "calendar"), "name"), json::text(e, "source"), json::text(e, "agent")});
  }
  table.print(invocation.io.out, "no events between " + from + " and " + to);
  if (json::boolean(answer.json, "truncated")) {
    invocation.io.err << "calsyncctl: the list was cut at " << events->size()
                      << " occurrences; ask for a shorter range with --from/--to\n";
  }
  return kExitOk;
}

}  // namespace

void addEventCommands(std::vector<Command>& commands) {
  commands.push_back({"events list", "events list [--from DATE] [--to DATE]", "the events the master holds, series expanded", list});
}

}  // namespace calsync::ctl
