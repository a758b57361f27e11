// JSON Web Tokens signed with RS256 (RFC 7515/7518) for the two OAuth flows that need one:
// a Google service account's JWT-bearer grant (RFC 7523, with domain-wide delegation through
// `sub`) and a Microsoft Entra client assertion for certificate credentials.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace calsync::oauth {

// "header.claims.signature", each part base64url; RS256 over "header.claims".
// Throws ConnectorError(Config) when `private_key_pem` is not a usable RSA key.
std::string signRs256(const std::string& header_json, const std::string& claims_json, const std::string& private_key_pem);

// True when `jwt` carries a valid RS256 signature by the key in `public_pem` (a public key
// or a certificate in PEM form). Does not look at the claims.
bool verifyRs256(const std::string& jwt, const std::string& public_pem);

struct JwtParts {
  std::string header_json;
  std::string claims_json;
};
// The decoded header and claims, without checking the signature.
std::optional<JwtParts> decodeJwt(const std::string& jwt);

// The fields of a Google service account key file (the JSON the Cloud console downloads).
struct ServiceAccountKey {
  std::string client_email;
  std::string private_key;      // PEM
  std::string private_key_id;
  std::string token_uri;
  // Throws ConnectorError(Config) naming the missing field; never echoes the key.
  static ServiceAccountKey fromJson(const std::string& text);
};

// The assertion for grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer: valid for one
// hour from `now`, for `scope`, acting as `subject` (domain-wide delegation; empty = the
// service account itself), addressed to `audience` (the token endpoint).
std::string serviceAccountAssertion(const ServiceAccountKey& key, const std::string& scope, const std::string& subject,
                                    const std::string& audience, std::int64_t now);

// A certificate credential of an app registration: the certificate uploaded to Entra and its
// private key, both PEM.
struct ClientCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
  // Reads both files (they may be the same file); throws ConnectorError(Config).
  static ClientCertificate fromFiles(const std::string& certificate_file, const std::string& private_key_file);
  std::string thumbprintSha1() const;     // base64url of SHA-1 over the DER certificate ("x5t")
  std::string thumbprintSha256() const;   // base64url of SHA-256 ("x5t#S256")
  std::int64_t notAfter() const;          // expiry, epoch seconds; 0 when unreadable
};

// The client_assertion for client_assertion_type=urn:ietf:params:oauth:client-assertion-type:
// jwt-bearer: iss = sub = client_id, aud = token endpoint, ten minutes of validity.
std::string clientAssertion(const ClientCertificate& certificate, const std::string& client_id,
                            const std::string& audience, std::int64_t now);

}  // namespace calsync::oauth
