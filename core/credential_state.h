// How usable one connector instance's credentials are, in words an admin can act on: what
// GET /health lists under "credentials", what an agent reports in its heartbeat, and what
// `calsyncctl status` shows. Never carries a token or a secret.
#pragma once

#include <cstdint>
#include <string>

namespace calsync {

struct CredentialState {
  std::string name;             // the section: "work" for [source.work], "destination"
  std::string type;             // connector type: "google", "graph"
  // ok | expiring | expired | revoked | consent_missing | missing
  std::string state = "missing";
  std::int64_t expires_at = 0;  // when the sign-in or certificate ends, epoch seconds; 0 = not known
  std::string action;           // what the admin should do; empty when ok

  bool ok() const { return state == "ok"; }
  bool operator==(const CredentialState&) const = default;
};

}  // namespace calsync
