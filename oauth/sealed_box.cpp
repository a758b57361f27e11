#include "oauth/sealed_box.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "oauth/encoding.h"

namespace calsync::oauth {
namespace {

constexpr std::string_view kMagic = "CSB1";
constexpr std::size_t kNonce = 12;
constexpr std::size_t kTag = 16;

struct CipherFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string seal(const std::string& key, const std::string& plaintext, const std::string& context) {
  if (key.size() != 32) throw std::invalid_argument("seal: the key must be 32 bytes");
  const std::string nonce = randomBytes(kNonce);
  CipherPtr ctx(EVP_CIPHER_CTX_new());
  std::string out(kMagic);
  out += nonce;
  std::string cipher(plaintext.size() + 16, '\0');
  int length = 0;
  int total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonce), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(context), static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(cipher.data()), &length, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  total = length;
  if (EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(cipher.data()) + total, &length) != 1) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  total += length;
  cipher.resize(static_cast<std::size_t>(total));
  std::string tag(kTag, '\0');
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTag), tag.data()) != 1) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  return out + cipher + tag;
}

std::optional<std::string> open(const std::string& key, const std::string& box, const std::string& context) {
  if (key.size() != 32 || box.size() < kMagic.size() + kNonce + kTag || box.compare(0, kMagic.size(), kMagic) != 0) {
    return std::nullopt;
  }
  const std::string nonce = box.substr(kMagic.size(), kNonce);
  const std::string cipher = box.substr(kMagic.size() + kNonce, box.size() - kMagic.size() - kNonce - kTag);
  std::string tag = box.substr(box.size() - kTag);
  CipherPtr ctx(EVP_CIPHER_CTX_new());
  std::string plain(cipher.size() + 16, '\0');
  int length = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonce), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(context), static_cast<int>(context.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &length, bytes(cipher),
                        static_cast<int>(cipher.size())) != 1) {
    return std::nullopt;
  }
  int total = length;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTag), tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + total, &length) != 1) {
    return std::nullopt;
  }
  total += length;
  plain.resize(static_cast<std::size_t>(total));
  return plain;
}

}  // namespace calsync::oauth
