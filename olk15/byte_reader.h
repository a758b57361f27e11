// Bounds-checked little-endian reads from a byte range. Every read that would run past the
// end throws FormatError, so parsers built on it cannot read outside their input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "olk15/format_error.h"

namespace calsync::olk15 {

class ByteReader {
 public:
  ByteReader(std::string_view bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

  std::size_t size() const { return bytes_.size(); }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  void seek(std::size_t pos) {
    if (pos > bytes_.size()) fail(pos, 0);
    pos_ = pos;
  }

  std::string_view take(std::size_t n) {
    if (n > remaining()) fail(pos_, n);
    std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(little(take(2))); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(little(take(4))); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::uint64_t u64() { return little(take(8)); }

  // An unsigned little-endian integer of 1 to 8 bytes.
  static std::uint64_t little(std::string_view b) {
    std::uint64_t v = 0;
    for (std::size_t i = b.size(); i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[i]);
    return v;
  }

 private:
  [[noreturn]] void fail(std::size_t at, std::size_t n) const {
    throw FormatError(what_ + ": needs " + std::to_string(n) + " byte(s) at offset " + std::to_string(at) + " of " +
                      std::to_string(bytes_.size()));
  }

  std::string_view bytes_;
  std::string what_;
  std::size_t pos_ = 0;
};

}  // namespace calsync::olk15
