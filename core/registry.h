// Builds connectors by their `type` name. Each connector library registers itself with
// CALSYNC_REGISTER_CONNECTOR in one of its .cpp files; the daemon only ever asks by name.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/connector.h"
#include "core/discovery.h"
#include "core/key_spec.h"

namespace calsync {

// What a connector instance is built from: its config section, already validated.
struct ConnectorSpec {
  std::string name;       // "work" for [source.work], "destination" for [destination]
  std::string type;
  Settings settings;      // the section's keys except `type`
  std::string data_dir;   // where the connector may keep caches
};

struct ConnectorInfo {
  std::string type;
  std::string description;
  std::vector<KeySpec> keys;     // keys its section accepts besides `type`
  bool can_be_destination = false;
  std::function<std::unique_ptr<Connector>(const ConnectorSpec&)> create;
  // Other names `calsyncctl discover` accepts for this type ("outlook-mac" for olk15).
  std::vector<std::string> aliases;
  // Lists what the endpoint described by `spec` holds, for `calsyncctl discover`. Unset means
  // the generic discovery: create the connector and report listCalendars().
  std::function<DiscoveryReport(const ConnectorSpec&)> discover;
};

class ConnectorRegistry {
 public:
  static ConnectorRegistry& instance();
  void add(ConnectorInfo info);
  // By type name or alias.
  const ConnectorInfo* find(const std::string& type) const;
  std::vector<std::string> types() const;
  // Throws ConnectorError(Config) for an unknown type.
  std::unique_ptr<Connector> create(const ConnectorSpec& spec) const;

 private:
  std::map<std::string, ConnectorInfo> infos_;
};

struct ConnectorRegistration {
  explicit ConnectorRegistration(ConnectorInfo info) { ConnectorRegistry::instance().add(std::move(info)); }
};

}  // namespace calsync

// Connector libraries are linked whole (CMake's WHOLE_ARCHIVE), so this static object runs.
#define CALSYNC_REGISTER_CONNECTOR(ident, info_expr) \
  static const ::calsync::ConnectorRegistration calsync_connector_registration_##ident{info_expr}
