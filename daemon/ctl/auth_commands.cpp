// `calsyncctl auth google|graph --source NAME | --destination`: signs a configured google or
// graph section in on this machine. Google: print the authorization URL, take back the
// address the browser ended on (or its code). Graph: the device-code flow (a short code typed
// at Microsoft's page on any device). Tokens go to the section's encrypted token store in
// calsyncd's data_dir, where the connector reads them: run this as the user calsyncd runs as.
#include <Poco/JSON/Object.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/date_time.h"
#include "core/errors.h"
#include "daemon/config/issue.h"
#include "daemon/ctl/local_config.h"
#include "daemon/ctl/master_command.h"
#include "google/google_auth.h"
#include "graph/graph_auth.h"
#include "oauth/token_health.h"

namespace calsync::ctl {
namespace {

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string isoUtc(std::int64_t t) {
  if (t <= 0) return "";
  const DateTime d = epochToUtc(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, d.hour, d.minute, d.second);
  return buf;
}

po::options_description sectionOptions(const std::string& type) {
  po::options_description own("auth " + type);
  own.add_options()
      ("source", po::value<std::string>()->value_name("NAME"), ("sign in [source.NAME] (a " + type + " section)").c_str())
      ("destination", "sign in [destination]")
      ("status", "only show the state of the stored sign-in")
      ("client-secret-file", po::value<std::string>()->value_name("FILE"),
       "keep this client secret encrypted with the tokens instead of in the INI file");
  return own;
}

// The configured section to sign in, as calsyncd builds it (data_dir included).
ConnectorSpec sectionSpec(const Invocation& invocation, const std::string& type) {
  const bool source = invocation.has("source");
  const bool destination = invocation.vm.count("destination") > 0;
  if (source == destination) throw usageError("say which section to sign in: --source NAME or --destination");
  const std::string section = source ? "source." + invocation.get<std::string>("source") : "destination";
  RawConfig raw;
  try {
    raw = readRawConfig(invocation.globals.config_path);
  } catch (const config::ConfigError& e) {
    throw configProblem("cannot read the local configuration:\n" + describeIssues(e.issues));
  }
  ConnectorSpec spec = connectorSpecFromConfig(raw, section, ConnectorRegistry::instance());
  if (spec.type != type) {
    throw usageError("[" + section + "] in " + invocation.globals.config_path + " is of type " + spec.type + ", not " + type);
  }
  return spec;
}

std::string readSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usageError("cannot read '" + path + "' given with --client-secret-file");
  std::ostringstream content;
  content << in.rdbuf();
  std::string secret = content.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) throw usageError("'" + path + "' is empty");
  return secret;
}

bool usable(const oauth::CredentialStatus& status) {
  return status.health == oauth::TokenHealth::Ok || status.health == oauth::TokenHealth::Expiring;
}

int report(const Invocation& invocation, const ConnectorSpec& spec, const oauth::CredentialStatus& status) {
  if (invocation.globals.json) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("name", spec.name);
    body->set("type", spec.type);
    body->set("state", std::string(oauth::toString(status.health)));
    body->set("account", status.account);
    body->set("expires_at", isoUtc(status.refresh_expires_at));
    body->set("updated_at", isoUtc(status.updated_at));
    body->set("message", status.message);
    printJson(invocation.io.out, body);
  } else {
    invocation.io.out << spec.type << " sign-in of [" << (spec.name == "destination" ? "destination" : "source." + spec.name)
                      << "]: " << oauth::toString(status.health)
                      << (status.account.empty() ? "" : " (" + status.account + ")")
                      << (status.refresh_expires_at ? ", expires " + isoUtc(status.refresh_expires_at) : "") << '\n';
    if (!status.message.empty()) invocation.io.out << status.message << '\n';
  }
  return usable(status) ? kExitOk : kExitFailed;
}

// Connector errors here are the sign-in's own failures (refused code, expired state, ...).
template <typename F>
auto signInStep(const std::string& what, F&& step) {
  try {
    return step();
  } catch (const ConnectorError& e) {
    if (e.kind() == ErrorKind::Config) throw configProblem(what + ": " + e.what());
    throw operationFailed(what + " failed (" + toString(e.kind()) + "): " + e.what());
  }
}

