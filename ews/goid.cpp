#include "ews/goid.h"

#include <cctype>
#include <cstdint>

namespace calsync::ews {
namespace {

constexpr char kClassIdHex[] = "040000008200E00074C5B7101A82E008";
constexpr std::size_t kHeaderBytes = 40;  // class id 16, instance date 4, creation time 8, reserved 8, size 4

bool isHex(const std::string& text) {
  for (unsigned char c : text) {
    if (!std::isxdigit(c)) return false;
  }
  return true;
}

bool startsWithClassId(const std::string& uid) {
  const std::string prefix = kClassIdHex;
  if (uid.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(uid[i])) != prefix[i]) return false;
  }
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return std::toupper(static_cast<unsigned char>(c)) - 'A' + 10;
}

void appendLittleEndian(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

}  // namespace

std::string cleanGlobalObjectId(const std::string& uid) {
  std::string bytes;
  if (startsWithClassId(uid) && uid.size() % 2 == 0 && uid.size() >= 2 * kHeaderBytes && isHex(uid)) {
    for (std::size_t i = 0; i < uid.size(); i += 2) bytes.push_back(static_cast<char>(hexValue(uid[i]) * 16 + hexValue(uid[i + 1])));
    for (std::size_t i = 16; i < 20; ++i) bytes[i] = '\0';  // the instance date is what "clean" removes
    return bytes;
  }
  for (std::size_t i = 0; i < 32; i += 2) bytes.push_back(static_cast<char>(hexValue(kClassIdHex[i]) * 16 + hexValue(kClassIdHex[i + 1])));
  bytes.append(20, '\0');  // instance date, creation time, reserved
  std::string data = "vCal-Uid";
  appendLittleEndian(data, 1);
  data += uid;
  data.push_back('\0');
  appendLittleEndian(bytes, static_cast<std::uint32_t>(data.size()));
  return bytes + data;
}

std::string base64Encode(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                      static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], kAlphabet[n & 63]};
  }
  if (i + 1 == bytes.size()) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

}  // namespace calsync::ews
