// Throw-away RSA keys and self-signed certificates made at test time (OpenSSL), for service
// account and certificate-credential tests. Nothing here is ever written outside a test's
// temporary directory.
#pragma once

#include <string>

namespace calsync::testing {

struct TestKey {
  std::string private_pem;   // PKCS#8
  std::string public_pem;    // SubjectPublicKeyInfo
};
TestKey generateRsaKey(int bits = 2048);

// A self-signed certificate for `key`, valid from now for `days` days.
std::string selfSignedCertificate(const TestKey& key, int days = 365);

}  // namespace calsync::testing
