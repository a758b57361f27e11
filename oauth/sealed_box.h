// Authenticated encryption for secrets at rest: AES-256-GCM with a random 96-bit nonce.
// Layout: "CSB1" | nonce (12) | ciphertext | tag (16). A wrong key or any changed byte makes
// open() fail; nothing is ever decrypted without its tag checking out.
#pragma once

#include <optional>
#include <string>

namespace calsync::oauth {

// `key` must be 32 bytes; `context` is bound to the ciphertext (additional authenticated data),
// so a box made for one purpose cannot be passed off as another.
std::string seal(const std::string& key, const std::string& plaintext, const std::string& context);
std::optional<std::string> open(const std::string& key, const std::string& box, const std::string& context);

}  // namespace calsync::oauth
