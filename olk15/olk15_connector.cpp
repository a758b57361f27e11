#include "olk15/olk15_connector.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/errors.h"
#include "core/log.h"
#include "olk15/calendar_pull.h"
#include "olk15/data_files.h"
#include "olk15/event_groups.h"
#include "olk15/event_loader.h"
#include "olk15/format_error.h"
#include "olk15/new_outlook.h"
#include "olk15/object_builder.h"
#include "olk15/store_index.h"

namespace calsync::olk15 {
namespace {

namespace fs = std::filesystem;
constexpr const char* kLog = "olk15";

bool isDir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::string calendarName(const CalendarFolder& c) {
  const std::string folder = c.name.empty() ? "Outlook folder " + std::to_string(c.folder_id) : c.name;
  // The account's own calendar carries the account's name; other folders add theirs.
  if (c.special_type == 4 && !c.account.empty()) return c.account;
  return c.account.empty() ? folder : c.account + " / " + folder;
}

}  // namespace

Olk15Connector::Olk15Connector(Olk15Options options) : options_(std::move(options)) {}

Capabilities Olk15Connector::capabilities() const {
  Capabilities caps;
  caps.read = true;
  caps.incremental = true;
  return caps;
}

void Olk15Connector::nameCalendars(StoreListing& listing) {
  const fs::path names_file = options_.state_dir.empty() ? fs::path() : options_.state_dir / "calendar-names";
  if (!known_folders_loaded_ && !names_file.empty()) {
    known_folders_loaded_ = true;
    std::ifstream in(names_file);
    for (std::string line; std::getline(in, line);) {
      std::istringstream f(line);
      std::string id, type, name, account;
      if (std::getline(f, id, '\t') && std::getline(f, type, '\t') && std::getline(f, name, '\t') &&
          std::getline(f, account)) {
        try {
          CalendarFolder c;
          c.folder_id = std::stoll(id);
          c.special_type = std::stoi(type);
          c.name = name;
          c.account = account;
          known_folders_[c.folder_id] = c;
        } catch (const std::exception&) {
          // an unreadable line only costs that folder its name
        }
      }
    }
  }
  bool changed = false;
  for (const auto& c : listing.excluded) {
    auto it = known_folders_.find(c.folder_id);
    if (it == known_folders_.end() || it->second.special_type != c.special_type || it->second.name != c.name) {
      known_folders_[c.folder_id] = c;
      changed = true;
    }
  }
  if (listing.source == ListingSource::Scan) {
    // Folders the index called Deleted Items, Junk, ... stay unsynced when only files are read.
    listing.calendars.erase(std::remove_if(listing.calendars.begin(), listing.calendars.end(),
                                           [&](const CalendarFolder& c) {
                                             auto it = known_folders_.find(c.folder_id);
                                             return it != known_folders_.end() &&
                                                    isExcludedFolder(it->second.special_type, it->second.name);
                                           }),
                            listing.calendars.end());
  }
  // A folder that was a calendar stays one while it exists, even with its last event gone:
  // that pull is what reports the deletions.
  for (const auto& [folder_id, known] : known_folders_) {
    const std::int64_t id = folder_id;  // clang 14 cannot capture structured bindings
    if (isExcludedFolder(known.special_type, known.name)) continue;
    const bool listed = std::any_of(listing.calendars.begin(), listing.calendars.end(),
                                    [&](const CalendarFolder& c) { return c.folder_id == id; });
    if (listed) continue;
    if (listing.source == ListingSource::Scan) {
      CalendarFolder c = known;
      c.event_count = 0;
      listing.calendars.push_back(c);
    } else if (auto it = listing.folders.find(id); it != listing.folders.end()) {
      listing.calendars.push_back(it->second);
    }
  }
  std::sort(listing.calendars.begin(), listing.calendars.end(),
            [](const CalendarFolder& a, const CalendarFolder& b) { return a.folder_id < b.folder_id; });
  for (auto& c : listing.calendars) {
    auto it = known_folders_.find(c.folder_id);
    if (listing.source == ListingSource::Scan) {
      // Files carry no folder names: use what the index said, else stand-ins.
      if (it != known_folders_.end()) {
        c.name = it->second.name;
        c.account = it->second.account;
        c.special_type = it->second.special_type;
        continue;
      }
      c.account = c.account_uid == 0 ? "On My Computer" : "account " + std::to_string(c.account_uid);
    } else if (it != known_folders_.end() && it->second.name == c.name && it->second.account == c.account &&
               it->second.special_type == c.special_type) {
      continue;
    }
    known_folders_[c.folder_id] = c;
    changed = true;
  }
  if (changed && !names_file.empty()) {
    std::error_code ec;
    fs::create_directories(names_file.parent_path(), ec);
    std::ofstream out(names_file, std::ios::trunc);
    auto clean = [](std::string s) {
      std::replace(s.begin(), s.end(), '\t', ' ');
      std::replace(s.begin(), s.end(), '\n', ' ');
      return s;
    };
    for (const auto& [id, c] : known_folders_) {
      out << id << '\t' << c.special_type << '\t' << clean(c.name) << '\t' << clean(c.account) << '\n';
    }
  }
}

StoreListing Olk15Connector::readListing() {
  profile_ = resolveProfile(options_.profile_root, options_.profile);
  const StoreTimes times = storeTimes(profile_);
  if (!isDir(profile_.data)) {
    throw ConnectorError(ErrorKind::NotFound, "Outlook profile folder " + profile_.data.string() + " is missing");
  }
  DataFiles files(profile_.data);
  StoreListing listing;
  std::string index_problem;
  if (options_.mode != ReadMode::Scan) {
    try {
      listing = readIndex(profile_.data, {options_.busy_timeout_ms, options_.state_dir});
    } catch (const IndexUnusable& e) {
      if (options_.mode == ReadMode::Index) {
        throw ConnectorError(ErrorKind::BadData, std::string("cannot use Outlook.sqlite (read_mode = index): ") + e.what());
      }
      index_problem = e.what();
    }
  }
  if (options_.mode == ReadMode::Scan || !index_problem.empty()) {
    if (!scan_index_loaded_ && !options_.state_dir.empty()) scan_index_.load(options_.state_dir / "scan-index");
    scan_index_loaded_ = true;
    const std::size_t before = scan_index_.size();
    listing = scanEventFiles(files, scan_index_);
    if (!options_.state_dir.empty() && (scan_index_.size() != before || listing.rows.size() != before)) {
      scan_index_.save(options_.state_dir / "scan-index");
    }
    if (!index_problem.empty() && index_problem != reported_index_problem_) {
      // Said once per cause, not at every pull.
      log::warn(kLog, "Outlook.sqlite not used (" + index_problem + "); reading the event files directly");
      listing.warnings.push_back({"Outlook.sqlite", "not used (" + index_problem + "); read the event files directly"});
    }
  }
  index_problem_ = index_problem;
  if (index_problem.empty()) reported_index_problem_.clear();
  nameCalendars(listing);

  std::int64_t newest_file = 0;
  for (const auto& r : listing.rows) newest_file = std::max(newest_file, r.file_mtime_ns / 1000000000);
  const std::string verdict =
      newOutlookVerdict(profile_, times, listing.rows.size(), newest_file, options_.legacy_stale_after_seconds);
  if (!verdict.empty()) throw ConnectorError(ErrorKind::NotFound, verdict);
  log::debug(kLog, "profile '" + profile_.name + "': " + std::to_string(listing.calendars.size()) + " calendar(s), " +
                       std::to_string(listing.rows.size()) + " event record(s) from the " + toString(listing.source));
  return listing;
}

const StoreListing& Olk15Connector::refreshListing() {
  listing_.reset();
  listing_ = readListing();
  listing_time_ = std::chrono::steady_clock::now();
  pending_warnings_ = listing_->warnings;
  return *listing_;
}

const StoreListing& Olk15Connector::currentListing() {
  if (!listing_ || std::chrono::steady_clock::now() - listing_time_ > options_.listing_reuse) return refreshListing();
  return *listing_;
}

std::vector<Calendar> Olk15Connector::listCalendars() {
  const StoreListing& listing = refreshListing();
  std::vector<Calendar> out;
  for (const auto& c : listing.calendars) {
    Calendar calendar;
    calendar.id = calendarIdFor(c.folder_id);
    calendar.name = calendarName(c);
    calendar.description = "Outlook for Mac, profile " + profile_.name;
    calendar.writable = false;
    out.push_back(std::move(calendar));
  }
  return out;
}

std::vector<const EventRow*> Olk15Connector::rowsOf(const CalendarId& calendar) {
  const StoreListing& listing = currentListing();
  auto it = std::find_if(listing.calendars.begin(), listing.calendars.end(),
                         [&](const CalendarFolder& c) { return calendarIdFor(c.folder_id) == calendar; });
  if (it == listing.calendars.end()) {
    throw ConnectorError(ErrorKind::NotFound, "no calendar '" + calendar + "' in Outlook profile '" + profile_.name + "'");
  }
  std::vector<const EventRow*> rows;
  for (const auto& r : listing.rows) {
    if (r.folder_id == it->folder_id) rows.push_back(&r);
  }
  return rows;
}

fs::path Olk15Connector::stateFile(const CalendarId& calendar) const {
  std::string safe;
  for (char c : calendar) safe.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_');
  return options_.state_dir / "calendars" / (safe + ".state");
}

const CalendarState* Olk15Connector::stateFor(const CalendarId& calendar, const std::string& generation) {
  if (generation.empty()) return nullptr;
  auto it = states_.find(calendar);
  if (it == states_.end() && !options_.state_dir.empty()) {
    if (auto loaded = loadState(stateFile(calendar))) it = states_.emplace(calendar, std::move(*loaded)).first;
  }
  if (it == states_.end() || it->second.generation != generation) return nullptr;
  return &it->second;
}

void Olk15Connector::rememberState(const CalendarId& calendar, const CalendarState& state) {
  states_[calendar] = state;
  if (!options_.state_dir.empty()) saveState(stateFile(calendar), state);
}

ChangeSet Olk15Connector::pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) {
  const std::vector<const EventRow*> rows = rowsOf(calendar);
  const CalendarState* previous = stateFor(calendar, generationOf(cursor));
  DataFiles files(profile_.data);
  CalendarPull result = pullCalendar(rows, files, window, previous);
  if (result.state_changed) rememberState(calendar, result.state);
  // Listing-level warnings go out once, with the first pull after the listing.
  for (auto& w : pending_warnings_) {
    if (w.where == "Outlook.sqlite") reported_index_problem_ = index_problem_;
    result.changes.warnings.push_back(std::move(w));
  }
  pending_warnings_.clear();
  log::debug(kLog, calendar + ": " + std::to_string(result.changes.upserts.size()) + " upsert(s), " +
                       std::to_string(result.changes.removed.size()) + " removal(s), " +
                       std::to_string(result.files_read) + " file(s) read" +
                       (previous ? "" : " (full listing)"));
  return std::move(result.changes);
}

