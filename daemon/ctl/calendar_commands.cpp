// `calsyncctl calendars list|rename|recolor`: the calendars agents report, and metadata
// changes that the master queues for the agent owning each calendar.
#include <Poco/JSON/Object.h>

#include <cctype>

#include "daemon/ctl/json_fields.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/table.h"

namespace calsync::ctl {
namespace {

int list(Invocation& invocation) {
  if (!invocation.parse({}, {}, Reach::Master)) return kExitOk;
  const ApiAnswer answer = connectToMaster(invocation)->get("/calendars");
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  Table table({"ID", "NAME", "COLOR", "AGENT", "SOURCE", "WRITABLE"});
  const auto calendars = json::array(answer.json, "calendars");
  for (std::size_t i = 0; i < calendars->size(); ++i) {
    const auto c = json::objectAt(calendars, i);
    table.add({json::text(c, "id"), json::text(c, "name"), json::text(c, "color"), json::text(c, "agent_id"),
               json::text(c, "source"), json::boolean(c, "writable") ? "yes" : "no"});
  }
  table.print(invocation.io.out, "no calendars yet (agents report theirs with their first heartbeat)");
  return kExitOk;
}

int change(Invocation& invocation, Poco::JSON::Object& body, const std::string& what) {
  const std::string id = invocation.positional(0);
  std::ostringstream text;
  body.stringify(text);
  auto client = connectToMaster(invocation);
  ApiAnswer answer;
  try {
    answer = client->call("PUT", "/calendars/" + urlEncode(id), text.str());
  } catch (const ApiFailure& e) {
    if (e.status() == 404) throw operationFailed(std::string(e.what()) + "\nList the calendar ids with: calsyncctl calendars list");
    throw;
  }
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  invocation.io.out << what << " calendar " << id << " at the master; update " << json::text(answer.json, "update_id")
                    << " is " << json::text(answer.json, "update_status") << " for agent '"
                    << json::text(answer.json, "agent_id") << "' (calsyncctl updates list shows when it is applied)\n";
  return kExitOk;
}

int rename(Invocation& invocation) {
  if (!invocation.parse({}, {"ID", "NAME"}, Reach::Master)) return kExitOk;
  if (invocation.positional(1).empty()) throw usageError("the new name must not be empty");
  Poco::JSON::Object body;
  body.set("name", invocation.positional(1));
  return change(invocation, body, "renamed");
}

// "#RRGGBB", "RRGGBB" (a leading '#' starts a comment in the shell unless quoted) or the
// same with an alpha byte.
std::string normalColor(const std::string& written) {
  std::string color = written.starts_with("#") ? written : "#" + written;
  const bool ok = (color.size() == 7 || color.size() == 9) &&
                  std::all_of(color.begin() + 1, color.end(), [](unsigned char c) { return std::isxdigit(c); });
  if (!ok) throw usageError("'" + written + "' is not a color: give #RRGGBB (quoted in the shell) or RRGGBB, e.g. 1e90ff");
  return color;
}

int recolor(Invocation& invocation) {
  if (!invocation.parse({}, {"ID", "COLOR"}, Reach::Master)) return kExitOk;
  Poco::JSON::Object body;
  body.set("color", normalColor(invocation.positional(1)));
  return change(invocation, body, "recolored");
}

}  // namespace

void addCalendarCommands(std::vector<Command>& commands) {
  commands.push_back({"calendars list", "calendars list", "every calendar the agents report, with its public id", list});
  commands.push_back({"calendars rename", "calendars rename ID NAME", "rename a calendar; the owning agent applies it", rename});
  commands.push_back({"calendars recolor", "calendars recolor ID COLOR", "change a calendar's color (RRGGBB)", recolor});
}

}  // namespace calsync::ctl
