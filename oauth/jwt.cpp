#include "oauth/jwt.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/errors.h"
#include "oauth/encoding.h"
#include "oauth/json_access.h"

namespace calsync::oauth {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

BioPtr memoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

PkeyPtr privateKey(const std::string& pem) {
  BioPtr bio = memoryBio(pem);
  if (!bio) return nullptr;
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

X509Ptr certificate(const std::string& pem) {
  BioPtr bio = memoryBio(pem);
  if (!bio) return nullptr;
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr publicKey(const std::string& pem) {
  if (pem.find("BEGIN CERTIFICATE") != std::string::npos) {
    X509Ptr cert = certificate(pem);
    if (!cert) return nullptr;
    return PkeyPtr(X509_get_pubkey(cert.get()));
  }
  BioPtr bio = memoryBio(pem);
  if (!bio) return nullptr;
  return PkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

std::string derOf(const std::string& certificate_pem) {
  X509Ptr cert = certificate(certificate_pem);
  if (!cert) return {};
  const int length = i2d_X509(cert.get(), nullptr);
  if (length <= 0) return {};
  std::string der(static_cast<std::size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(cert.get(), &out);
  return der;
}

std::string readFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConnectorError(ErrorKind::Config, "cannot read the " + what + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string signRs256(const std::string& header_json, const std::string& claims_json, const std::string& private_key_pem) {
  PkeyPtr key = privateKey(private_key_pem);
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    throw ConnectorError(ErrorKind::Config, "the private key is not a readable RSA key in PEM form");
  }
  const std::string signing_input = base64UrlEncode(header_json) + "." + base64UrlEncode(claims_json);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    throw ConnectorError(ErrorKind::Config, "cannot sign with the private key");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
    throw ConnectorError(ErrorKind::Config, "cannot sign with the private key");
  }
  signature.resize(length);
  return signing_input + "." + base64UrlEncode(signature);
}

bool verifyRs256(const std::string& jwt, const std::string& public_pem) {
  const std::size_t first = jwt.find('.');
  const std::size_t second = first == std::string::npos ? std::string::npos : jwt.find('.', first + 1);
  if (second == std::string::npos) return false;
  auto header = decodeJwt(jwt);
  if (!header) return false;
  try {
    if (json::text(json::parseObject(header->header_json, "jwt header"), "alg") != "RS256") return false;
  } catch (const ConnectorError&) {
    return false;
  }
  auto signature = base64UrlDecode(std::string_view(jwt).substr(second + 1));
  PkeyPtr key = publicKey(public_pem);
  if (!signature || !key) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                          reinterpret_cast<const unsigned char*>(jwt.data()), second) == 1;
}

std::optional<JwtParts> decodeJwt(const std::string& jwt) {
  const std::size_t first = jwt.find('.');
  const std::size_t second = first == std::string::npos ? std::string::npos : jwt.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  auto header = base64UrlDecode(std::string_view(jwt).substr(0, first));
  auto claims = base64UrlDecode(std::string_view(jwt).substr(first + 1, second - first - 1));
  if (!header || !claims) return std::nullopt;
  return JwtParts{*header, *claims};
}

ServiceAccountKey ServiceAccountKey::fromJson(const std::string& text) {
  json::Object::Ptr root;
  try {
    root = json::parseObject(text, "service account key");
  } catch (const ConnectorError&) {
    throw ConnectorError(ErrorKind::Config, "the service account key file is not the JSON key Google issues");
  }
  ServiceAccountKey key;
  key.client_email = json::text(root, "client_email");
  key.private_key = json::text(root, "private_key");
  key.private_key_id = json::text(root, "private_key_id");
  key.token_uri = json::text(root, "token_uri");
  if (json::text(root, "type", "service_account") != "service_account") {
    throw ConnectorError(ErrorKind::Config, "the key file is not a service account key (type is not service_account)");
  }
  if (key.client_email.empty()) throw ConnectorError(ErrorKind::Config, "the service account key has no client_email");
  if (key.private_key.empty()) throw ConnectorError(ErrorKind::Config, "the service account key has no private_key");
  return key;
}

std::string serviceAccountAssertion(const ServiceAccountKey& key, const std::string& scope, const std::string& subject,
                                    const std::string& audience, std::int64_t now) {
  json::Object header;
  header.set("alg", "RS256");
  header.set("typ", "JWT");
  if (!key.private_key_id.empty()) header.set("kid", key.private_key_id);
  json::Object claims;
  claims.set("iss", key.client_email);
  claims.set("scope", scope);
  claims.set("aud", audience);
  claims.set("iat", now);
  claims.set("exp", now + 3600);
  if (!subject.empty()) claims.set("sub", subject);
  return signRs256(json::stringify(header), json::stringify(claims), key.private_key);
}

ClientCertificate ClientCertificate::fromFiles(const std::string& certificate_file, const std::string& private_key_file) {
  ClientCertificate result;
  result.certificate_pem = readFile(certificate_file, "client certificate");
  result.private_key_pem =
      private_key_file.empty() ? result.certificate_pem : readFile(private_key_file, "client certificate's private key");
  if (!certificate(result.certificate_pem)) {
    throw ConnectorError(ErrorKind::Config, "no PEM certificate in " + certificate_file);
  }
  if (!privateKey(result.private_key_pem)) {
    throw ConnectorError(ErrorKind::Config, "no PEM private key in " +
                                                (private_key_file.empty() ? certificate_file : private_key_file));
  }
  return result;
}

std::string ClientCertificate::thumbprintSha1() const { return base64UrlEncode(sha1(derOf(certificate_pem))); }
std::string ClientCertificate::thumbprintSha256() const { return base64UrlEncode(sha256(derOf(certificate_pem))); }

std::int64_t ClientCertificate::notAfter() const {
  X509Ptr cert = certificate(certificate_pem);
  if (!cert) return 0;
  std::tm when{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &when) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&when));
}

std::string clientAssertion(const ClientCertificate& certificate_credential, const std::string& client_id,
                            const std::string& audience, std::int64_t now) {
  json::Object header;
  header.set("alg", "RS256");
  header.set("typ", "JWT");
  header.set("x5t", certificate_credential.thumbprintSha1());
  header.set("x5t#S256", certificate_credential.thumbprintSha256());
  json::Object claims;
  claims.set("aud", audience);
  claims.set("iss", client_id);
  claims.set("sub", client_id);
  claims.set("jti", randomToken());
  claims.set("nbf", now);
  claims.set("iat", now);
  claims.set("exp", now + 600);
  return signRs256(json::stringify(header), json::stringify(claims), certificate_credential.private_key_pem);
}

}  // namespace calsync::oauth
