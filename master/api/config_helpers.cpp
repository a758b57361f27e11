#include "master/api/config_helpers.h"

namespace calsync::master::api {

Poco::JSON::Object credentialJson(const CredentialState& state) {
  Poco::JSON::Object o;
  o.set("name", state.name);
  o.set("type", state.type);
  o.set("state", state.state);
  o.set("expires_at", timeText(state.expires_at));
  o.set("action", state.action);
  return o;
}

Poco::JSON::Array credentialArray(const std::vector<CredentialState>& states) {
  Poco::JSON::Array list;
  for (const auto& state : states) list.add(credentialJson(state));
  return list;
}

DaemonControl& daemonControl(Context& context) {
  if (!context.settings.control) {
    throw ApiError(503, "no_daemon", "this API is not served by a calsyncd that can read or change its configuration");
  }
  return *context.settings.control;
}

std::string sectionLabel(const std::string& name) {
  return name == "destination" ? "[destination]" : "[source." + name + "]";
}

ConnectorSpec connectorSection(Context& context, const std::string& given, const std::string& type) {
  if (given.empty()) {
    throw badRequest("\"source\" is required: the NAME of a [source.NAME] section, or \"destination\"");
  }
  const std::string name = given.starts_with("source.") ? given.substr(7) : given;
  const auto spec = daemonControl(context).section(name);
  if (!spec) throw ApiError(404, "no_such_section", "the configuration has no " + sectionLabel(name) + " section");
  const ConnectorInfo* info = ConnectorRegistry::instance().find(spec->type);
  const std::string actual = info ? info->type : spec->type;
  if (actual != type) {
    throw ApiError(409, "wrong_type", sectionLabel(name) + " is a " + actual + " section, not " + type);
  }
  return *spec;
}

ApiError apiErrorFor(const ConnectorError& error) {
  const std::string message = error.what();
  switch (error.kind()) {
    case ErrorKind::Auth: return ApiError(409, "sign_in_required", message);
    case ErrorKind::Network: return ApiError(502, "provider_unreachable", message);
    case ErrorKind::Throttled:
      return ApiError(503, "provider_throttled", message, std::max<std::int64_t>(error.retryAfterSeconds(), 1));
    case ErrorKind::Config: return ApiError(409, "not_configured", message);
    case ErrorKind::Permission: return ApiError(409, "permission_denied", message);
    case ErrorKind::NotFound: return ApiError(404, "not_found", message);
    case ErrorKind::Conflict: return ApiError(409, "conflict", message);
    case ErrorKind::Protocol:
    case ErrorKind::BadData: break;
  }
  return ApiError(502, "provider_error", message);
}

ApiError apiErrorFor(const ControlError& error) { return ApiError(error.status(), error.code(), error.what()); }

}  // namespace calsync::master::api
