// PathToDataFile values made into files under Data/ (olk15-format.md §1.2): percent-decoded,
// relative, and refused when they could name anything outside Data/ (absolute paths, ".."
// segments, NULs, backslashes) or anything but an .olk15Event file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace calsync::olk15 {

// Decodes %HH escapes; nullopt for a malformed escape.
std::optional<std::string> percentDecode(std::string_view text);

// The decoded relative path, or the reason it is refused.
struct DataPath {
  std::string relative;   // "Events/12/ABC.olk15Event"
  std::string refusal;    // non-empty when refused
};
DataPath checkEventPath(std::string_view path_to_data_file);

}  // namespace calsync::olk15
