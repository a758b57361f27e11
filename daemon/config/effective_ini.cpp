#include <algorithm>

#include "daemon/config/config.h"
#include "daemon/config/schema.h"
#include "daemon/config/value_check.h"

namespace calsync::config {
namespace {

std::vector<KeySpec> schemaOf(const std::string& section, const Settings& values, const ConnectorRegistry& registry) {
  if (section != "destination" && !section.starts_with("source.")) return sectionSchema(section);
  const std::string kind = section == "destination" ? "destination" : "source";
  const auto type = values.find("type");
  const ConnectorInfo* info = type == values.end() ? nullptr : registry.find(type->second);
  return info ? connectorSectionSchema(kind, *info) : sectionSchema(kind);
}

std::string shown(const KeySpec& spec, const std::string& value) {
  if (spec.type == KeyType::Secret) return value.empty() ? "" : "<hidden>";
  if (spec.type == KeyType::Duration && !value.empty()) return formatDuration(std::stoll(value));
  const bool needs_quotes = value.find_first_of(";#\"") != std::string::npos ||
                            (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  return needs_quotes ? "\"" + value + "\"" : value;
}

}  // namespace

std::string effectiveIni(const Config& config, const ConnectorRegistry& registry) {
  std::string out;
  for (const auto& [name, section] : config.sections) {
    out += (out.empty() ? "" : "\n") + std::string("[") + name + "]\n";
    for (const KeySpec& spec : schemaOf(name, section.values, registry)) {
      const auto value = section.values.find(spec.key);
      if (value == section.values.end()) continue;
      const auto origin = section.origins.find(spec.key);
      const std::string from = origin == section.origins.end()
                                   ? "default"
                                   : origin->second.file + ":" + std::to_string(origin->second.line);
      out += spec.key + " = " + shown(spec, value->second) + "   ; " + from + "\n";
    }
  }
  return out;
}

}  // namespace calsync::config
