// Builds connectors by their `type` name. Each connector library registers itself with
// CALSYNC_REGISTER_CONNECTOR in one of its .cpp files; the daemon only ever asks by name.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/connector.h"
#include "core/credential_state.h"
#include "core/discovery.h"
#include "core/key_spec.h"
#include "core/sign_in.h"

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
  // The state of the section's credentials (sign-in, certificate, key file) for /health, read
  // without contacting the provider. Unset, or nullopt, for sections without such credentials.
  std::function<std::optional<CredentialState>(const ConnectorSpec&, std::int64_t now)> credential_status = {};
  // Signing a section in through the master's API; empty hooks for types nobody signs in to.
  // (These two are initialized here so aggregate initializations written before them compile
  // without missing-initializer warnings.)
  SignInHooks sign_in = {};
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
