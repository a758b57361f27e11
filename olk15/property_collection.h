// The property collection every .olk15* entity file is built from (olk15-format.md §2.4):
//   u32 count, u32 header_size (= 12 + 8*count), u32 body_size,
//   count x [4-byte key][u32 value size], then the values back to back.
// A key's bytes k0 k1 k2 k3 hold the value type in k2 k3 (big-endian) and the property index
// in k0 k1 (little-endian); inside time-zone records k2 != 0 and the key is a byte-reversed
// FourCC. Property ids are per record class: this file knows containers, not meanings.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace calsync::olk15 {

// Value type codes (§2.4).
namespace value_type {
inline constexpr std::uint16_t kInt16 = 0x02;
inline constexpr std::uint16_t kInt32 = 0x03;
inline constexpr std::uint16_t kBlob = 0x08;
inline constexpr std::uint16_t kBool = 0x0B;
inline constexpr std::uint16_t kNested = 0x0D;
inline constexpr std::uint16_t kInt64 = 0x14;
inline constexpr std::uint16_t kUtf8 = 0x1D;
inline constexpr std::uint16_t kAnsi = 0x1E;    // UTF-8 in practice, NUL-terminated
inline constexpr std::uint16_t kUtf16 = 0x1F;   // UTF-16LE, NUL-terminated
inline constexpr std::uint16_t kGuid = 0x48;
inline constexpr std::uint16_t kCfTime = 0x4D;  // double, seconds since 2001-01-01 UTC
}  // namespace value_type

struct PropertyKey {
  std::array<unsigned char, 4> raw{};

  bool isFourCC() const { return raw[2] != 0; }
  std::uint16_t type() const { return static_cast<std::uint16_t>(raw[2] << 8 | raw[3]); }
  std::uint16_t index() const { return static_cast<std::uint16_t>(raw[0] | raw[1] << 8); }
  bool operator==(const PropertyKey&) const = default;

  // The key of property `index` with value type `type` (pyolk writes it "TT:II").
  static PropertyKey of(std::uint16_t type, std::uint16_t index);
  // The key spelled by a FourCC such as "CFtz" (stored byte-reversed, §3.3.3).
  static PropertyKey fourCC(std::string_view name);
};

struct Property {
  PropertyKey key;
  std::string_view value;   // points into the bytes the collection was parsed from
};

class PropertyCollection {
 public:
  // Parses the collection at the start of `bytes`. With `exact`, the collection must fill
  // `bytes` completely (the top-level size invariant); otherwise trailing bytes are ignored.
  // Throws FormatError when the header or the sizes are inconsistent.
  static PropertyCollection parse(std::string_view bytes, bool exact);

  const Property* find(PropertyKey key) const;
  const Property* find(std::uint16_t type, std::uint16_t index) const { return find(PropertyKey::of(type, index)); }
  const std::vector<Property>& entries() const { return entries_; }
  // header_size + body_size as the header states them.
  std::size_t encodedSize() const { return encoded_size_; }

 private:
  std::vector<Property> entries_;
  std::size_t encoded_size_ = 0;
};

// Value readers. Each throws FormatError when the value's size cannot hold its type.
// A signed little-endian integer of 1, 2, 4 or 8 bytes (0x03 values sometimes carry 8).
std::int64_t intValue(const Property& p);
bool boolValue(const Property& p);
double doubleValue(const Property& p);
// UTF-16LE to UTF-8, stopping at the first NUL; unpaired surrogates become U+FFFD.
std::string utf16Value(std::string_view bytes);
// UTF-8 up to the first NUL, with invalid sequences replaced by U+FFFD.
std::string utf8Value(std::string_view bytes);
// The text of a 0x1D/0x1E/0x1F property, by its type; FormatError for other types.
std::string textValue(const Property& p);

// A list of collections (§3.3.1): i32 n, then n u16 sizes, then the n collections.
std::vector<PropertyCollection> parseCollectionList(std::string_view bytes);

}  // namespace calsync::olk15
