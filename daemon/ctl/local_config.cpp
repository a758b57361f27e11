#include "daemon/ctl/local_config.h"

#include <algorithm>
#include <filesystem>

#include "daemon/config/schema.h"
#include "daemon/config/secrets.h"
#include "daemon/config/value_check.h"
#include "daemon/ctl/cli.h"

namespace calsync::ctl {
namespace {

namespace fs = std::filesystem;

const KeySpec* findKey(const std::vector<KeySpec>& schema, const std::string& key) {
  const auto it = std::find_if(schema.begin(), schema.end(), [&](const KeySpec& s) { return s.key == key; });
  return it == schema.end() ? nullptr : &*it;
}

}  // namespace

Settings validateSection(const std::string& section_name, const RawSection& raw, const std::vector<KeySpec>& schema,
                         std::vector<config::Issue>& issues) {
  Settings settings;
  std::map<std::string, std::pair<const RawValue*, bool>> written;   // key -> (value, given as KEY_file)
  for (const auto& [key, value] : raw.values) {
    const KeySpec* spec = findKey(schema, key);
    bool as_file = false;
    if (!spec && key.ends_with("_file")) {
      spec = findKey(schema, key.substr(0, key.size() - 5));
      as_file = spec && spec->type == KeyType::Secret;
      if (!as_file) spec = nullptr;
    }
    if (!spec) {
      issues.push_back({value.origin, section_name, key, "unknown key"});
      continue;
    }
    written[spec->key] = {&value, as_file};
  }
  for (const KeySpec& spec : schema) {
    const auto it = written.find(spec.key);
    if (it == written.end()) {
      if (spec.required) issues.push_back({raw.origin, section_name, spec.key, "missing required key"});
      settings[spec.key] = config::checkValue(spec, spec.default_value).value;
      continue;
    }
    const RawValue& value = *it->second.first;
    const bool as_file = it->second.second;
    // Relative to the file that names it; a value from the command line is relative to here.
    std::string base_dir = fs::path(value.origin.file).parent_path().string();
    if (base_dir.empty()) base_dir = fs::current_path().string();
    std::string text;
    if (spec.type == KeyType::Secret) {
      const config::ResolvedSecret secret = config::resolveSecret(value.value, as_file, base_dir);
      if (!secret.ok) {
        issues.push_back({value.origin, section_name, spec.key + (as_file ? "_file" : ""), secret.reason});
        continue;
      }
      text = secret.value;
    } else {
      const config::CheckedValue checked = config::checkValue(spec, value.value);
      if (!checked.ok) {
        issues.push_back({value.origin, section_name, spec.key, checked.reason});
        continue;
      }
      text = checked.value;
    }
    if (spec.type == KeyType::Path && !text.empty() && fs::path(text).is_relative()) {
      text = (fs::path(base_dir) / text).lexically_normal().string();
    }
    if (spec.required && text.empty()) issues.push_back({value.origin, section_name, spec.key, "must not be empty"});
    settings[spec.key] = std::move(text);
  }
  return settings;
}

ConnectorSpec connectorSpecFromConfig(const RawConfig& raw, const std::string& section_name,
                                      const ConnectorRegistry& registry) {
  const RawSection* section = raw.section(section_name);
  const std::string file = raw.files.empty() ? "" : raw.files.front();
  if (!section) throw configProblem(file + ": there is no [" + section_name + "] section");
  const auto type = section->values.find("type");
  if (type == section->values.end()) throw configProblem(file + ": [" + section_name + "] has no type");
  const ConnectorInfo* info = registry.find(type->second.value);
  if (!info) {
    throw configProblem(type->second.origin.file + ":" + std::to_string(type->second.origin.line) + ": [" +
                        section_name + "] type: unknown connector type '" + type->second.value + "'");
  }
  std::vector<config::Issue> issues;
  const bool destination = section_name == "destination";
  Settings settings = validateSection(section_name, *section,
                                      config::connectorSectionSchema(destination ? "destination" : "source", *info), issues);
  if (!issues.empty()) throw configProblem("the configuration has errors:\n" + describeIssues(issues));
  ConnectorSpec spec;
  spec.name = destination ? "destination" : section_name.substr(7);
  spec.type = info->type;
  spec.settings = std::move(settings);
  spec.settings.erase("type");
  spec.data_dir = connectorDataDir(raw, section_name);
  return spec;
}

std::string connectorDataDir(const RawConfig& raw, const std::string& section_name) {
  std::vector<config::Issue> issues;
  const RawSection* daemon = raw.section("daemon");
  const std::string file = raw.files.empty() ? "" : raw.files.front();
  const Settings settings =
      validateSection("daemon", daemon ? *daemon : RawSection{{file, 0}, {}}, config::sectionSchema("daemon"), issues);
  issues.erase(std::remove_if(issues.begin(), issues.end(), [](const config::Issue& i) { return i.key != "data_dir"; }),
               issues.end());
  if (!issues.empty()) throw configProblem("the configuration has errors:\n" + describeIssues(issues));
  // The same layout as typed_config.cpp builds for calsyncd.
  const bool destination = section_name == "destination";
  return (fs::path(settings.at("data_dir")) / (destination ? "destination" : "sources/" + section_name.substr(7))).string();
}

std::string describeIssues(const std::vector<config::Issue>& issues) {
  std::string text;
  for (const auto& issue : issues) text += (text.empty() ? "" : "\n") + issue.toString();
  return text;
}

}  // namespace calsync::ctl
