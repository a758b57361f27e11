// The header of a .olk15* entity file (olk15-format.md §2.1-2.2) and the checks that gate
// everything else: magic D0 0D 00 00, kind 1 (entity), the class id, the 4-byte record tag
// at 0x20, and the size invariant file_size == 0x28 + header_size + body_size, which held
// on every real message and event file measured. A file that fails any check is refused,
// never guessed at.
#pragma once

#include <cstdint>
#include <string_view>

#include "olk15/property_collection.h"

namespace calsync::olk15 {

inline constexpr std::uint32_t kMagic = 0x00000DD0;
inline constexpr std::uint32_t kKindEntity = 1;
inline constexpr std::uint32_t kClassEvent = 8;
inline constexpr std::size_t kCollectionOffset = 0x28;
// The tag's raw bytes in an event file.
inline constexpr std::string_view kEventTag = "CRLC";

struct EntityFile {
  std::uint32_t record_id = 0;
  std::uint32_t class_id = 0;
  PropertyCollection properties;   // views into the bytes passed to parseEntityFile
};

// Parses and checks an entity file of class `expected_class` whose tag bytes are
// `expected_tag`. Throws FormatError saying which check failed.
EntityFile parseEntityFile(std::string_view bytes, std::uint32_t expected_class, std::string_view expected_tag);

}  // namespace calsync::olk15
