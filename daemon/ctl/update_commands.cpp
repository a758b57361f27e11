// `calsyncctl updates list`: what the master has queued for agents (renames, event edits,
// sync configuration) and how far each got.
#include "daemon/ctl/json_fields.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/table.h"

namespace calsync::ctl {
namespace {

int list(Invocation& invocation) {
  po::options_description own("updates list");
  own.add_options()
      ("agent", po::value<std::string>()->value_name("ID"), "only this agent's queue")
      ("limit", po::value<int>()->value_name("N")->default_value(100), "at most this many (1-1000), newest first");
  if (!invocation.parse(own, {}, Reach::Master)) return kExitOk;
  const int limit = invocation.get<int>("limit");
  if (limit < 1 || limit > 1000) throw usageError("--limit must be from 1 to 1000");
  std::string path = "/sync/queues/status?limit=" + std::to_string(limit);
  if (invocation.has("agent")) path += "&agent_id=" + urlEncode(invocation.get<std::string>("agent"));
  const ApiAnswer answer = connectToMaster(invocation)->get(path);
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  Table table({"ID", "AGENT", "KIND", "SOURCE", "CALENDAR", "STATUS", "ATTEMPTS", "CREATED", "LAST ERROR"}, 60);
  const auto updates = json::array(answer.json, "updates");
  for (std::size_t i = 0; i < updates->size(); ++i) {
    const auto u = json::objectAt(updates, i);
    table.add({json::text(u, "id"), json::text(u, "agent_id"), json::text(u, "kind"), json::text(u, "source"),
               json::text(u, "calendar_id"), json::text(u, "status"), json::text(u, "attempts"),
               json::text(u, "created_at"), json::text(u, "last_error")});
  }
  table.print(invocation.io.out, "no queued updates");
  return kExitOk;
}

}  // namespace

void addUpdateCommands(std::vector<Command>& commands) {
  commands.push_back({"updates list", "updates list [--agent ID]", "updates queued for agents and their state", list});
}

}  // namespace calsync::ctl
