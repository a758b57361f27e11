#include "core/settings_access.h"

#include <algorithm>
#include <cctype>

#include "core/errors.h"

namespace calsync {

KeySpec describeKey(std::string name, KeyType type, std::string default_value, std::string description) {
  KeySpec spec;
  spec.key = std::move(name);
  spec.type = type;
  spec.default_value = std::move(default_value);
  spec.description = std::move(description);
  return spec;
}

std::string settingText(const Settings& settings, const std::string& name) {
  auto found = settings.find(name);
  return found == settings.end() ? std::string() : found->second;
}

int settingInt(const Settings& settings, const std::string& name, int fallback) {
  const std::string text = settingText(settings, name);
  if (text.empty()) return fallback;
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size()) throw ConnectorError(ErrorKind::Config, name + " is not a whole number: " + text);
  return value;
}

bool settingBool(const Settings& settings, const std::string& name, bool fallback) {
  std::string text = settingText(settings, name);
  if (text.empty()) return fallback;
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return !(text == "false" || text == "no" || text == "off" || text == "0");
}

}  // namespace calsync
