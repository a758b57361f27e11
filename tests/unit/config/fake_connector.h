// A connector type that exists only in tests, registered in a local registry, so the loader's
// handling of connector keys does not depend on the real connectors.
#pragma once

#include "core/registry.h"

namespace calsync::testing {

inline KeySpec fakeKey(std::string name, KeyType type, std::string default_value, bool required, std::string description) {
  KeySpec spec;
  spec.key = std::move(name);
  spec.type = type;
  spec.default_value = std::move(default_value);
  spec.required = required;
  spec.description = std::move(description);
  return spec;
}

inline ConnectorRegistry fakeRegistry() {
  ConnectorRegistry registry;
  const KeySpec url = fakeKey("url", KeyType::Url, "", true, "Where the fake calendar lives.");
  const KeySpec password = fakeKey("password", KeyType::Secret, "", false, "Password for url.");
  KeySpec depth = fakeKey("depth", KeyType::Int, "3", false, "How deep to look.");
  depth.min = 1;
  depth.max = 5;
  registry.add({"fake", "A fake connector for tests.", {url, password, depth}, true, nullptr, {}, nullptr});
  registry.add({"readonly", "A fake source that cannot be a destination.", {url}, false, nullptr, {}, nullptr});
  return registry;
}

}  // namespace calsync::testing
