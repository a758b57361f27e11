// Which records pass: a default level, overridden per component. A component's level also
// covers its sub-components ("caldav" covers "caldav.http"); the longest match wins.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/log.h"

namespace calsync::logging {

std::optional<log::Level> parseLevel(std::string_view name);

class LevelFilter {
 public:
  // Throws std::invalid_argument naming the first unknown level or an empty component.
  LevelFilter(const std::string& level, const std::map<std::string, std::string>& component_levels);
  bool passes(log::Level level, std::string_view component) const;
  log::Level thresholdFor(std::string_view component) const;

 private:
  log::Level default_;
  std::map<std::string, log::Level, std::less<>> components_;
};

}  // namespace calsync::logging
