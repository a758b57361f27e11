#include "ntlm_server.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/HMACEngine.h>
#include <Poco/MD4Engine.h>
#include <Poco/MD5Engine.h>
#include <Poco/UnicodeConverter.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <random>
#include <sstream>

namespace calsync::testing::ews {
namespace {

constexpr std::uint32_t kUnicode = 0x00000001;
constexpr std::uint32_t kRequestTarget = 0x00000004;
constexpr std::uint32_t kNtlm = 0x00000200;
constexpr std::uint32_t kTargetTypeDomain = 0x00010000;
constexpr std::uint32_t kExtendedSessionSecurity = 0x00080000;
constexpr std::uint32_t kTargetInfo = 0x00800000;

std::uint32_t read32(const std::string& m, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(m[at])) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(m[at + 1])) << 8) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(m[at + 2])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(m[at + 3])) << 24);
}

std::uint16_t read16(const std::string& m, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(m[at]) | (static_cast<unsigned char>(m[at + 1]) << 8));
}

void put16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>(v >> 8));
}

void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A security buffer (length, max length, offset) read from `at`; nullopt when out of bounds.
std::optional<std::string> field(const std::string& m, std::size_t at) {
  if (at + 8 > m.size()) return std::nullopt;
  std::uint16_t length = read16(m, at);
  std::uint32_t offset = read32(m, at + 4);
  if (static_cast<std::size_t>(offset) + length > m.size()) return std::nullopt;
  return m.substr(offset, length);
}

std::string utf16le(const std::string& utf8) {
  Poco::UTF16String wide;
  Poco::UnicodeConverter::convert(utf8, wide);
  std::string bytes;
  for (auto c : wide) put16(bytes, static_cast<std::uint16_t>(c));
  return bytes;
}

std::string fromUtf16le(const std::string& bytes) {
  Poco::UTF16String wide;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) wide.push_back(static_cast<Poco::UTF16Char>(read16(bytes, i)));
  std::string utf8;
  Poco::UnicodeConverter::convert(wide, utf8);
  return utf8;
}

std::string hmacMd5(const std::string& key, const std::string& data) {
  Poco::HMACEngine<Poco::MD5Engine> hmac(key);
  hmac.update(data);
  const auto& digest = hmac.digest();
  return std::string(digest.begin(), digest.end());
}

}  // namespace

std::string base64Encode(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

std::string base64Decode(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  std::string out;
  char c;
  while (decoder.get(c)) out.push_back(c);
  return out;
}

NtlmMessageType ntlmMessageType(const std::string& m) {
  if (m.size() < 12 || m.compare(0, 8, std::string("NTLMSSP\0", 8)) != 0) return NtlmMessageType::Invalid;
  switch (read32(m, 8)) {
    case 1: return NtlmMessageType::Negotiate;
    case 2: return NtlmMessageType::Challenge;
    case 3: return m.size() >= 64 ? NtlmMessageType::Authenticate : NtlmMessageType::Invalid;
    default: return NtlmMessageType::Invalid;
  }
}

NtlmChallenge makeNtlmChallenge(const std::string& domain) {
  NtlmChallenge out;
  std::random_device random;
  for (int i = 0; i < 8; ++i) out.server_challenge.push_back(static_cast<char>(random() & 0xFF));
  const std::string target = utf16le(domain);
  std::string info;
  put16(info, 2);  // MsvAvNbDomainName
  put16(info, static_cast<std::uint16_t>(target.size()));
  info += target;
  put16(info, 0);  // MsvAvEOL
  put16(info, 0);
  constexpr std::uint32_t kHeader = 48;
  std::string& m = out.message;
  m.assign("NTLMSSP\0", 8);
  put32(m, 2);
  put16(m, static_cast<std::uint16_t>(target.size()));
  put16(m, static_cast<std::uint16_t>(target.size()));
  put32(m, kHeader);
  put32(m, kUnicode | kRequestTarget | kNtlm | kTargetTypeDomain | kExtendedSessionSecurity | kTargetInfo);
  m += out.server_challenge;
  m.append(8, '\0');  // reserved (context)
  put16(m, static_cast<std::uint16_t>(info.size()));
  put16(m, static_cast<std::uint16_t>(info.size()));
  put32(m, kHeader + static_cast<std::uint32_t>(target.size()));
  m += target;
  m += info;
  return out;
}

std::optional<NtlmIdentity> ntlmIdentity(const std::string& m) {
  if (ntlmMessageType(m) != NtlmMessageType::Authenticate) return std::nullopt;
  auto domain = field(m, 28);
  auto user = field(m, 36);
  if (!domain || !user) return std::nullopt;
  const bool unicode = (read32(m, 60) & kUnicode) != 0;
  return NtlmIdentity{unicode ? fromUtf16le(*user) : *user, unicode ? fromUtf16le(*domain) : *domain};
}

bool verifyNtlmV2(const std::string& m, const std::string& server_challenge, const std::string& password) {
  auto identity = ntlmIdentity(m);
  auto nt_response = field(m, 20);
  if (!identity || !nt_response || nt_response->size() < 16 + 28) return false;  // NTLMv2: proof + blob
  // NTOWFv2 (MS-NLMP 3.3.2): HMAC_MD5(MD4(UNICODE(password)), UNICODE(Uppercase(user) + domain)).
  Poco::MD4Engine md4;
  md4.update(utf16le(password));
  const auto& password_hash = md4.digest();
  std::string user = identity->user;
  std::transform(user.begin(), user.end(), user.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const std::string ntowf = hmacMd5(std::string(password_hash.begin(), password_hash.end()), utf16le(user + identity->domain));
  const std::string proof = nt_response->substr(0, 16);
  const std::string blob = nt_response->substr(16);
  if (blob[0] != 1 || blob[1] != 1) return false;  // RespType / HiRespType of an NTLMv2 blob
  return hmacMd5(ntowf, server_challenge + blob) == proof;
}

}  // namespace calsync::testing::ews
