// Reading a connector's validated settings and describing its keys: the small helpers every
// connector's config code needs, in one place.
#pragma once

#include <string>

#include "core/key_spec.h"

namespace calsync {

KeySpec describeKey(std::string name, KeyType type, std::string default_value, std::string description);

// The value, or "" when the key is absent.
std::string settingText(const Settings& settings, const std::string& name);
// Validated integers and durations are decimal text; throws ConnectorError(Config) naming the
// key otherwise. `fallback` when absent or empty.
int settingInt(const Settings& settings, const std::string& name, int fallback);
// true/yes/on/1 and false/no/off/0, any case; `fallback` when absent or empty.
bool settingBool(const Settings& settings, const std::string& name, bool fallback);

}  // namespace calsync
