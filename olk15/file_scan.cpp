#include "olk15/file_scan.h"

#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "core/errors.h"
#include "core/log.h"
#include "olk15/cache_file.h"
#include "olk15/event_loader.h"

namespace calsync::olk15 {
namespace {

namespace fs = std::filesystem;
constexpr const char* kHeader = "calsync-olk15-scan-index 1";

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

EventRow rowFrom(const LoadedEvent& loaded, const std::string& relative) {
  const OlkEvent& e = loaded.event;
  EventRow r;
  r.record_id = e.record_id;
  r.path = relative;
  r.raw_path = relative;
  r.folder_id = e.folder_id.value_or(0);
  r.account_uid = e.account_uid.value_or(0);
  r.start_minutes = e.start_utc.value_or(0);
  r.end_minutes = e.end_utc.value_or(r.start_minutes);
  r.is_recurring = e.is_recurring;
  r.uid = e.uid;
  r.master_id = e.master_record_id;
  r.recurrence_id = e.recurrence_id;
  r.file_size = loaded.stamp.size;
  r.file_mtime_ns = loaded.stamp.mtime_ns;
  return r;
}

}  // namespace

const ScanIndex::Entry* ScanIndex::find(const std::string& relative) const {
  auto it = entries_.find(relative);
  return it == entries_.end() ? nullptr : &it->second;
}

void ScanIndex::keepOnly(const std::map<std::string, bool>& seen) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = seen.count(it->first) ? std::next(it) : entries_.erase(it);
  }
}

bool ScanIndex::load(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line) || line != kHeader) return false;
  std::map<std::string, Entry> loaded;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string part; std::getline(fields, part, '\t');) f.push_back(part);
    if (f.size() != 12) return false;
    try {
      Entry e;
      const std::string rel = unescapeField(f[0]);
      e.stamp = {std::stoll(f[1]), std::stoll(f[2])};
      e.row.record_id = std::stoll(f[3]);
      e.row.folder_id = std::stoll(f[4]);
      e.row.account_uid = std::stoll(f[5]);
      e.row.start_minutes = std::stoll(f[6]);
      e.row.end_minutes = std::stoll(f[7]);
      e.row.is_recurring = f[8] == "1";
      e.row.uid = unescapeField(f[9]);
      e.row.master_id = std::stoll(f[10]);
      e.row.recurrence_id = std::stoll(f[11]);
      e.row.path = e.row.raw_path = rel;
      e.row.file_size = e.stamp.size;
      e.row.file_mtime_ns = e.stamp.mtime_ns;
      loaded[rel] = std::move(e);
    } catch (const std::exception&) {
      return false;
    }
  }
  entries_ = std::move(loaded);
  return true;
}

void ScanIndex::save(const fs::path& file) const {
  const std::string problem = replaceCacheFile(file, [&](std::ostream& out) {
    out << kHeader << '\n';
    for (const auto& [rel, e] : entries_) {
      const EventRow& r = e.row;
      out << escapeField(rel) << '\t' << e.stamp.size << '\t' << e.stamp.mtime_ns << '\t' << r.record_id << '\t'
          << r.folder_id << '\t' << r.account_uid << '\t' << r.start_minutes << '\t' << r.end_minutes << '\t'
          << (r.is_recurring ? '1' : '0') << '\t' << escapeField(r.uid) << '\t' << r.master_id << '\t'
          << r.recurrence_id << '\n';
    }
  });
  if (!problem.empty()) log::debug("olk15", "scan index: " + problem);
}

StoreListing scanEventFiles(DataFiles& files, ScanIndex& index) {
  StoreListing listing;
  listing.source = ListingSource::Scan;
  const fs::path events = files.root() / "Events";
  std::error_code ec;
  if (!fs::is_directory(events, ec)) return listing;  // no events at all: an empty store

  std::map<std::string, bool> seen;
  fs::recursive_directory_iterator it(events, fs::directory_options::none, ec);
  if (ec) throw ConnectorError(ErrorKind::Permission, "cannot list " + events.string() + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& entry = *it;
    const std::string name = entry.path().filename().string();
    if (!endsWith(name, ".olk15Event")) continue;
    const std::string relative = entry.path().lexically_relative(files.root()).generic_string();
    const FileStamp stamp = files.stamp(relative);
    if (!stamp.exists()) continue;  // removed while we walked
    seen[relative] = true;
    const ScanIndex::Entry* known = index.find(relative);
    if (known && known->stamp == stamp) {
      listing.rows.push_back(known->row);
      continue;
    }
    std::string error;
    auto loaded = loadEvent(files, relative, error);
    if (loaded) {
      EventRow row = rowFrom(*loaded, relative);
      index.put(relative, {loaded->stamp, row});
      listing.rows.push_back(std::move(row));
      continue;
    }
    if (known) {
      EventRow row = known->row;
      row.failure = error;
      listing.rows.push_back(std::move(row));
    } else {
      listing.warnings.push_back({relative, error});
      log::warn("olk15", "skipped " + relative + ": " + error);
    }
  }
  if (ec) throw ConnectorError(ErrorKind::Permission, "cannot list " + events.string() + ": " + ec.message());
  index.keepOnly(seen);

  std::map<std::int64_t, CalendarFolder> folders;
  for (const EventRow& r : listing.rows) {
    CalendarFolder& c = folders[r.folder_id];
    c.folder_id = r.folder_id;
    c.account_uid = r.account_uid;
    ++c.event_count;
  }
  for (auto& [id, c] : folders) listing.calendars.push_back(c);
  return listing;
}

}  // namespace calsync::olk15
