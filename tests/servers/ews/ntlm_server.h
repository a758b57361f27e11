// Internal to the EWS test server: the server side of NTLM (MS-NLMP) as far as a test needs
// it: answer a NEGOTIATE with a CHALLENGE, and check an AUTHENTICATE's NTLMv2 response
// against the user's password.
#pragma once

#include <optional>
#include <string>

namespace calsync::testing::ews {

enum class NtlmMessageType { Negotiate = 1, Challenge = 2, Authenticate = 3, Invalid = 0 };

NtlmMessageType ntlmMessageType(const std::string& message);

// A CHALLENGE message naming `domain`, with a fresh random 8-byte server challenge.
struct NtlmChallenge {
  std::string message;          // the whole message, binary
  std::string server_challenge; // its 8 bytes
};
NtlmChallenge makeNtlmChallenge(const std::string& domain);

struct NtlmIdentity {
  std::string user;
  std::string domain;
};
// Reads the user and domain an AUTHENTICATE message claims (nullopt when malformed).
std::optional<NtlmIdentity> ntlmIdentity(const std::string& message);
// Whether the AUTHENTICATE message's NTLMv2 response proves knowledge of `password` for the
// challenge `server_challenge`.
bool verifyNtlmV2(const std::string& message, const std::string& server_challenge, const std::string& password);

std::string base64Encode(const std::string& bytes);
std::string base64Decode(const std::string& text);

}  // namespace calsync::testing::ews
