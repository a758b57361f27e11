// `calsyncctl plan`: what the next destination write would create, update and delete
// (GET /sync/plan, a dry run; nothing is written).
#include "daemon/ctl/json_fields.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/table.h"

namespace calsync::ctl {
namespace {

int plan(Invocation& invocation) {
  po::options_description own("plan");
  own.add_options()("limit", po::value<int>()->value_name("N")->default_value(1000),
                    "look at most at this many pending writes (1-10000)");
  if (!invocation.parse(own, {}, Reach::Master)) return kExitOk;
  const int limit = invocation.get<int>("limit");
  if (limit < 1 || limit > 10000) throw usageError("--limit must be from 1 to 10000");
  const ApiAnswer answer = connectToMaster(invocation)->get("/sync/plan?limit=" + std::to_string(limit));
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  std::ostream& out = invocation.io.out;
  const std::string destination = json::text(answer.json, "destination");
  if (destination.empty()) {
    out << "This master writes no destination (no [destination] section).\n";
    return kExitOk;
  }
  Table table({"ACTION", "SUMMARY", "AGENT", "SOURCE", "CALENDAR", "UID", "NOTE"});
  std::string counts;
  for (const auto& [key, action] : {std::pair<const char*, const char*>{"create", "create"}, {"update", "update"},
                                    {"delete", "delete"}, {"held", "held"}}) {
    const auto items = json::array(answer.json, key);
    counts += (counts.empty() ? "" : ", ") + std::to_string(items->size()) + " " + action;
    for (std::size_t i = 0; i < items->size(); ++i) {
      const auto item = json::objectAt(items, i);
      table.add({action, json::text(item, "summary"), json::text(item, "agent_id"), json::text(item, "source"),
                 json::text(item, "calendar_id"), json::text(item, "uid"), json::text(item, "reason")});
    }
  }
  const std::string calendar = json::text(answer.json, "calendar");
  out << "Next write to " << destination << " (" << json::text(answer.json, "type")
      << (calendar.empty() ? "" : ", calendar " + calendar) << "): " << counts << '\n';
  if (!table.empty()) {
    out << '\n';
    table.print(out);
  }
  if (json::boolean(answer.json, "truncated")) {
    invocation.io.err << "calsyncctl: more writes are pending than the " << limit << " looked at (--limit)\n";
  }
  return kExitOk;
}

}  // namespace

void addPlanCommand(std::vector<Command>& commands) {
  commands.push_back({"plan", "plan", "dry run: what the next destination write would create, update, delete", plan});
}

}  // namespace calsync::ctl
