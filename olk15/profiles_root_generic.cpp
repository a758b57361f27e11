// The default profiles folder on platforms without Outlook for Mac (Linux builds, tests):
// the same home-relative path as on macOS, so a copied home directory works; otherwise set
// profile_root. macOS uses platform/macos/olk15_profiles_root.cpp instead.
#include <cstdlib>

#include "olk15/profiles.h"

namespace calsync::olk15 {

std::filesystem::path defaultProfilesRoot() {
  const char* home = std::getenv("HOME");
  if (!home || !*home) return {};
  return std::filesystem::path(home) / "Library" / "Group Containers" / "UBF8T346G9.Office" / "Outlook" /
         "Outlook 15 Profiles";
}

}  // namespace calsync::olk15
