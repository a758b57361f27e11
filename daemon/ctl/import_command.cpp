// `calsyncctl import outlook-config FILE.json [--output FILE.ini]`: the seed's agent config as
// calsyncd.ini (mapping in outlook_import.h). The result is checked with calsyncd's own config
// loader before anything is written, and an existing file is never overwritten without --force.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "daemon/config/config.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/outlook_import.h"

namespace calsync::ctl {
namespace {

namespace fs = std::filesystem;

std::string readInput(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usageError("cannot read '" + path + "'");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string lineOf(const std::string& text, int number) {
  std::istringstream in(text);
  std::string line;
  for (int i = 1; std::getline(in, line); ++i) {
    if (i == number) return line;
  }
  return "";
}

// Runs calsyncd's loader over the imported text. Secret placeholders get a stand-in value for
// the check only (the variables need not be set on this machine); nothing else changes, so
// line numbers match the text.
std::vector<config::Issue> validate(const ImportResult& result, const std::string& label) {
  std::string text = result.ini;
  for (const auto& s : result.secrets) {
    const std::string placeholder = "env:" + s.variable;
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at)) {
      text.replace(at, placeholder.size(), "stand-in-for-the-check");
    }
  }
  std::random_device random;
  const fs::path dir = fs::temp_directory_path() / ("calsyncctl-import-" + std::to_string(random()));
  fs::create_directories(dir);
  const fs::path file = dir / "calsyncd.ini";
  std::ofstream(file, std::ios::binary) << text;
  std::vector<config::Issue> issues;
  try {
    config::load(file.string());
  } catch (const config::ConfigError& e) {
    issues = e.issues;
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  for (auto& issue : issues) {
    if (issue.origin.file == file.string()) issue.origin.file = label;
  }
  return issues;
}

void writeAtomically(const std::string& path, const std::string& text) {
  const fs::path target = fs::absolute(path);
  const fs::path partial = target.parent_path() / ("." + target.filename().string() + ".partial");
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw operationFailed("cannot write '" + partial.string() + "'");
  }
  std::error_code error;
  fs::rename(partial, target, error);
  if (error) {
    fs::remove(partial, error);
    throw operationFailed("cannot write '" + target.string() + "': " + error.message());
  }
}

int importOutlookConfigCommand(Invocation& invocation) {
  po::options_description own("import outlook-config");
  own.add_options()
      ("output,o", po::value<std::string>()->value_name("FILE.ini"), "write the configuration here (default: stdout)")
      ("force", "replace --output if it exists");
  if (!invocation.parse(own, {"FILE.json"}, Reach::Local)) return kExitOk;
  const std::string input = invocation.positional(0);
  const std::string output = invocation.has("output") ? invocation.get<std::string>("output") : "";
  if (!output.empty() && fs::exists(output) && !invocation.vm.count("force")) {
    throw usageError("'" + output + "' exists; give --force to replace it, or another --output");
  }

  ImportResult result;
  try {
    result = importOutlookConfig(readInput(input), input);
  } catch (const std::invalid_argument& e) {
    throw configProblem("'" + input + "' cannot be imported: " + e.what());
  }
  const std::string label = output.empty() ? "<imported>" : output;
  const std::vector<config::Issue> issues = validate(result, label);
  const bool ok = issues.empty();
  if (ok && !output.empty()) writeAtomically(output, result.ini);

  if (invocation.globals.json) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("ok", ok);
    body->set("input", input);
    body->set("output", output);
    body->set("ini", result.ini);
    Poco::JSON::Array unmapped, secrets, notes, problems;
    for (const auto& u : result.unmapped) {
      Poco::JSON::Object o;
      o.set("path", u.path);
      o.set("reason", u.reason);
      unmapped.add(o);
    }
    for (const auto& s : result.secrets) {
      Poco::JSON::Object o;
      o.set("path", s.path);
      o.set("setting", s.setting);
      o.set("variable", s.variable);
      secrets.add(o);
    }
    for (const auto& n : result.notes) notes.add(n);
    for (const auto& i : issues) problems.add(i.toString());
    body->set("unmapped", unmapped);
    body->set("secrets", secrets);
    body->set("notes", notes);
    body->set("issues", problems);
    printJson(invocation.io.out, body);
    return ok ? kExitOk : kExitConfig;
  }

  std::ostream& err = invocation.io.err;
  for (const auto& n : result.notes) err << "note: " << n << '\n';
  if (!result.unmapped.empty()) {
    err << "Not imported (" << result.unmapped.size() << "), by JSON path:\n";
    for (const auto& u : result.unmapped) err << "  " << u.path << ": " << u.reason << '\n';
  }
  if (!result.secrets.empty()) {
    err << "Secrets were not copied; calsyncd reads them from these environment variables:\n";
    for (const auto& s : result.secrets) err << "  " << s.variable << "  for " << s.setting << " (was " << s.path << ")\n";
  }
  if (!ok) {
    err << "calsyncctl: the imported configuration does not pass calsyncd's checks, so nothing was written:\n";
    for (const auto& issue : issues) {
      err << "  " << issue.toString() << '\n';
      if (issue.origin.line > 0) err << "      " << issue.origin.line << " | " << lineOf(result.ini, issue.origin.line) << '\n';
    }
    err << "Add what is missing to " << input << " and import again, or write the section by hand (docs/config.md).\n";
    return kExitConfig;
  }
  if (output.empty()) {
    invocation.io.out << result.ini;
  } else {
    err << "Wrote " << output << "; check it with: calsyncctl test-config --config " << output << '\n';
  }
  return kExitOk;
}

}  // namespace

void addImportCommand(std::vector<Command>& commands) {
  commands.push_back({"import outlook-config", "import outlook-config FILE.json [--output FILE.ini]",
                      "turn the seed's outlook_config.json into calsyncd.ini", importOutlookConfigCommand});
}

}  // namespace calsync::ctl
