// Who may talk to the master: one-time enrolment tokens and the per-agent secrets they are
// exchanged for. Only SHA-256 hashes of tokens and secrets are stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store_error.h"

namespace calsync::store {

struct EnrollmentToken {
  std::string id;             // public handle, for listing and revoking
  std::string label;
  std::int64_t created_at = 0;
  std::string created_by;
  std::int64_t expires_at = 0;
  std::int64_t used_at = 0;   // 0 = not used yet
  std::string used_by;        // agent id
  std::int64_t revoked_at = 0;
};

enum class EnrollOutcome { Enrolled, UnknownToken, TokenUsed, TokenExpired, TokenRevoked };

class AuthStore {
 public:
  virtual ~AuthStore() = default;
  virtual void addEnrollmentToken(const EnrollmentToken& token, const std::string& token_hash) = 0;
  virtual std::vector<EnrollmentToken> enrollmentTokens() = 0;
  // False when no such token exists or it was already revoked.
  virtual bool revokeEnrollmentToken(const std::string& id, std::int64_t now) = 0;
  // Consumes the token and stores the agent's secret hash in one transaction. An agent that
  // enrolls again (reinstalled, state lost) gets its new secret; the old one stops working.
  virtual EnrollOutcome enroll(const std::string& token_hash, const std::string& agent_id,
                               const std::string& secret_hash, std::int64_t now) = 0;
  // The agent's current secret hash; nullopt when it never enrolled or was revoked.
  virtual std::optional<std::string> agentSecretHash(const std::string& agent_id) = 0;
  virtual bool revokeAgent(const std::string& agent_id, std::int64_t now) = 0;
};

}  // namespace calsync::store
