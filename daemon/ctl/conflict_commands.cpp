// `calsyncctl conflicts list|resolve`: true conflicts that wait for a person
// (conflict_resolution = manual), per the conflicts contract (CONTRACTS.md).
#include <Poco/JSON/Object.h>

#include <fstream>
#include <sstream>

#include "daemon/ctl/json_fields.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/table.h"
#include "ical/ical_codec.h"

namespace calsync::ctl {
namespace {

constexpr std::size_t kMaxMergedBytes = 512 * 1024;   // far below the master's 1 MiB body limit

int list(Invocation& invocation) {
  po::options_description own("conflicts list");
  own.add_options()
      ("status", po::value<std::string>()->value_name("WHICH")->default_value("open"), "open, resolved or all")
      ("limit", po::value<int>()->value_name("N")->default_value(50), "at most this many (1-1000)");
  if (!invocation.parse(own, {}, Reach::Master)) return kExitOk;
  const std::string status = invocation.get<std::string>("status");
  if (status != "open" && status != "resolved" && status != "all") throw usageError("--status is open, resolved or all");
  const int limit = invocation.get<int>("limit");
  if (limit < 1 || limit > 1000) throw usageError("--limit must be from 1 to 1000");
  const ApiAnswer answer = connectToMaster(invocation)->get("/sync/conflicts/recent?limit=" + std::to_string(limit) +
                                                            "&status=" + status);
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  Table table({"ID", "STATUS", "DETECTED", "AGENT", "SOURCE", "CALENDAR", "UID", "FIELDS", "RESOLUTION"});
  const auto conflicts = json::array(answer.json, "conflicts");
  for (std::size_t i = 0; i < conflicts->size(); ++i) {
    const auto c = json::objectAt(conflicts, i);
    table.add({json::text(c, "id"), json::text(c, "status"), json::text(c, "detected_at"), json::text(c, "agent_id"),
               json::text(c, "source"), json::text(c, "calendar_id"), json::text(c, "uid"), json::joined(c, "fields"),
               json::text(c, "resolution")});
  }
  table.print(invocation.io.out, status == "open" ? "no open conflicts" : "no conflicts");
  return kExitOk;
}

// The merged version an admin wrote: read, size-checked and parsed here so a typo is reported
// before anything reaches the master.
std::string mergedEvent(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usageError("cannot read '" + path + "' given with --merged");
  std::ostringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  if (text.size() > kMaxMergedBytes) throw usageError("'" + path + "' is larger than 512 KiB; that is no single event");
  std::string reason;
  try {
    const auto parsed = ical::parse(text);
    if (!parsed.recognized) {
      reason = parsed.warnings.empty() ? "not iCalendar" : parsed.warnings.front().message;
    } else if (!parsed.warnings.empty()) {
      reason = "line " + std::to_string(parsed.warnings.front().line) + ": " + parsed.warnings.front().message;
    } else if (parsed.objects.size() != 1) {
      reason = "it holds " + std::to_string(parsed.objects.size()) + " events, not one";
    }
  } catch (const std::exception& e) {
    reason = e.what();
  }
  if (!reason.empty()) {
    throw usageError("'" + path + "' is not one iCalendar event (" + reason +
                     "); start from the versions `calsyncctl conflicts list --json` shows");
  }
  return text;
}

int resolve(Invocation& invocation) {
  po::options_description own("conflicts resolve");
  own.add_options()
      ("source-wins", "keep the source's version")
      ("destination-wins", "keep the destination's version")
      ("merged", po::value<std::string>()->value_name("FILE.ics"), "use this merged version (one VEVENT with overrides)");
  if (!invocation.parse(own, {"ID"}, Reach::Master)) return kExitOk;
  const int chosen = static_cast<int>(invocation.vm.count("source-wins") + invocation.vm.count("destination-wins") +
                                      invocation.vm.count("merged"));
  if (chosen != 1) throw usageError("give exactly one of --source-wins, --destination-wins or --merged FILE.ics");
  Poco::JSON::Object body;
  if (invocation.vm.count("merged")) {
    body.set("resolution", std::string("merged"));
    body.set("ical", mergedEvent(invocation.get<std::string>("merged")));
  } else {
    body.set("resolution", std::string(invocation.vm.count("source-wins") ? "source_wins" : "destination_wins"));
  }
  std::ostringstream text;
  body.stringify(text);
  const std::string id = invocation.positional(0);
  ApiAnswer answer;
  try {
    answer = connectToMaster(invocation)->call("POST", "/sync/conflicts/" + urlEncode(id) + "/resolve", text.str());
  } catch (const ApiFailure& e) {
    if (e.status() == 404) throw operationFailed(std::string(e.what()) + "\nSee calsyncctl conflicts list --status all");
    if (e.status() == 409) throw operationFailed(std::string(e.what()) + "\nThe conflict was already resolved; nothing changed");
    throw;
  }
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  invocation.io.out << "resolved conflict " << json::text(answer.json, "id") << " ("
                    << json::text(answer.json, "resolution") << ")\n";
  return kExitOk;
}

}  // namespace

void addConflictCommands(std::vector<Command>& commands) {
  commands.push_back({"conflicts list", "conflicts list [--status open|resolved|all]", "conflicts that wait for a person", list});
  commands.push_back({"conflicts resolve", "conflicts resolve ID --source-wins|--destination-wins|--merged FILE.ics",
                      "settle a conflict", resolve});
}

}  // namespace calsync::ctl
