#include "olk15/property_collection.h"

#include <algorithm>
#include <cstring>

#include "olk15/byte_reader.h"
#include "olk15/format_error.h"
#include "olk15/utf8.h"

namespace calsync::olk15 {
namespace {

constexpr std::size_t kCollectionHeader = 12;
constexpr std::size_t kEntrySize = 8;

constexpr std::uint32_t kReplacement = 0xFFFD;

}  // namespace

PropertyKey PropertyKey::of(std::uint16_t type, std::uint16_t index) {
  PropertyKey key;
  key.raw = {static_cast<unsigned char>(index & 0xFF), static_cast<unsigned char>(index >> 8),
             static_cast<unsigned char>(type >> 8), static_cast<unsigned char>(type & 0xFF)};
  return key;
}

PropertyKey PropertyKey::fourCC(std::string_view name) {
  PropertyKey key;
  for (std::size_t i = 0; i < 4 && i < name.size(); ++i) key.raw[3 - i] = static_cast<unsigned char>(name[i]);
  return key;
}

PropertyCollection PropertyCollection::parse(std::string_view bytes, bool exact) {
  ByteReader in(bytes, "property collection");
  const std::uint32_t count = in.u32();
  const std::uint32_t header_size = in.u32();
  const std::uint32_t body_size = in.u32();
  // Checked in 64 bits: a hostile count must not wrap the arithmetic.
  const std::uint64_t expected_header = kCollectionHeader + std::uint64_t{kEntrySize} * count;
  if (header_size != expected_header) {
    throw FormatError("collection header size " + std::to_string(header_size) + " does not match " +
                      std::to_string(count) + " entries");
  }
  const std::uint64_t total = std::uint64_t{header_size} + body_size;
  if (total > bytes.size()) {
    throw FormatError("collection of " + std::to_string(total) + " bytes in a value of " + std::to_string(bytes.size()));
  }
  if (exact && total != bytes.size()) {
    throw FormatError("collection size " + std::to_string(total) + " does not fill its " + std::to_string(bytes.size()) +
                      " bytes");
  }
  PropertyCollection out;
  out.encoded_size_ = static_cast<std::size_t>(total);
  out.entries_.reserve(count);
  std::uint64_t value_offset = header_size;
  for (std::uint32_t i = 0; i < count; ++i) {
    Property p;
    std::memcpy(p.key.raw.data(), in.take(4).data(), 4);
    const std::uint32_t size = in.u32();
    if (value_offset + size > total) throw FormatError("property values run past the collection body");
    p.value = bytes.substr(static_cast<std::size_t>(value_offset), size);
    value_offset += size;
    out.entries_.push_back(p);
  }
  if (value_offset != total) {
    throw FormatError("property sizes add up to " + std::to_string(value_offset - header_size) + ", body is " +
                      std::to_string(body_size));
  }
  return out;
}

const Property* PropertyCollection::find(PropertyKey key) const {
  for (const auto& p : entries_) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::int64_t intValue(const Property& p) {
  const std::size_t n = p.value.size();
  if (n != 1 && n != 2 && n != 4 && n != 8) {
    throw FormatError("integer property of " + std::to_string(n) + " bytes");
  }
  const std::uint64_t raw = ByteReader::little(p.value);
  const unsigned bits = static_cast<unsigned>(n * 8);
  if (bits == 64) return static_cast<std::int64_t>(raw);
  const std::uint64_t sign = std::uint64_t{1} << (bits - 1);
  return static_cast<std::int64_t>((raw ^ sign) - sign);  // sign-extend
}

bool boolValue(const Property& p) {
  if (p.value.empty() || p.value.size() > 4) throw FormatError("boolean property of " + std::to_string(p.value.size()) + " bytes");
  return std::any_of(p.value.begin(), p.value.end(), [](char c) { return c != 0; });
}

double doubleValue(const Property& p) {
  if (p.value.size() != 8) throw FormatError("time property of " + std::to_string(p.value.size()) + " bytes");
  const std::uint64_t raw = ByteReader::little(p.value);
  double d = 0;
  static_assert(sizeof d == sizeof raw);
  std::memcpy(&d, &raw, sizeof d);
  return d;
}

std::string utf16Value(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 2);
  const std::size_t units = bytes.size() / 2;
  auto unit = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[2 * i]) |
                                      static_cast<unsigned char>(bytes[2 * i + 1]) << 8);
  };
  for (std::size_t i = 0; i < units; ++i) {
    const std::uint32_t u = unit(i);
    if (u == 0) break;
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 < units) {
        const std::uint32_t low = unit(i + 1);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          appendUtf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
          ++i;
          continue;
        }
      }
      appendUtf8(out, kReplacement);
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      appendUtf8(out, kReplacement);
    } else {
      appendUtf8(out, u);
    }
  }
  return out;
}

std::string utf8Value(std::string_view bytes) {
  const std::size_t nul = bytes.find('\0');
  if (nul != std::string_view::npos) bytes = bytes.substr(0, nul);
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    }
    bool ok = len != 0 && i + len <= bytes.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(bytes[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
               (cp >= 0xD800 && cp <= 0xDFFF))) {
      ok = false;
    }
    if (ok) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      appendUtf8(out, kReplacement);
      ++i;
    }
  }
  return out;
}

std::string textValue(const Property& p) {
  switch (p.key.type()) {
    case value_type::kUtf16: return utf16Value(p.value);
    case value_type::kAnsi:
    case value_type::kUtf8: return utf8Value(p.value);
    default: throw FormatError("property of type " + std::to_string(p.key.type()) + " is not text");
  }
}

std::vector<PropertyCollection> parseCollectionList(std::string_view bytes) {
  ByteReader in(bytes, "collection list");
  const std::int32_t n = in.i32();
  if (n < 0 || static_cast<std::uint64_t>(n) * 2 > in.remaining()) {
    throw FormatError("collection list of " + std::to_string(n) + " items in " + std::to_string(bytes.size()) + " bytes");
  }
  std::vector<std::uint16_t> sizes(static_cast<std::size_t>(n));
  for (auto& s : sizes) s = in.u16();
  std::vector<PropertyCollection> out;
  out.reserve(sizes.size());
  for (const std::uint16_t size : sizes) out.push_back(PropertyCollection::parse(in.take(size), false));
  return out;
}

}  // namespace calsync::olk15
