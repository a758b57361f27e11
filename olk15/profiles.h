// Where Outlook for Mac profiles live: `Outlook 15 Profiles/<profile>/Data` under the user's
// Group Containers (olk15-format.md §1.1). The profile name varies ("Main Profile",
// "Main Identity"), so profiles are found by looking, never assumed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace calsync::olk15 {

// The `Outlook 15 Profiles` folder this platform uses by default, or empty when it cannot be
// known (no home directory). Implemented per platform: platform/macos/olk15_profiles_root.cpp
// on macOS, olk15/profiles_root_generic.cpp elsewhere (chosen by CMake).
std::filesystem::path defaultProfilesRoot();

struct Profile {
  std::string name;                 // the profile folder's name
  std::filesystem::path dir;        // .../Outlook 15 Profiles/<name>
  std::filesystem::path data;       // dir / "Data"
};

// Every `<root>/*/Data` directory, sorted by name.
std::vector<Profile> findProfiles(const std::filesystem::path& profiles_root);

// The profile a source reads. `root` (the profile_root key; empty = the default root) may be a
// profile folder (holding Data/), a Data folder, or the `Outlook 15 Profiles` folder; in the
// last case `name` picks the profile, or the only one is used. Throws ConnectorError:
// NotFound when there is no profile there, Config when the choice is ambiguous or unknown.
Profile resolveProfile(const std::string& root, const std::string& name);

}  // namespace calsync::olk15
