// Pieces the configuration routes share (oauth_config_routes.cpp, destination_routes.cpp,
// and the credential lists of /health and agent status): the daemon behind the API, connector
// sections by name and type, and how connector and provider errors read over the API.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "core/credential_state.h"
#include "core/errors.h"
#include "core/registry.h"
#include "master/api/context.h"
#include "master/api/request.h"
#include "master/daemon_control.h"

namespace calsync::master::api {

Poco::JSON::Object credentialJson(const CredentialState& state);
Poco::JSON::Array credentialArray(const std::vector<CredentialState>& states);

// The daemon serving the API; 503 when the API runs without one.
DaemonControl& daemonControl(Context& context);

// The connector section `name` ("destination", or NAME / "source.NAME" of [source.NAME]) when
// it is of connector type `type` (aliases count); 400 without a name, 404 when there is no such
// section, 409 when it is of another type.
ConnectorSpec connectorSection(Context& context, const std::string& name, const std::string& type);
// "[destination]" or "[source.NAME]", for messages.
std::string sectionLabel(const std::string& name);

// A connector's or provider's error as the API answers it: Auth 409 sign_in_required (the
// message says what to run), Network 502, Throttled 503 with Retry-After, Config 409, ...
ApiError apiErrorFor(const ConnectorError& error);
ApiError apiErrorFor(const ControlError& error);

}  // namespace calsync::master::api
