// `calsyncctl status` (health, credentials, agents, update queues in one view) and
// `calsyncctl agents list`.
#include <set>

#include "daemon/ctl/json_fields.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/table.h"

namespace calsync::ctl {
namespace {

using Poco::JSON::Object;

void printConnectors(std::ostream& out, const Object::Ptr& health) {
  Table table({"NAME", "TYPE", "ROLE", "STATE", "EVENTS", "LAST SUCCESS", "ERROR"}, 60);
  const auto connectors = json::array(health, "connectors");
  for (std::size_t i = 0; i < connectors->size(); ++i) {
    const auto c = json::objectAt(connectors, i);
    table.add({json::text(c, "name"), json::text(c, "type"), json::text(c, "role"), json::text(c, "state"),
               json::text(c, "events"), json::text(c, "last_success"), json::text(c, "last_error")});
  }
  out << "\nConnectors\n";
  table.print(out, "  (none)");
}

// Shown only by masters that report it (see CONTRACTS: credential health).
void printCredentials(std::ostream& out, const Object::Ptr& health) {
  if (!health->has("credentials")) return;
  const auto credentials = json::array(health, "credentials");
  Table table({"NAME", "TYPE", "STATE", "EXPIRES", "ACTION"}, 80);
  for (std::size_t i = 0; i < credentials->size(); ++i) {
    const auto c = json::objectAt(credentials, i);
    table.add({json::text(c, "name"), json::text(c, "type"), json::text(c, "state"), json::text(c, "expires_at"),
               json::text(c, "action")});
  }
  out << "\nCredentials\n";
  table.print(out, "  (none)");
}

Table agentTable(const Object::Ptr& agents_answer) {
  Table table({"ID", "NAME", "STATUS", "LAST CHECK-IN", "ENROLLED", "PENDING", "FAILED"});
  const auto agents = json::object(agents_answer, "agent_status");
  for (const auto& id : agents->getNames()) {
    const auto a = json::object(agents, id);
    const auto updates = json::object(a, "updates");
    const std::int64_t waiting = json::integer(updates, "pending") + json::integer(updates, "delivered");
    table.add({id, json::text(a, "name"), json::text(a, "status"), json::text(a, "last_check_in"),
               a->has("enrolled") ? (json::boolean(a, "enrolled") ? "yes" : "no") : "",
               std::to_string(waiting), std::to_string(json::integer(updates, "failed"))});
  }
  return table;
}

void printQueues(std::ostream& out, const Object::Ptr& queues_answer) {
  const auto agents = json::object(queues_answer, "agents");
  std::set<std::string> statuses;
  for (const auto& id : agents->getNames()) {
    for (const auto& status : json::object(agents, id)->getNames()) statuses.insert(status);
  }
  if (agents->size() == 0) return;
  std::vector<std::string> headers{"AGENT"};
  for (const auto& s : statuses) headers.push_back(s);
  Table table(headers);
  for (const auto& id : agents->getNames()) {
    std::vector<std::string> row{id};
    for (const auto& s : statuses) row.push_back(std::to_string(json::integer(json::object(agents, id), s)));
    table.add(row);
  }
  out << "\nUpdate queues\n";
  table.print(out);
}

int status(Invocation& invocation) {
  if (!invocation.parse({}, {}, Reach::Master)) return kExitOk;
  auto client = connectToMaster(invocation);
  // /health answers 503 while a connector is failing; that is still a report to show.
  const ApiAnswer health = client->call("GET", "/health", "", {503});
  const ApiAnswer agents = client->get("/sync/agents/status");
  const ApiAnswer queues = client->get("/sync/queues/stats");
  const std::string overall = json::text(health.json, "status");
  const int exit_code = overall == "failing" ? kExitFailed : kExitOk;

  std::ostream& out = invocation.io.out;
  if (invocation.globals.json) {
    Poco::JSON::Object::Ptr all = new Object;
    all->set("master", client->target().url);
    all->set("health", health.json);
    all->set("agents", agents.json);
    all->set("queues", queues.json);
    printJson(out, all);
    return exit_code;
  }
  out << "Master   " << client->target().described_as << '\n'
      << "Status   " << overall << "   mode " << json::text(health.json, "mode") << "   version "
      << json::text(health.json, "version") << "   up " << humanDuration(json::integer(health.json, "uptime_seconds"))
      << '\n';
  const auto store = json::object(health.json, "store");
  std::string counts;
  for (const auto& name : store->getNames()) counts += (counts.empty() ? "" : ", ") + name + " " + json::text(store, name);
  if (!counts.empty()) out << "Store    " << counts << '\n';
  printConnectors(out, health.json);
  printCredentials(out, health.json);
  out << "\nAgents\n";
  agentTable(agents.json).print(out, "  (none)");
  printQueues(out, queues.json);
  if (exit_code != kExitOk) {
    invocation.io.err << "calsyncctl: the master reports 'failing': see the ERROR column above and its log\n";
  }
  return exit_code;
}

int agentsList(Invocation& invocation) {
  if (!invocation.parse({}, {}, Reach::Master)) return kExitOk;
  const ApiAnswer answer = connectToMaster(invocation)->get("/sync/agents/status");
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  agentTable(answer.json).print(invocation.io.out, "no agents have checked in yet");
  return kExitOk;
}

}  // namespace

void addStatusCommands(std::vector<Command>& commands) {
  commands.push_back({"status", "status", "health, connectors, credentials, agents and update queues of the master", status});
  commands.push_back({"agents list", "agents list", "the agents the master knows and when they last checked in", agentsList});
}

}  // namespace calsync::ctl
