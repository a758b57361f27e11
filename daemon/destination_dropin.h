// Switching the [destination] of a running calsyncd (POST /sync/config/destination/...) without
// anyone editing files by hand, while the INI files stay the whole truth: calsyncd writes a
// conf.d drop-in, an ordinary file an admin can read, edit or delete. A drop-in that sets
// `type` replaces [destination] whole (daemon/config/loader.cpp). The drop-in names no secret:
// a client secret the section had travels in the destination's encrypted token store.
#pragma once

#include <string>

#include "core/registry.h"
#include "daemon/config/config.h"

namespace calsync::daemon {

inline constexpr const char* kDestinationDropInName = "90-destination.ini";

struct DestinationPlan {
  std::string path;            // <conf.d>/90-destination.ini
  std::string text;            // what it will hold
  ConnectorSpec from;          // the section whose settings and sign-in the destination takes
  std::string client_secret;   // carried into the destination's token store, never written
  config::Config result;       // the whole configuration with the drop-in, validated
};

// Plans the drop-in that makes section `from` ("destination" or a source NAME) the destination
// writing to `calendar`, and validates the whole resulting configuration with the loader.
// Nothing is written. Throws master::ControlError: 409 no_conf_d when the daemon has no conf.d
// directory, 409 invalid_configuration when the result would not load, 400 for a value that
// cannot stand in an INI file.
DestinationPlan planDestination(const config::Config& running, const std::string& from, const std::string& calendar,
                                const std::string& note, const ConnectorRegistry& registry = ConnectorRegistry::instance());

// Writes the drop-in (atomically) and carries the sign-in of `plan.from` (tokens, and the client
// secret) into the destination's token store. If carrying fails, the previous drop-in is put
// back. Throws master::ControlError.
void applyDestination(const DestinationPlan& plan);

// {"type", "calendar", "defined_in"} of a configuration's destination, for the audit log.
std::string destinationImage(const config::Config& config);

}  // namespace calsync::daemon
