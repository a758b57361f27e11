#include "daemon/logging/level_filter.h"

#include <stdexcept>

namespace calsync::logging {
namespace {

log::Level levelOrThrow(const std::string& name, const std::string& what) {
  const auto level = parseLevel(name);
  if (!level) throw std::invalid_argument("unknown log level '" + name + "' for " + what);
  return *level;
}

}  // namespace

std::optional<log::Level> parseLevel(std::string_view name) {
  for (log::Level level : {log::Level::Trace, log::Level::Debug, log::Level::Info, log::Level::Warning, log::Level::Error}) {
    if (name == log::toString(level)) return level;
  }
  return std::nullopt;
}

LevelFilter::LevelFilter(const std::string& level, const std::map<std::string, std::string>& component_levels)
    : default_(levelOrThrow(level, "the default")) {
  for (const auto& [component, name] : component_levels) {
    if (component.empty()) throw std::invalid_argument("empty component name in the per-component log levels");
    components_[component] = levelOrThrow(name, "component '" + component + "'");
  }
}

log::Level LevelFilter::thresholdFor(std::string_view component) const {
  // Walk from the full name up its dotted parents: "caldav.http.pool", "caldav.http", "caldav".
  std::string_view name = component;
  while (true) {
    const auto it = components_.find(name);
    if (it != components_.end()) return it->second;
    const std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos) return default_;
    name = name.substr(0, dot);
  }
}

bool LevelFilter::passes(log::Level level, std::string_view component) const { return level >= thresholdFor(component); }

}  // namespace calsync::logging