int authGoogle(Invocation& invocation) {
  po::options_description own = sectionOptions("google");
  own.add_options()
      ("code", po::value<std::string>()->value_name("ADDRESS"),
       "finish a started sign-in with the address the browser ended on (or its code=)")
      ("url-only", "print the authorization URL and exit; finish later with --code")
      ("redirect-uri", po::value<std::string>()->value_name("URL"), "redirect URI registered for the client (default: the section's)");
  if (!invocation.parse(own, {}, Reach::LocalConfig)) return kExitOk;
  const ConnectorSpec spec = sectionSpec(invocation, "google");
  const std::string again = oauth::reauthCommand("google", spec.name);
  if (invocation.has("client-secret-file")) {
    const std::string secret = readSecretFile(invocation.get<std::string>("client-secret-file"));
    signInStep("storing the client secret", [&] { google::storeClientSecret(spec, secret, now()); return 0; });
  }
  if (invocation.vm.count("status")) return report(invocation, spec, signInStep("reading the sign-in", [&] { return google::signInStatus(spec, now()); }));

  std::string code = invocation.has("code") ? invocation.get<std::string>("code") : "";
  if (code.empty()) {
    const std::string redirect = invocation.has("redirect-uri") ? invocation.get<std::string>("redirect-uri") : "";
    const oauth::AuthorizationStart start =
        signInStep("starting the sign-in", [&] { return google::authorizationUrl(spec, redirect, now()); });
    if (invocation.globals.json && invocation.vm.count("url-only")) {
      Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
      body->set("url", start.url);
      body->set("expires_at", isoUtc(start.expires_at));
      printJson(invocation.io.out, body);
      return kExitOk;
    }
    // The URL alone on stdout (scripts); the instructions on stderr.
    invocation.io.err << "Open this address in a browser on any computer, sign in with the Google account and allow access:\n";
    invocation.io.out << start.url << '\n';
    invocation.io.err << "The browser is then sent to the redirect URI; where nothing answers there the page fails to load,\n"
                         "which is expected. Copy the whole address from the address bar (or its code= value).\n";
    if (invocation.vm.count("url-only")) {
      invocation.io.err << "Finish before " << isoUtc(start.expires_at) << " with: " << again << " --code 'ADDRESS'\n";
      return kExitOk;
    }
    invocation.io.err << "Paste it here and press Enter: " << std::flush;
    std::getline(invocation.io.in, code);
    while (!code.empty() && (code.back() == '\r' || code.back() == ' ')) code.pop_back();
    if (code.empty()) {
      throw operationFailed("no address was entered; finish before " + isoUtc(start.expires_at) + " with: " + again +
                            " --code 'ADDRESS'");
    }
  }
  const auto status = signInStep("exchanging the code", [&] { return google::exchangeCode(spec, code, "", now()); });
  return report(invocation, spec, status);
}

int authGraph(Invocation& invocation) {
  po::options_description own = sectionOptions("graph");
  if (!invocation.parse(own, {}, Reach::LocalConfig)) return kExitOk;
  const ConnectorSpec spec = sectionSpec(invocation, "graph");
  if (invocation.has("client-secret-file")) {
    const std::string secret = readSecretFile(invocation.get<std::string>("client-secret-file"));
    signInStep("storing the client secret", [&] { graph::storeClientSecret(spec, secret, now()); return 0; });
  }
  if (invocation.vm.count("status")) return report(invocation, spec, signInStep("reading the sign-in", [&] { return graph::signInStatus(spec, now()); }));

  const oauth::DeviceAuthorization authorization =
      signInStep("starting the device sign-in", [&] { return graph::startDeviceSignIn(spec); });
  // stdout so a person (or a wrapper script) sees it at once.
  if (!authorization.message.empty()) {
    invocation.io.out << authorization.message << '\n';
  } else {
    invocation.io.out << "On any computer or phone, open " << authorization.verification_uri << " and enter the code "
                      << authorization.user_code << '\n';
  }
  invocation.io.out << "code: " << authorization.user_code << "  (valid until " << isoUtc(authorization.expires_at)
                    << ")\nWaiting for the sign-in..." << std::endl;
  const auto status = signInStep("the device sign-in", [&] {
    return graph::waitForDeviceSignIn(
        spec, authorization, [](int seconds) { std::this_thread::sleep_for(std::chrono::seconds(seconds)); },
        [] { return false; });
  });
  return report(invocation, spec, status);
}

}  // namespace

void addAuthCommands(std::vector<Command>& commands) {
  commands.push_back({"auth google", "auth google --source NAME|--destination [--code ADDRESS]",
                      "sign a google section in (prints a URL, takes back the address)", authGoogle});
  commands.push_back({"auth graph", "auth graph --source NAME|--destination",
                      "sign a graph section in with a device code", authGraph});
}

}  // namespace calsync::ctl
