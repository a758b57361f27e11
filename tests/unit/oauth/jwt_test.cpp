// RS256 JWTs: signatures that an independent verifier (the openssl command) accepts, the
// claims Google and Entra expect, and rejection of anything altered.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <filesystem>

#include "core/errors.h"
#include "oauth/encoding.h"
#include "oauth/json_access.h"
#include "oauth/jwt.h"
#include "tests/servers/oauth/test_keys.h"
#include "tests/support/temp_dir.h"

namespace calsync::oauth {
namespace {

using calsync::testing::generateRsaKey;
using calsync::testing::TempDir;

const calsync::testing::TestKey& key() {
  static const auto k = generateRsaKey();
  return k;
}

TEST(Jwt, SignatureVerifiesWithThePublicKeyAndAnIndependentVerifier) {
  const std::string jwt = signRs256(R"({"alg":"RS256","typ":"JWT"})", R"({"iss":"me","n":1})", key().private_pem);
  EXPECT_TRUE(verifyRs256(jwt, key().public_pem));

  // The openssl command, knowing nothing of this code, accepts the signature too.
  if (std::system("openssl version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl command";
  TempDir dir;
  const std::size_t dot = jwt.rfind('.');
  dir.write("data", jwt.substr(0, dot));
  dir.write("sig", *base64UrlDecode(jwt.substr(dot + 1)));
  dir.write("pub.pem", key().public_pem);
  const std::string command = "openssl dgst -sha256 -verify " + (dir.path() / "pub.pem").string() + " -signature " +
                              (dir.path() / "sig").string() + " " + (dir.path() / "data").string() + " > /dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
}

TEST(Jwt, AlteredTokensAndOtherKeysAreRejected) {
  const std::string jwt = signRs256(R"({"alg":"RS256","typ":"JWT"})", R"({"sub":"ana"})", key().private_pem);
  std::string altered_claims = jwt;
  const std::size_t first = jwt.find('.');
  altered_claims.replace(first + 1, jwt.find('.', first + 1) - first - 1, base64UrlEncode(R"({"sub":"bob"})"));
  EXPECT_FALSE(verifyRs256(altered_claims, key().public_pem));
  std::string altered_signature = jwt;
  altered_signature[altered_signature.size() - 3] = altered_signature[altered_signature.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifyRs256(altered_signature, key().public_pem));
  EXPECT_FALSE(verifyRs256(jwt, generateRsaKey().public_pem));
  EXPECT_FALSE(verifyRs256("not.a-jwt", key().public_pem));
  EXPECT_THROW(signRs256("{}", "{}", "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"), ConnectorError);
}

TEST(Jwt, ServiceAccountAssertionCarriesDelegationClaims) {
  ServiceAccountKey sa;
  sa.client_email = "sync@p.iam.gserviceaccount.com";
  sa.private_key = key().private_pem;
  sa.private_key_id = "kid-1";
  const std::string jwt = serviceAccountAssertion(sa, "https://www.googleapis.com/auth/calendar", "ana@example.com",
                                                  "https://oauth2.googleapis.com/token", 1'700'000'000);
  ASSERT_TRUE(verifyRs256(jwt, key().public_pem));
  auto parts = decodeJwt(jwt);
  auto header = json::parseObject(parts->header_json, "h");
  auto claims = json::parseObject(parts->claims_json, "c");
  EXPECT_EQ(json::text(header, "alg"), "RS256");
  EXPECT_EQ(json::text(header, "kid"), "kid-1");
  EXPECT_EQ(json::text(claims, "iss"), sa.client_email);
  EXPECT_EQ(json::text(claims, "sub"), "ana@example.com");
  EXPECT_EQ(json::text(claims, "scope"), "https://www.googleapis.com/auth/calendar");
  EXPECT_EQ(json::text(claims, "aud"), "https://oauth2.googleapis.com/token");
  EXPECT_EQ(json::integer(claims, "iat"), 1'700'000'000);
  EXPECT_EQ(json::integer(claims, "exp"), 1'700'003'600);
}

TEST(Jwt, ServiceAccountKeyFilesAreCheckedWithoutEchoingTheKey) {
  EXPECT_THROW(ServiceAccountKey::fromJson("{not json"), ConnectorError);
  try {
    ServiceAccountKey::fromJson(R"({"type":"service_account","private_key":"SECRET-KEY-MATERIAL"})");
    ADD_FAILURE();
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_EQ(std::string(e.what()).find("SECRET"), std::string::npos);
  }
}

TEST(Jwt, ClientAssertionNamesTheCertificateByThumbprint) {
  TempDir dir;
  const std::string cert = calsync::testing::selfSignedCertificate(key(), 30);
  const std::string cert_file = dir.write("app.pem", cert + key().private_pem);
  auto credential = ClientCertificate::fromFiles(cert_file, "");
  const std::string jwt = clientAssertion(credential, "app-id", "https://login/token", 1'700'000'000);
  ASSERT_TRUE(verifyRs256(jwt, cert)) << "verifiable with the certificate uploaded to the app registration";
  auto parts = decodeJwt(jwt);
  auto header = json::parseObject(parts->header_json, "h");
  auto claims = json::parseObject(parts->claims_json, "c");

  // The thumbprint computed independently from the DER certificate.
  BIO* bio = BIO_new_mem_buf(cert.data(), static_cast<int>(cert.size()));
  X509* x509 = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(x509, EVP_sha1(), digest, &length);
  X509_free(x509);
  BIO_free(bio);
  EXPECT_EQ(json::text(header, "x5t"), base64UrlEncode(std::string(reinterpret_cast<char*>(digest), length)));
  EXPECT_EQ(json::text(claims, "iss"), "app-id");
  EXPECT_EQ(json::text(claims, "sub"), "app-id");
  EXPECT_EQ(json::text(claims, "aud"), "https://login/token");
  EXPECT_FALSE(json::text(claims, "jti").empty());
  EXPECT_GT(json::integer(claims, "exp"), json::integer(claims, "nbf"));
  const std::int64_t thirty_days = 30 * 86400;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(credential.notAfter()), static_cast<double>(now + thirty_days), 120.0);
  EXPECT_THROW(ClientCertificate::fromFiles((dir.path() / "missing.pem").string(), ""), ConnectorError);
}

TEST(Encoding, Base64UrlAndFormsRoundTrip) {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\xff\xfe\x00\x01", 4)}) {
    EXPECT_EQ(*base64UrlDecode(base64UrlEncode(s)), s);
  }
  EXPECT_EQ(base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64UrlDecode("a*b").has_value());
  const auto fields = formDecode(formEncode({{"a b", "c&d=e"}, {"ü", "+"}}));
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].first, "a b");
  EXPECT_EQ(fields[0].second, "c&d=e");
  EXPECT_EQ(fields[1].first, "ü");
  EXPECT_EQ(fields[1].second, "+");
}

}  // namespace
}  // namespace calsync::oauth
