// The "olk15" connector (alias "outlook-mac"): reads the legacy Outlook for Mac store
// ("Outlook 15 Profiles/<profile>/Data") structurally, without Outlook and without writing.
//
// Calendars are the folders that hold events (id "folder-<Record_RecordID>"), named with
// their account's address. The event list comes from Outlook.sqlite (read-only, query_only,
// busy timeout; a consistent copy when Outlook holds it locked); when the index is missing
// or unusable the event files are walked instead (scan mode). Event content always comes
// from the .olk15Event files, checked header by header.
//
// pull() is incremental: the cursor names the calendar state kept in memory and under the
// source's data_dir; only objects whose rows or files changed are read again, and an
// unchanged store costs one listing and one stat per file. An empty or unknown cursor gives
// a full listing (complete when every file could be read). Deletions are reported only from
// a listing that was read completely. A file that cannot be read is skipped with a
// ReadWarning naming it and the reason; the rest of the calendar is unaffected.
//
// A profile that New Outlook has taken over (HxStore.hxd live, legacy store empty or stale)
// fails with one ConnectorError(NotFound) that explains what to do.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/connector.h"
#include "core/registry.h"
#include "olk15/calendar_state.h"
#include "olk15/file_scan.h"
#include "olk15/profiles.h"
#include "olk15/store_listing.h"

namespace calsync::olk15 {

enum class ReadMode { Auto, Index, Scan };

struct Olk15Options {
  std::string profile_root;              // empty: the platform's default Outlook 15 Profiles folder
  std::string profile;                   // profile name when the root holds several
  ReadMode mode = ReadMode::Auto;
  std::int64_t legacy_stale_after_seconds = 14 * 86400;
  int busy_timeout_ms = 2000;
  std::filesystem::path state_dir;       // where calendar states are kept; empty = memory only
  // A listing is reused by the pulls that follow listCalendars() for this long.
  std::chrono::seconds listing_reuse{120};
};

class Olk15Connector : public Connector {
 public:
  explicit Olk15Connector(Olk15Options options);

  Capabilities capabilities() const override;
  std::vector<Calendar> listCalendars() override;
  ChangeSet pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) override;
  std::optional<CalendarObject> findByUid(const CalendarId& calendar, const std::string& uid) override;
  // Both throw ConnectorError(Permission): the Outlook for Mac store is only ever read.
  WriteResult apply(const EventChange& change) override;
  void apply(const CalendarChange& change) override;

  // How the last listing was read (index, index copy, file scan); for discovery and tests.
  ListingSource lastListingSource() const { return listing_ ? listing_->source : ListingSource::Index; }
  const Profile& profile() const { return profile_; }
  // Reads the store afresh; lastListing() is what the last read found (null before one).
  const StoreListing& refreshListing();
  const StoreListing* lastListing() const { return listing_ ? &*listing_ : nullptr; }

 private:
  const StoreListing& currentListing();
  StoreListing readListing();
  void nameCalendars(StoreListing& listing);
  std::vector<const EventRow*> rowsOf(const CalendarId& calendar);
  const CalendarState* stateFor(const CalendarId& calendar, const std::string& generation);
  void rememberState(const CalendarId& calendar, const CalendarState& state);
  std::filesystem::path stateFile(const CalendarId& calendar) const;

  Olk15Options options_;
  Profile profile_;
  std::optional<StoreListing> listing_;
  std::chrono::steady_clock::time_point listing_time_{};
  // Listing-level warnings (the index not used, files a scan could not tie to a calendar),
  // handed out with the next pull.
  std::vector<ReadWarning> pending_warnings_;
  std::map<CalendarId, CalendarState> states_;
  ScanIndex scan_index_;
  bool scan_index_loaded_ = false;
  // Folders as the index described them, for naming calendars in scan mode.
  std::map<std::int64_t, CalendarFolder> known_folders_;
  bool known_folders_loaded_ = false;
  std::string index_problem_;            // why the index was not used at the last listing
  std::string reported_index_problem_;   // the cause already handed out as a warning
};

// The registry entry for type "olk15": description, keys, factory and discovery.
ConnectorInfo olk15ConnectorInfo();

// Options from a [source.NAME] section (keys of olk15ConnectorInfo()).
Olk15Options optionsFrom(const ConnectorSpec& spec);

}  // namespace calsync::olk15
