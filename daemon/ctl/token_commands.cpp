// `calsyncctl token create|list|revoke`: one-time enrolment tokens for new agents.
#include <Poco/JSON/Object.h>

#include <sstream>

#include "daemon/config/value_check.h"
#include "daemon/ctl/json_fields.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/table.h"

namespace calsync::ctl {
namespace {

int create(Invocation& invocation) {
  po::options_description own("token create");
  own.add_options()
      ("expires", po::value<std::string>()->value_name("DURATION")->default_value("7d"),
       "how long the token can be used: 30m, 24h, 7d, ... (1m to 365d)")
      ("name", po::value<std::string>()->value_name("LABEL"), "a label to tell tokens apart, e.g. the machine");
  if (!invocation.parse(own, {}, Reach::Master)) return kExitOk;
  const std::string written = invocation.get<std::string>("expires");
  const auto seconds = config::parseDuration(written);
  if (!seconds || *seconds < 60 || *seconds > 365LL * 86400) {
    throw usageError("--expires takes a duration from 1m to 365d, like 30m, 24h or 7d (not '" + written + "')");
  }
  Poco::JSON::Object body;
  body.set("expires_in", *seconds);
  if (invocation.has("name")) body.set("label", invocation.get<std::string>("name"));
  std::ostringstream text;
  body.stringify(text);
  const ApiAnswer answer = connectToMaster(invocation)->call("POST", "/sync/tokens", text.str());
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  // The token goes alone on stdout so `TOKEN=$(calsyncctl token create)` works; the rest is
  // for the person reading the terminal.
  invocation.io.out << json::text(answer.json, "token") << '\n';
  invocation.io.err << "Created enrolment token " << json::text(answer.json, "id") << ", usable once until "
                    << json::text(answer.json, "expires_at") << ". It is shown only now.\n"
                    << "On the agent machine put it in a file readable only by calsync and set\n"
                    << "  [agent] enroll_token_file = /etc/calsync/enroll.token\n";
  return kExitOk;
}

int list(Invocation& invocation) {
  if (!invocation.parse({}, {}, Reach::Master)) return kExitOk;
  const ApiAnswer answer = connectToMaster(invocation)->get("/sync/tokens");
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  Table table({"ID", "LABEL", "STATE", "CREATED", "EXPIRES", "USED BY"});
  const auto tokens = json::array(answer.json, "tokens");
  for (std::size_t i = 0; i < tokens->size(); ++i) {
    const auto t = json::objectAt(tokens, i);
    table.add({json::text(t, "id"), json::text(t, "label"), json::text(t, "state"), json::text(t, "created_at"),
               json::text(t, "expires_at"), json::text(t, "used_by")});
  }
  table.print(invocation.io.out, "no enrolment tokens");
  return kExitOk;
}

int revoke(Invocation& invocation) {
  if (!invocation.parse({}, {"ID"}, Reach::Master)) return kExitOk;
  const std::string id = invocation.positional(0);
  ApiAnswer answer;
  try {
    answer = connectToMaster(invocation)->call("DELETE", "/sync/tokens/" + urlEncode(id));
  } catch (const ApiFailure& e) {
    if (e.status() == 404) {
      throw operationFailed(std::string(e.what()) + "\nOnly active tokens can be revoked; see calsyncctl token list");
    }
    throw;
  }
  if (invocation.globals.json) {
    printJson(invocation.io.out, answer.json);
    return kExitOk;
  }
  invocation.io.out << "revoked token " << id << '\n';
  return kExitOk;
}

}  // namespace

void addTokenCommands(std::vector<Command>& commands) {
  commands.push_back({"token create", "token create [--expires 7d] [--name LABEL]", "a one-time enrolment token for a new agent", create});
  commands.push_back({"token list", "token list", "enrolment tokens and their state", list});
  commands.push_back({"token revoke", "token revoke ID", "revoke an unused enrolment token", revoke});
}

}  // namespace calsync::ctl
