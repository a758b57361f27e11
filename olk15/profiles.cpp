#include "olk15/profiles.h"

#include <algorithm>
#include <system_error>

#include "core/errors.h"

namespace calsync::olk15 {
namespace {

namespace fs = std::filesystem;

bool isDir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

bool looksLikeData(const fs::path& p) {
  std::error_code ec;
  return isDir(p) && (fs::exists(p / "Outlook.sqlite", ec) || isDir(p / "Events"));
}

}  // namespace

std::vector<Profile> findProfiles(const fs::path& root) {
  std::vector<Profile> out;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!isDir(it->path()) || !isDir(it->path() / "Data")) continue;
    out.push_back({it->path().filename().string(), it->path(), it->path() / "Data"});
  }
  std::sort(out.begin(), out.end(), [](const Profile& a, const Profile& b) { return a.name < b.name; });
  return out;
}

Profile resolveProfile(const std::string& root_setting, const std::string& name) {
  const fs::path root = root_setting.empty() ? defaultProfilesRoot() : fs::path(root_setting);
  if (root.empty()) {
    throw ConnectorError(ErrorKind::Config,
                         "no profile_root set and no home directory to find Outlook 15 Profiles under; set profile_root");
  }
  if (name.empty()) {
    if (isDir(root / "Data")) return {root.filename().string(), root, root / "Data"};
    if (root.filename() == "Data" && looksLikeData(root)) {
      return {root.parent_path().filename().string(), root.parent_path(), root};
    }
  }
  const auto profiles = findProfiles(root);
  if (!name.empty()) {
    for (const auto& p : profiles) {
      if (p.name == name) return p;
    }
    throw ConnectorError(ErrorKind::Config, "no Outlook profile named '" + name + "' under " + root.string());
  }
  if (profiles.size() == 1) return profiles.front();
  if (profiles.empty()) {
    throw ConnectorError(ErrorKind::NotFound, "no Outlook for Mac profile (" + root.string() +
                                                  "/*/Data) found; is legacy Outlook for Mac set up for this user?");
  }
  std::string names;
  for (const auto& p : profiles) names += (names.empty() ? "" : ", ") + p.name;
  throw ConnectorError(ErrorKind::Config,
                       "several Outlook profiles under " + root.string() + " (" + names + "): set 'profile' to one of them");
}

}  // namespace calsync::olk15
