// Byte-level helpers the OAuth pieces share: base64url (RFC 4648 section 5, no padding),
// digests and random bytes from OpenSSL, and form/URL encoding (RFC 3986 unreserved set).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calsync::oauth {

std::string base64UrlEncode(std::string_view bytes);
// Accepts padded or unpadded input; nullopt on characters outside the alphabet.
std::optional<std::string> base64UrlDecode(std::string_view text);
std::string base64Encode(std::string_view bytes);  // standard alphabet, padded

std::string sha256(std::string_view bytes);        // raw 32 bytes
std::string sha1(std::string_view bytes);          // raw 20 bytes (certificate thumbprints only)

// Cryptographically random bytes; throws std::runtime_error when the generator fails.
std::string randomBytes(std::size_t count);
// 32 random bytes as base64url: states, PKCE verifiers, JWT ids.
std::string randomToken();

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string urlEncode(std::string_view text);
std::string urlDecode(std::string_view text);
// application/x-www-form-urlencoded body or query string.
std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields);
std::vector<std::pair<std::string, std::string>> formDecode(std::string_view body);

}  // namespace calsync::oauth
