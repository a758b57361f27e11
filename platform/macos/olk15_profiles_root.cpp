// The default Outlook for Mac profiles folder on macOS: in the Office group container of the
// user the process runs as. HOME may be unset under launchd, so the account's home directory
// comes from the user database then. Chosen over olk15/profiles_root_generic.cpp by CMake.
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "olk15/profiles.h"

namespace calsync::olk15 {

std::filesystem::path defaultProfilesRoot() {
  std::filesystem::path home;
  if (const char* env = std::getenv("HOME"); env && *env) {
    home = env;
  } else {
    std::vector<char> buffer(16384);
    struct passwd pw {};
    struct passwd* found = nullptr;
    if (getpwuid_r(getuid(), &pw, buffer.data(), buffer.size(), &found) == 0 && found && found->pw_dir) home = found->pw_dir;
  }
  if (home.empty()) return {};
  return home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "Outlook" / "Outlook 15 Profiles";
}

}  // namespace calsync::olk15
