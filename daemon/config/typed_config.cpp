#include "daemon/config/typed_config.h"

#include <algorithm>
#include <filesystem>

namespace calsync::config {
namespace {

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

ConnectorSpec connectorSpec(const std::string& name, const SectionValues& section, const std::string& data_dir) {
  ConnectorSpec spec;
  spec.name = name;
  spec.type = section.values.at("type");
  spec.settings = section.values;
  spec.settings.erase("type");
  spec.data_dir = (std::filesystem::path(data_dir) / (name == "destination" ? "destination" : "sources/" + name)).string();
  return spec;
}

}  // namespace

Config typedConfig(std::map<std::string, SectionValues> sections) {
  Config config;
  const Settings& d = sections.at("daemon").values;
  config.daemon.mode = d.at("mode");
  config.daemon.data_dir = d.at("data_dir");
  config.daemon.log_level = d.at("log_level");
  for (const std::string& item : splitList(d.at("log_levels"))) {
    if (const auto pair = splitComponentLevel(item)) config.daemon.component_levels[pair->first] = pair->second;
  }
  config.daemon.log_console = d.at("log_console") == "true";
  config.daemon.log_file = d.at("log_file");
  config.daemon.log_file_max_bytes = std::stoll(d.at("log_file_max_mb")) * 1024 * 1024;
  config.daemon.log_file_count = std::stoi(d.at("log_file_count"));
  config.daemon.log_syslog = d.at("log_syslog") == "true";
  config.daemon.pid_file = d.at("pid_file");

  const Settings& a = sections.at("agent").values;
  config.agent.id = a.at("id");
  config.agent.name = a.at("name");
  config.agent.master_url = a.at("master_url");
  config.agent.enroll_token = a.at("enroll_token");
  config.agent.ca_file = a.at("ca_file");
  config.agent.allow_plain_http = a.at("allow_plain_http") == "true";
  config.agent.sync_interval_seconds = std::stoll(a.at("sync_interval"));
  config.agent.window_past_seconds = std::stoll(a.at("window_past"));
  config.agent.window_future_seconds = std::stoll(a.at("window_future"));
  config.agent.max_retry_attempts = std::stoi(a.at("max_retry_attempts"));

  const Settings& m = sections.at("master").values;
  config.master.listen = m.at("listen");
  config.master.tls_cert = m.at("tls_cert");
  config.master.tls_key = m.at("tls_key");
  config.master.admin_token = m.at("admin_token");
  config.master.allow_plain_http = m.at("allow_plain_http") == "true";
  config.master.store = m.at("store");
  config.master.conflict_resolution = m.at("conflict_resolution");

  for (const auto& [name, section] : sections) {
    if (name == "destination") {
      config.destination = DestinationConfig{connectorSpec(name, section, config.daemon.data_dir),
                                             section.values.at("calendar"), section.origin};
    } else if (name.starts_with("source.")) {
      SourceConfig source;
      source.name = name.substr(7);
      source.spec = connectorSpec(source.name, section, config.daemon.data_dir);
      source.calendars = splitList(section.values.at("calendars"));
      source.allow_metadata_updates = section.values.at("allow_metadata_updates") == "true";
      source.allow_event_updates = section.values.at("allow_event_updates") == "true";
      source.conflict_resolution = section.values.at("conflict_resolution");
      source.enabled = section.values.at("enabled") == "true";
      source.origin = section.origin;
      config.sources.push_back(std::move(source));
    }
  }
  config.sections = std::move(sections);
  return config;
}

std::optional<std::pair<std::string, std::string>> splitComponentLevel(const std::string& item) {
  const std::size_t equals = item.find('=');
  if (equals == std::string::npos) return std::nullopt;
  return std::pair(trimmed(item.substr(0, equals)), trimmed(item.substr(equals + 1)));
}

std::vector<std::string> splitList(const std::string& value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    if (std::string item = trimmed(value.substr(start, comma - start)); !item.empty()) items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

}  // namespace calsync::config
