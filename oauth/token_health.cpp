#include "oauth/token_health.h"

namespace calsync::oauth {

const char* toString(TokenHealth health) {
  switch (health) {
    case TokenHealth::Ok: return "ok";
    case TokenHealth::Expiring: return "expiring";
    case TokenHealth::Revoked: return "revoked";
    case TokenHealth::ConsentMissing: return "consent_missing";
  }
  return "unknown";
}

TokenHealth healthForTokenError(const std::string& error, const std::string& description) {
  if (error == "invalid_grant") {
    // Entra reports missing consent as invalid_grant with AADSTS65001 in the description.
    if (description.find("AADSTS65001") != std::string::npos) return TokenHealth::ConsentMissing;
    return TokenHealth::Revoked;
  }
  if (error == "consent_required" || error == "interaction_required" || error == "unauthorized_client" ||
      error == "access_denied" || error == "invalid_scope" || error == "admin_policy_enforced") {
    return TokenHealth::ConsentMissing;
  }
  if (error == "expired_token") return TokenHealth::Revoked;
  return TokenHealth::Ok;
}

std::string reauthCommand(const std::string& type, const std::string& name) {
  if (name == "destination") return "calsyncctl auth " + type + " --destination";
  return "calsyncctl auth " + type + " --source " + name;
}

std::string remedy(TokenHealth health, const std::string& reauth) {
  switch (health) {
    case TokenHealth::Ok: return "";
    case TokenHealth::Expiring:
      return "the sign-in expires soon; run `" + reauth + "` to renew it before it stops working";
    case TokenHealth::Revoked:
      return "the sign-in was revoked or has expired (invalid_grant); run `" + reauth + "` to sign in again";
    case TokenHealth::ConsentMissing:
      return "no usable sign-in or consent for this app; run `" + reauth +
             "` (and have an administrator grant consent if the app registration requires it)";
  }
  return "";
}

}  // namespace calsync::oauth
