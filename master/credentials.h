// Tokens and secrets the master hands out: random, shown once, stored only as SHA-256
// hashes (they are 256-bit random values, so a plain hash is as strong as a slow one).
#pragma once

#include <string>
#include <string_view>

namespace calsync::master {

// A new random credential: `prefix` + 43 base64url characters (32 random bytes). The prefix
// ("cse_" enrolment token, "csa_" agent secret) lets secret scanners recognise leaked ones.
std::string newCredential(std::string_view prefix);
std::string credentialHash(std::string_view credential);
// Compares in time independent of where the inputs differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace calsync::master
