#include "olk15/new_outlook.h"

#include <sys/stat.h>

#include <algorithm>

#include "core/date_time.h"

namespace calsync::olk15 {
namespace {

std::int64_t mtimeOf(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_mtim.tv_sec) : -1;
}

std::string day(std::int64_t epoch) {
  const DateTime t = epochToUtc(epoch);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
  return buf;
}

}  // namespace

StoreTimes storeTimes(const Profile& profile) {
  StoreTimes t;
  const std::int64_t hx = mtimeOf(profile.dir / "HxStore.hxd");
  t.hxstore = hx >= 0;
  t.hxstore_mtime = std::max<std::int64_t>(hx, 0);
  t.legacy_mtime = std::max<std::int64_t>({0, mtimeOf(profile.data / "Outlook.sqlite"),
                                           mtimeOf(profile.data / "Outlook.sqlite-wal")});
  return t;
}

std::string newOutlookVerdict(const Profile& profile, const StoreTimes& times, std::size_t legacy_events,
                              std::int64_t newest_file, std::int64_t stale_after_seconds) {
  if (!times.hxstore) return "";
  const std::int64_t legacy = std::max(times.legacy_mtime, newest_file);
  std::string state;
  if (legacy_events == 0) {
    state = "the legacy store holds no events";
  } else if (times.hxstore_mtime - legacy > stale_after_seconds) {
    state = "the legacy store has not changed since " + day(legacy) + " (HxStore.hxd: " + day(times.hxstore_mtime) + ")";
  } else {
    return "";
  }
  return "New Outlook is in use for Outlook profile '" + profile.name + "': " + state +
         ". calsync reads the legacy Outlook for Mac store only, which New Outlook no longer writes. Switch back "
         "to legacy Outlook (Outlook menu > Legacy Outlook), or sync this mailbox with a server connector (ews, "
         "graph, caldav) and disable this source.";
}

}  // namespace calsync::olk15
