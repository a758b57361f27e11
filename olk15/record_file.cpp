#include "olk15/record_file.h"

#include <string>

#include "olk15/byte_reader.h"
#include "olk15/format_error.h"

namespace calsync::olk15 {
namespace {

std::string printable(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out.push_back(c);
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 15]);
    }
  }
  return out;
}

}  // namespace

EntityFile parseEntityFile(std::string_view bytes, std::uint32_t expected_class, std::string_view expected_tag) {
  if (bytes.size() < kCollectionOffset + 12) {
    throw FormatError("file of " + std::to_string(bytes.size()) + " bytes is shorter than an entity header");
  }
  ByteReader in(bytes, "entity header");
  if (in.u32() != kMagic) throw FormatError("wrong magic (not an olk15 file)");
  in.u32();  // unknown; differs between files, deliberately not validated
  const std::uint32_t kind = in.u32();
  if (kind != kKindEntity) throw FormatError("kind " + std::to_string(kind) + " is not an entity record");
  EntityFile file;
  file.record_id = in.u32();
  file.class_id = in.u32();
  if (file.class_id != expected_class) {
    throw FormatError("record class " + std::to_string(file.class_id) + ", expected " + std::to_string(expected_class));
  }
  in.seek(0x20);
  const std::string_view tag = in.take(4);
  if (tag != expected_tag) {
    throw FormatError("record tag '" + printable(tag) + "', expected '" + std::string(expected_tag) + "'");
  }
  in.seek(kCollectionOffset);
  in.u32();  // count, checked by the collection parser
  const std::uint64_t header_size = in.u32();
  const std::uint64_t body_size = in.u32();
  if (kCollectionOffset + header_size + body_size != bytes.size()) {
    throw FormatError("size mismatch: header says " + std::to_string(kCollectionOffset + header_size + body_size) +
                      " bytes, file has " + std::to_string(bytes.size()));
  }
  file.properties = PropertyCollection::parse(bytes.substr(kCollectionOffset), true);
  return file;
}

}  // namespace calsync::olk15
