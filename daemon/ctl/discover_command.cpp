// `calsyncctl discover <type> [--<key> value ...]`: lists what an endpoint holds and prints
// ready-to-paste [source.NAME] sections, for any connector in the registry. Each connector's
// config keys become options (--profile-root for profile_root); a connector without its own
// discover callback is asked for listCalendars(). Runs on this machine; no master involved.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

#include "core/errors.h"
#include "core/registry.h"
#include "daemon/config/config.h"
#include "daemon/config/schema.h"
#include "daemon/ctl/ini_text.h"
#include "daemon/ctl/local_config.h"
#include "daemon/ctl/master_command.h"
#include "daemon/ctl/table.h"

namespace calsync::ctl {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCommandLine = "command line";
// Options of discover itself; a connector key with one of these names is not offered.
const std::set<std::string> kOwnOptions = {"user", "source", "destination", "data-dir", "json", "help", "config"};

std::string optionName(const std::string& key) {
  std::string name = key;
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

std::string valueName(KeyType type) {
  switch (type) {
    case KeyType::Int: return "N";
    case KeyType::Bool: return "true|false";
    case KeyType::Duration: return "DURATION";
    case KeyType::List: return "A,B";
    case KeyType::Secret: return "env:NAME";
    case KeyType::Path: return "PATH";
    case KeyType::Url: return "URL";
    case KeyType::HostPort: return "HOST:PORT";
    case KeyType::Enum:
    case KeyType::String: break;
  }
  return "VALUE";
}

// The key --user stands for: the connector's `user` or `username`.
std::string userKey(const ConnectorInfo& info) {
  for (const char* key : {"user", "username"}) {
    if (std::any_of(info.keys.begin(), info.keys.end(), [&](const KeySpec& k) { return k.key == key; })) return key;
  }
  return "";
}

po::options_description connectorOptions(const ConnectorInfo& info) {
  po::options_description options("Keys of the " + info.type + " connector (see docs/config.md)");
  for (const KeySpec& spec : info.keys) {
    const std::string name = optionName(spec.key);
    if (kOwnOptions.count(name)) continue;
    std::string help = spec.description;
    if (spec.type == KeyType::Enum) {
      std::string choices;
      for (const auto& c : spec.choices) choices += (choices.empty() ? "" : ", ") + c;
      help += " (" + choices + ")";
    }
    if (!spec.default_value.empty()) help += " [default: " + spec.default_value + "]";
    options.add_options()(name.c_str(), po::value<std::string>()->value_name(valueName(spec.type)), help.c_str());
    if (spec.type == KeyType::Secret) {
      options.add_options()((name + "-file").c_str(), po::value<std::string>()->value_name("FILE"),
                            ("read " + spec.key + " from this file").c_str());
    }
  }
  return options;
}

// The section as written: the configured one (--source/--destination) with the command line's
// keys over it. Secrets on the command line must be env:NAME or a file: a plain value would
// show in `ps` and the shell history.
RawSection writtenSection(const Invocation& invocation, const ConnectorInfo& info, const RawSection* configured) {
  RawSection section = configured ? *configured : RawSection{{kCommandLine, 0}, {}};
  section.values.erase("type");
  auto set = [&](const std::string& key, const std::string& value) {
    section.values.erase(key);
    section.values.erase(key + "_file");
    section.values[key] = RawValue{value, {kCommandLine, 0}};
  };
  for (const KeySpec& spec : info.keys) {
    const std::string name = optionName(spec.key);
    if (kOwnOptions.count(name)) continue;
    if (invocation.has(name)) {
      const std::string value = invocation.get<std::string>(name);
      if (spec.type == KeyType::Secret && !value.starts_with("env:")) {
        throw usageError("--" + name + " would show the secret in `ps` and the shell history: give --" + name +
                         " env:NAME (a variable holding it) or --" + name + "-file FILE");
      }
      set(spec.key, value);
    }
    if (spec.type == KeyType::Secret && invocation.has(name + "-file")) {
      section.values.erase(spec.key);
      section.values[spec.key + "_file"] = RawValue{invocation.get<std::string>(name + "-file"), {kCommandLine, 0}};
    }
  }
  if (invocation.has("user")) {
    const std::string key = userKey(info);
    if (key.empty()) throw usageError("the " + info.type + " connector has no user key; see calsyncctl discover " + info.type + " --help");
    set(key, invocation.get<std::string>("user"));
  }
  return section;
}

std::string describe(const std::vector<config::Issue>& issues) {
  std::string text;
  for (const auto& issue : issues) {
    const std::string line = issue.origin.file == kCommandLine
                                 ? "--" + optionName(issue.key) + ": " + issue.reason
                                 : issue.toString();
    text += (text.empty() ? "" : "\n") + line;
  }
  return text;
}

// A directory that exists for one discovery and is removed afterwards, so discovery leaves no
// state behind unless --data-dir or --source names where the connector keeps it.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("calsyncctl-discover-" + std::to_string(random()));
    fs::create_directories(path_);
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::replace);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

bool isPathKey(const ConnectorInfo& info, const std::string& key) {
  return std::any_of(info.keys.begin(), info.keys.end(),
                     [&](const KeySpec& k) { return k.key == key && k.type == KeyType::Path; });
}

// For connectors without a discover callback: every calendar listCalendars() reports, with
// the keys as the admin wrote them (so secrets stay env:NAME or KEY_file), paths made absolute.
DiscoveryReport genericDiscovery(const ConnectorInfo& info, const ConnectorSpec& spec, const RawSection& written) {
  auto connector = info.create(spec);
  DiscoveryReport report;
  std::set<std::string> names;
  for (const Calendar& calendar : connector->listCalendars()) {
    DiscoveredCalendar found;
    found.calendar = calendar;
    found.reason = calendar.writable ? "" : "read-only";
    const std::string base = info.type + "-" + sectionSlug(calendar.name, "calendar");
    std::string name = base;
    for (int n = 2; !names.insert(name).second; ++n) name = base + "-" + std::to_string(n);
    found.section_name = name;
    for (const auto& [key, value] : written.values) {
      if (key == "calendars" || key == "enabled" || key == "allow_metadata_updates" || key == "allow_event_updates") continue;
      if (isPathKey(info, key)) {
        found.settings[key] = spec.settings.at(key);
      } else if (key.ends_with("_file") && fs::path(value.value).is_relative()) {
        found.settings[key] = fs::absolute(value.value).lexically_normal().string();   // a secret's file
      } else {
        found.settings[key] = value.value;
      }
    }
    found.settings["calendars"] = calendar.id;
    report.calendars.push_back(std::move(found));
  }
  return report;
}

bool isSecretKey(const ConnectorInfo& info, const std::string& key) {
  return std::any_of(info.keys.begin(), info.keys.end(),
                     [&](const KeySpec& k) { return k.key == key && k.type == KeyType::Secret; });
}

std::string upperSnake(const std::string& text) {
  std::string out;
  for (unsigned char c : text) out.push_back(std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_');
  return out;
}

// Settings as they may be printed: a secret key whose value is not env:NAME, or any value that
// equals one of the resolved secrets, becomes an env:NAME placeholder (and a note says so).
void scrubSecrets(DiscoveredCalendar& found, const ConnectorInfo& info, const Settings& resolved,
                  std::set<std::string>& placeholders) {
  std::set<std::string> secret_values;
  for (const auto& [key, value] : resolved) {
    if (isSecretKey(info, key) && !value.empty()) secret_values.insert(value);
  }
  for (auto& [key, value] : found.settings) {
    const bool secret_key = isSecretKey(info, key) && !value.starts_with("env:");
    if (secret_key || secret_values.count(value)) {
      value = "env:CALSYNC_" + upperSnake(found.section_name) + "_" + upperSnake(key);
      placeholders.insert(value.substr(4));
    }
  }
}

std::vector<std::pair<std::string, std::string>> sectionEntries(const std::string& type, const Settings& settings) {
  std::vector<std::pair<std::string, std::string>> entries{{"type", type}};
  for (const auto& [key, value] : settings) {
    if (key != "calendars") entries.emplace_back(key, value);
  }
  if (auto it = settings.find("calendars"); it != settings.end()) entries.emplace_back("calendars", it->second);
  return entries;
}

std::string sectionNameFor(const DiscoveredCalendar& found, const std::string& type) {
  return sectionSlug(found.section_name, type + "-calendar");
}

int discover(Invocation& invocation) {
  const ConnectorRegistry& registry = ConnectorRegistry::instance();
  const std::string requested = invocation.firstArgument();
  std::string known;
  for (const auto& type : registry.types()) {
    known += (known.empty() ? "" : ", ") + type;
    std::string aliases;
    for (const auto& alias : registry.find(type)->aliases) aliases += (aliases.empty() ? "" : ", ") + alias;
    if (!aliases.empty()) known += " (" + aliases + ")";
  }
  if (requested.empty()) {
    if (invocation.parse({}, {"[TYPE]"}, Reach::LocalConfig)) {
      throw usageError("discover needs a connector type: calsyncctl discover TYPE [options]; types: " + known);
    }
    invocation.io.out << "\nConnector types: " << known << "\n(calsyncctl discover TYPE --help lists a type's options)\n";
    return kExitOk;
  }
  const ConnectorInfo* info = registry.find(requested);
  if (!info) throw usageError("unknown connector type '" + requested + "'; types: " + known);

  po::options_description own("discover " + info->type);
  own.add_options()
      ("user", po::value<std::string>()->value_name("NAME"), "the account to sign in as (the connector's user/username key)")
      ("source", po::value<std::string>()->value_name("NAME"), "start from [source.NAME] of the local config")
      ("destination", "start from [destination] of the local config")
      ("data-dir", po::value<std::string>()->value_name("DIR"),
       "where the connector keeps state such as sign-ins (default: the section's, else a scratch directory)");
  own.add(connectorOptions(*info));
  if (!invocation.parse(own, {"TYPE"}, Reach::LocalConfig)) return kExitOk;
  if (invocation.has("source") && invocation.vm.count("destination")) throw usageError("give --source NAME or --destination, not both");

  // The configured section to start from, if any.
  std::optional<RawConfig> config;
  std::string section_name = "source.discover";
  if (invocation.has("source") || invocation.vm.count("destination")) {
    section_name = invocation.has("source") ? "source." + invocation.get<std::string>("source") : "destination";
    try {
      config = readRawConfig(invocation.globals.config_path);
    } catch (const config::ConfigError& e) {
      throw configProblem("cannot read the local configuration:\n" + describeIssues(e.issues));
    }
    const RawSection* section = config->section(section_name);
    if (!section) throw configProblem(invocation.globals.config_path + " has no [" + section_name + "] section");
    const auto type = section->values.find("type");
    if (type == section->values.end() || registry.find(type->second.value) != info) {
      throw usageError("[" + section_name + "] in " + invocation.globals.config_path + " is not of type " + info->type);
    }
  }
  const RawSection written = writtenSection(invocation, *info, config ? config->section(section_name) : nullptr);

  std::vector<config::Issue> issues;
  const bool destination = section_name == "destination";
  Settings settings = validateSection(section_name, written,
                                      config::connectorSectionSchema(destination ? "destination" : "source", *info), issues);
  issues.erase(std::remove_if(issues.begin(), issues.end(), [](const config::Issue& i) { return i.key == "type"; }),
               issues.end());
  if (!issues.empty()) {
    const std::string text = "discover " + info->type + ":\n" + describe(issues);
    throw config ? configProblem(text) : usageError(text + "\n(see calsyncctl discover " + info->type + " --help)");
  }
  settings.erase("type");

  ConnectorSpec spec;
  spec.name = destination ? "destination" : section_name.substr(7);
  spec.type = info->type;
  spec.settings = settings;
  std::unique_ptr<ScratchDir> scratch;
  if (invocation.has("data-dir")) {
    spec.data_dir = fs::absolute(invocation.get<std::string>("data-dir")).string();
  } else if (config) {
    spec.data_dir = connectorDataDir(*config, section_name);
  } else {
    scratch = std::make_unique<ScratchDir>();
    spec.data_dir = scratch->path();
  }

  DiscoveryReport report;
  try {
    report = info->discover ? info->discover(spec) : genericDiscovery(*info, spec, written);
  } catch (const ConnectorError& e) {
    std::string text = "discover " + info->type + " failed (" + toString(e.kind()) + "): " + e.what();
    if (e.kind() == ErrorKind::Auth && (info->type == "google" || info->type == "graph")) {
      text += "\nIf this account signs in with OAuth, sign in first with `calsyncctl auth " + info->type +
              " --source NAME` and run discover with the same --source NAME";
    }
    if (e.kind() == ErrorKind::Config) throw config ? configProblem(text) : usageError(text);
    throw operationFailed(text);
  }

  std::set<std::string> placeholders;
  for (auto& found : report.calendars) {
    found.section_name = sectionNameFor(found, info->type);
    scrubSecrets(found, *info, settings, placeholders);
  }
  std::string ini = "; calsyncctl discover " + info->type + ": ready-to-paste sections (unsuggested ones are commented out)\n";
  for (const auto& found : report.calendars) {
    ini += "\n";
    if (!found.reason.empty()) ini += "; " + (found.suggested ? std::string() : "not suggested: ") + fitCell(found.reason, 200) + "\n";
    ini += iniSection("source." + found.section_name, sectionEntries(info->type, found.settings), !found.suggested);
  }
  for (const auto& name : placeholders) {
    report.notes.push_back("the sections read a secret from the environment variable " + name +
                           ": set it for calsyncd, or write KEY_file = PATH instead");
  }

  std::ostream& out = invocation.io.out;
  if (invocation.globals.json) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("type", info->type);
    Poco::JSON::Array notes;
    for (const auto& n : report.notes) notes.add(n);
    body->set("notes", notes);
    Poco::JSON::Array calendars;
    for (const auto& found : report.calendars) {
      Poco::JSON::Object c;
      c.set("id", found.calendar.id);
      c.set("name", found.calendar.name);
      c.set("color", found.calendar.color);
      c.set("writable", found.calendar.writable);
      c.set("account", found.account);
      if (found.event_count) c.set("event_count", static_cast<std::int64_t>(*found.event_count));
      else c.set("event_count", Poco::Dynamic::Var());
      c.set("suggested", found.suggested);
      c.set("reason", found.reason);
      c.set("section", "source." + found.section_name);
      Poco::JSON::Object section_settings;
      section_settings.set("type", info->type);
      for (const auto& [key, value] : found.settings) section_settings.set(key, value);
      c.set("settings", section_settings);
      calendars.add(c);
    }
    body->set("calendars", calendars);
    body->set("ini", ini);
    printJson(out, body);
  } else {
    for (const auto& note : report.notes) out << "note: " << note << '\n';
    if (!report.notes.empty()) out << '\n';
    Table table({"SYNC?", "ID", "NAME", "ACCOUNT", "EVENTS", "WRITABLE", "WHY"}, 60);
    for (const auto& found : report.calendars) {
      table.add({found.suggested ? "yes" : "no", found.calendar.id, found.calendar.name, found.account,
                 found.event_count ? std::to_string(*found.event_count) : "", found.calendar.writable ? "yes" : "no",
                 found.reason});
    }
    table.print(out, "no calendars found");
    if (!report.calendars.empty()) out << '\n' << ini;
  }
  if (report.calendars.empty()) {
    invocation.io.err << "calsyncctl: discover " << info->type << " found no calendars"
                      << (report.notes.empty() ? "" : "; see the notes above") << '\n';
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

void addDiscoverCommand(std::vector<Command>& commands) {
  commands.push_back({"discover", "discover TYPE [--KEY VALUE ...] [--user NAME]",
                      "list an endpoint's calendars and print INI sections (runs locally)", discover});
}

}  // namespace calsync::ctl
