// How load() works: read every file into raw sections (keeping file:line per key), merge them
// (later files override earlier keys), then validate each section against its schema and the
// rules that span sections. Every issue is collected before anything is thrown.
#include <Poco/Environment.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/log.h"
#include "daemon/config/config.h"
#include "daemon/config/ini_reader.h"
#include "daemon/config/raw_config.h"
#include "daemon/config/schema.h"
#include "daemon/config/secrets.h"
#include "daemon/config/typed_config.h"
#include "daemon/config/value_check.h"

namespace calsync::config {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kLevelNames{"trace", "debug", "info", "warning", "error"};

bool isSectionName(const std::string& name) {
  if (name == "daemon" || name == "agent" || name == "master" || name == "destination") return true;
  if (!name.starts_with("source.") || name.size() == 7) return false;
  return std::all_of(name.begin() + 7, name.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string unknownKeyReason(const std::string& key, const std::vector<KeySpec>& schema) {
  std::string lowered = key;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const KeySpec* best = nullptr;
  std::size_t best_distance = 3;   // suggest only near misses
  for (const KeySpec& spec : schema) {
    const std::size_t distance = editDistance(lowered, spec.key);
    if (distance < best_distance) best = &spec, best_distance = distance;
  }
  return best ? "unknown key (did you mean '" + best->key + "'?)" : "unknown key";
}

const KeySpec* findKey(const std::vector<KeySpec>& schema, const std::string& key) {
  const auto it = std::find_if(schema.begin(), schema.end(), [&](const KeySpec& spec) { return spec.key == key; });
  return it == schema.end() ? nullptr : &*it;
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string hostName() {
  try {
    return Poco::Environment::nodeName();
  } catch (const std::exception&) {
    return "";
  }
}

class Loader {
 public:
  explicit Loader(const ConnectorRegistry& registry, const StagedDropIn* staged = nullptr)
      : registry_(registry), staged_(staged) {}

  RawConfig readOnly(const std::string& main_path) {
    if (!readFile(main_path)) throw ConfigError(issues_);
    readDropIns(dropInDirectory(main_path));
    if (!issues_.empty()) throw ConfigError(issues_);
    return RawConfig{files_, raw_};
  }

  Config load(const std::string& main_path) {
    if (!readFile(main_path)) throw ConfigError(issues_);
    readDropIns(dropInDirectory(main_path));

    std::map<std::string, SectionValues> sections;
    for (const char* name : {"daemon", "agent", "master"}) {
      const auto raw = raw_.find(name);
      sections[name] = validate(name, raw == raw_.end() ? RawSection{} : raw->second, sectionSchema(name));
    }
    fillAgentDefaults(sections["agent"]);
    checkLogLevels(sections["daemon"]);
    checkMaster(sections["master"]);
    for (const auto& [name, raw] : raw_) {
      if (name == "destination" || name.starts_with("source.")) {
        if (auto values = validateConnectorSection(name, raw)) sections[name] = std::move(*values);
      }
    }
    checkMode(sections);

    std::stable_sort(issues_.begin(), issues_.end(), [&](const Issue& a, const Issue& b) {
      return std::pair(fileIndex(a.origin.file), a.origin.line) < std::pair(fileIndex(b.origin.file), b.origin.line);
    });
    if (!issues_.empty()) throw ConfigError(issues_);
    Config config = typedConfig(std::move(sections));
    config.files_read = files_;
    config.warnings = warnings_;
    return config;
  }

 private:
  void issue(Origin origin, std::string section, std::string key, std::string reason) {
    issues_.push_back({std::move(origin), std::move(section), std::move(key), std::move(reason)});
  }

  std::size_t fileIndex(const std::string& file) const {
    return static_cast<std::size_t>(std::find(files_.begin(), files_.end(), file) - files_.begin());
  }

  bool readFile(const std::string& path) {
    if (staged_ && path == staged_->path) {
      std::istringstream in(staged_->text);
      files_.push_back(path);
      merge(readIni(path, in, issues_), files_.size() - 1);
      return true;
    }
    std::ifstream in(path);
    if (!in) {
      issue({path, 0}, "", "", std::string("cannot read: ") + std::strerror(errno));
      return false;
    }
    files_.push_back(path);
    merge(readIni(path, in, issues_), files_.size() - 1);
    return true;
  }

  void readDropIns(const fs::path& dir) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) return;
    std::vector<fs::path> found;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
      const fs::path& path = it->path();
      const std::string name = path.filename().string();
      // Hidden files are editor swap files and the like, not configuration.
      if (path.extension() == ".ini" && !name.starts_with(".") && it->is_regular_file(error)) found.push_back(path);
    }
    if (error) issue({dir.string(), 0}, "", "", "cannot list drop-in directory: " + error.message());
    if (staged_ && fs::path(staged_->path).parent_path() == dir &&
        std::find(found.begin(), found.end(), fs::path(staged_->path)) == found.end()) {
      found.push_back(staged_->path);
    }
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    for (const fs::path& path : found) readFile(path.string());
  }

  void merge(const std::vector<IniSection>& sections, std::size_t file_index) {
    for (const IniSection& section : sections) {
      if (!isSectionName(section.name)) {
        issue(section.origin, section.name, "",
              section.name == "source" || section.name.starts_with("source.")
                  ? "a source section is named [source.NAME], NAME made of letters, digits, '-' and '_'"
                  : "unknown section (expected daemon, agent, master, destination or source.NAME)");
        continue;
      }
      RawSection& raw = raw_[section.name];
      if (startsAfresh(section, raw, file_index)) raw = RawSection{};
      if (raw.origin.file.empty()) raw.origin = section.origin;
      for (const IniEntry& entry : section.entries) {
        auto [it, inserted] = raw.values.try_emplace(entry.key, RawValue{entry.value, entry.origin, file_index});
        if (inserted) continue;
        if (it->second.file_index == file_index) {
          issue(entry.origin, section.name, entry.key,
                "duplicate key (already set at line " + std::to_string(it->second.origin.line) + ")");
        } else {
          it->second = RawValue{entry.value, entry.origin, file_index};
        }
      }
    }
  }

  // A later file that sets `type` in a connector section describes that connector anew: the
  // keys earlier files gave it belong to what it was before (a caldav url means nothing to a
  // google destination), so they are dropped rather than merged.
  static bool startsAfresh(const IniSection& section, const RawSection& raw, std::size_t file_index) {
    if (section.name != "destination" && !section.name.starts_with("source.")) return false;
    const bool sets_type = std::any_of(section.entries.begin(), section.entries.end(),
                                       [](const IniEntry& entry) { return entry.key == "type"; });
    return sets_type && std::any_of(raw.values.begin(), raw.values.end(),
                                    [&](const auto& value) { return value.second.file_index < file_index; });
  }

  // Checks every written key against `schema`, resolves secrets and fills defaults.
  SectionValues validate(const std::string& name, const RawSection& raw, const std::vector<KeySpec>& schema) {
    SectionValues result{name, {}, {}, raw.origin.file.empty() ? Origin{files_.front(), 0} : raw.origin};

    struct Written {
      const RawValue* raw;
      bool as_file;
    };
    std::map<std::string, Written> written;
    for (const auto& [key, value] : raw.values) {
      const KeySpec* spec = findKey(schema, key);
      bool as_file = false;
      if (!spec && key.ends_with("_file")) {
        spec = findKey(schema, key.substr(0, key.size() - 5));
        as_file = spec && spec->type == KeyType::Secret;
        if (!as_file) spec = nullptr;
      }
      if (!spec) {
        issue(value.origin, name, key, unknownKeyReason(key, schema));
        continue;
      }
      auto [it, inserted] = written.try_emplace(spec->key, Written{&value, as_file});
      if (inserted) continue;
      if (it->second.raw->file_index == value.file_index) {
        issue(value.origin, name, key,
              "'" + spec->key + "' is also set at line " + std::to_string(it->second.raw->origin.line) + "; keep one");
      } else if (value.file_index > it->second.raw->file_index) {
        it->second = Written{&value, as_file};
      }
    }

    for (const KeySpec& spec : schema) {
      const auto it = written.find(spec.key);
      if (it == written.end()) {
        if (spec.required) issue(result.origin, name, spec.key, "missing required key");
        result.values[spec.key] = checkValue(spec, spec.default_value).value;
        continue;
      }
      const RawValue& value = *it->second.raw;
      const std::string key_as_written = spec.key + (it->second.as_file ? "_file" : "");
      const std::string base_dir = fs::path(value.origin.file).parent_path().string();
      result.origins[spec.key] = value.origin;
      result.values[spec.key] = "";   // stays empty if the value is rejected below
      std::string text;
      if (spec.type == KeyType::Secret) {
        ResolvedSecret secret = resolveSecret(value.value, it->second.as_file, base_dir);
        if (!secret.warning.empty()) warn(value.origin, name, key_as_written, secret.warning);
        if (!secret.ok) {
          issue(value.origin, name, key_as_written, secret.reason);
          failed_.insert(name + "/" + spec.key);
          continue;
        }
        text = std::move(secret.value);
      } else {
        CheckedValue checked = checkValue(spec, value.value);
        if (!checked.ok) {
          issue(value.origin, name, spec.key, checked.reason);
          failed_.insert(name + "/" + spec.key);
          continue;
        }
        text = std::move(checked.value);
      }
      if (spec.type == KeyType::Path && !text.empty() && fs::path(text).is_relative()) {
        text = (fs::path(base_dir) / text).lexically_normal().string();
      }
      if (spec.required && text.empty()) issue(value.origin, name, key_as_written, "must not be empty");
      result.values[spec.key] = std::move(text);
    }
    return result;
  }

  std::optional<SectionValues> validateConnectorSection(const std::string& name, const RawSection& raw) {
    const bool destination = name == "destination";
    const auto type_it = raw.values.find("type");
    if (type_it == raw.values.end()) {
      issue(raw.origin, name, "type", "missing required key");
      return std::nullopt;
    }
    const std::string& type = type_it->second.value;
    const ConnectorInfo* info = registry_.find(type);
    if (!info) {
      issue(type_it->second.origin, name, "type",
            "unknown connector type '" + type + "' (known: " + joined(registry_.types()) + ")");
      return std::nullopt;
    }
    if (destination && !info->can_be_destination) {
      std::vector<std::string> usable;
      for (const auto& candidate : registry_.types()) {
        if (registry_.find(candidate)->can_be_destination) usable.push_back(candidate);
      }
      issue(type_it->second.origin, name, "type",
            "connector type '" + type + "' cannot be a destination (types that can: " + joined(usable) + ")");
    }
    return validate(name, raw, connectorSectionSchema(destination ? "destination" : "source", *info));
  }

  void warn(Origin origin, std::string section, std::string key, std::string reason) {
    Issue warning{std::move(origin), std::move(section), std::move(key), std::move(reason)};
    log::warn("config", warning.toString());
    warnings_.push_back(std::move(warning));
  }

  Origin originOf(const SectionValues& section, const std::string& key) const {
    const auto it = section.origins.find(key);
    return it == section.origins.end() ? section.origin : it->second;
  }

  void fillAgentDefaults(SectionValues& agent) {
    if (agent.values["id"].empty()) agent.values["id"] = hostName();
    if (agent.values["name"].empty()) agent.values["name"] = agent.values["id"];
  }

  void checkLogLevels(SectionValues& daemon) {
    for (const std::string& item : splitList(daemon.values["log_levels"])) {
      const auto pair = splitComponentLevel(item);
      const bool ok = pair && !pair->first.empty() && pair->first.find_first_of(" \t") == std::string::npos &&
                      kLevelNames.contains(pair->second);
      if (!ok) {
        issue(originOf(daemon, "log_levels"), "daemon", "log_levels",
              "'" + item + "' is not component=level (level: trace, debug, info, warning or error)");
      }
    }
  }

  bool failed(const std::string& section, const std::string& key) const { return failed_.contains(section + "/" + key); }

  void checkMaster(const SectionValues& master) {
    const std::string& store = master.values.at("store");
    if (!failed("master", "store") && store != "sqlite" && !store.starts_with("postgresql://") && !store.starts_with("postgres://")) {
      issue(originOf(master, "store"), "master", "store", "must be 'sqlite' or a postgresql:// URL");
    }
    const bool cert = !master.values.at("tls_cert").empty();
    const bool key = !master.values.at("tls_key").empty();
    if (cert != key) {
      issue(originOf(master, cert ? "tls_cert" : "tls_key"), "master", cert ? "tls_cert" : "tls_key",
            "tls_cert and tls_key must be given together");
    }
  }

  // Requirements that depend on daemon.mode.
  void checkMode(const std::map<std::string, SectionValues>& sections) {
    if (failed("daemon", "mode")) return;   // requirements of an unknown mode would only add noise
    const SectionValues& daemon = sections.at("daemon");
    const std::string& mode = daemon.values.at("mode");
    const Origin mode_origin = originOf(daemon, "mode");
    const bool has_destination = raw_.contains("destination");
    const bool has_sources = std::any_of(raw_.begin(), raw_.end(), [](const auto& s) { return s.first.starts_with("source."); });
    const std::string why = "required when mode = " + mode;

    if (mode == "agent") {
      const SectionValues& agent = sections.at("agent");
      for (const char* key : {"master_url", "id"}) {
        if (agent.values.at(key).empty() && !failed("agent", key)) {
          const Origin origin = agent.origins.contains(key) ? agent.origins.at(key)
                                : raw_.contains("agent")      ? agent.origin
                                                              : mode_origin;
          issue(origin, "agent", key, why);
        }
      }
      if (has_destination) {
        warn(raw_.at("destination").origin, "destination", "", "ignored in mode = agent (the master writes the destination)");
      }
    }
    if (mode == "master") {
      const SectionValues& master = sections.at("master");
      if (master.values.at("tls_cert").empty() && master.values.at("allow_plain_http") != "true" &&
          !failed("master", "allow_plain_http")) {
        issue(raw_.contains("master") ? master.origin : mode_origin, "master", "tls_cert",
              "mode = master needs tls_cert and tls_key, or allow_plain_http = true");
      }
      for (const auto& [name, raw] : raw_) {
        if (name.starts_with("source.")) warn(raw.origin, name, "", "ignored in mode = master (agents read sources)");
      }
    }
    if (mode == "standalone" && !has_destination) issue(mode_origin, "destination", "", "a [destination] section is " + why);
    if (mode != "master" && !has_sources) {
      issue(mode_origin, "", "", "at least one [source.NAME] section is " + why);
    }
  }

  const ConnectorRegistry& registry_;
  const StagedDropIn* staged_ = nullptr;
  std::vector<std::string> files_;
  std::map<std::string, RawSection> raw_;
  std::vector<Issue> issues_;
  std::vector<Issue> warnings_;
  std::set<std::string> failed_;   // "section/key" whose value was rejected: no follow-up issues
};

}  // namespace

Config load(const std::string& main_path, const ConnectorRegistry& registry) { return Loader(registry).load(main_path); }

RawConfig readRawConfig(const std::string& main_path) { return Loader(ConnectorRegistry::instance()).readOnly(main_path); }

Config loadWithStagedDropIn(const std::string& main_path, const StagedDropIn& staged, const ConnectorRegistry& registry) {
  return Loader(registry, &staged).load(main_path);
}

std::string dropInDirectory(const std::string& main_path) { return (fs::path(main_path).parent_path() / "conf.d").string(); }

}  // namespace calsync::config
