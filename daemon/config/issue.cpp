#include "daemon/config/issue.h"

namespace calsync::config {
namespace {

std::string joinLines(const std::vector<Issue>& issues) {
  std::string text;
  for (const Issue& issue : issues) text += (text.empty() ? "" : "\n") + issue.toString();
  return text;
}

}  // namespace

std::string Issue::toString() const {
  std::string text = origin.file;
  if (origin.line > 0) text += ":" + std::to_string(origin.line);
  text += ": ";
  if (!section.empty()) text += "[" + section + "]" + (key.empty() ? "" : " ");
  text += key;
  if (!section.empty() || !key.empty()) text += ": ";
  return text + reason;
}

ConfigError::ConfigError(std::vector<Issue> found) : std::runtime_error(joinLines(found)), issues(std::move(found)) {}

}  // namespace calsync::config
