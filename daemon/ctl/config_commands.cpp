// `calsyncctl test-config`: the same strict check as `calsyncd --test-config`, through the same
// loader, with file:line:key for every problem and exit code 78 when there is one.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "daemon/config/config.h"
#include "daemon/ctl/master_command.h"

namespace calsync::ctl {
namespace {

Poco::JSON::Array issuesJson(const std::vector<config::Issue>& issues) {
  Poco::JSON::Array list;
  for (const auto& issue : issues) {
    Poco::JSON::Object o;
    o.set("file", issue.origin.file);
    o.set("line", issue.origin.line);
    o.set("section", issue.section);
    o.set("key", issue.key);
    o.set("reason", issue.reason);
    o.set("text", issue.toString());
    list.add(o);
  }
  return list;
}

int testConfig(Invocation& invocation) {
  if (!invocation.parse({}, {}, Reach::LocalConfig)) return kExitOk;
  const std::string& path = invocation.globals.config_path;
  config::Config loaded;
  std::vector<config::Issue> issues;
  try {
    loaded = config::load(path);
  } catch (const config::ConfigError& e) {
    issues = e.issues;
  }
  const bool ok = issues.empty();
  if (invocation.globals.json) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("ok", ok);
    body->set("config", path);
    Poco::JSON::Array files;
    for (const auto& f : loaded.files_read) files.add(f);
    body->set("files", files);
    body->set("issues", issuesJson(issues));
    body->set("warnings", issuesJson(loaded.warnings));
    printJson(invocation.io.out, body);
    return ok ? kExitOk : kExitConfig;
  }
  for (const auto& w : loaded.warnings) invocation.io.err << "calsyncctl: warning: " << w.toString() << '\n';
  if (!ok) {
    invocation.io.err << "calsyncctl: the configuration has errors:\n";
    for (const auto& issue : issues) invocation.io.err << issue.toString() << '\n';
    return kExitConfig;
  }
  invocation.io.out << "configuration OK (";
  for (std::size_t i = 0; i < loaded.files_read.size(); ++i) invocation.io.out << (i ? ", " : "") << loaded.files_read[i];
  invocation.io.out << ")\n";
  return kExitOk;
}

}  // namespace

void addConfigCommands(std::vector<Command>& commands) {
  commands.push_back({"test-config", "test-config [--config FILE]",
                      "check a configuration as calsyncd --test-config does (exit 78 when it has errors)", testConfig});
}

}  // namespace calsync::ctl