std::optional<CalendarObject> Olk15Connector::findByUid(const CalendarId& calendar, const std::string& uid) {
  const std::vector<const EventRow*> rows = rowsOf(calendar);
  DataFiles files(profile_.data);
  for (const EventGroup& group : groupRows(rows)) {
    if (group.uid != uid) continue;
    std::vector<OlkEvent> events;
    for (const EventRow* r : group.rows) {
      std::string error;
      auto loaded = r->failure.empty() ? loadEvent(files, r->path, error) : std::nullopt;
      if (!loaded) {
        throw ConnectorError(ErrorKind::BadData, r->path + ": " + (r->failure.empty() ? error : r->failure));
      }
      events.push_back(std::move(loaded->event));
    }
    try {
      return buildObject(group, events);
    } catch (const FormatError& e) {
      throw ConnectorError(ErrorKind::BadData, group.rows.front()->path + ": " + e.what());
    }
  }
  return std::nullopt;
}

WriteResult Olk15Connector::apply(const EventChange&) {
  throw ConnectorError(ErrorKind::Permission, "the Outlook for Mac store is read-only for calsync");
}

void Olk15Connector::apply(const CalendarChange&) {
  throw ConnectorError(ErrorKind::Permission, "the Outlook for Mac store is read-only for calsync");
}

}  // namespace calsync::olk15
