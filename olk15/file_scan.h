// Scan mode, for a profile whose Outlook.sqlite is missing or unusable: walks
// Data/Events/**/*.olk15Event, reads each file structurally (header checks included) and
// groups the events into calendars by the folder and account ids the files carry. What a
// file's header said is remembered by path, size and mtime, so an unchanged file is not
// read again.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "olk15/data_files.h"
#include "olk15/store_listing.h"

namespace calsync::olk15 {

class ScanIndex {
 public:
  struct Entry {
    FileStamp stamp;
    EventRow row;
  };
  const Entry* find(const std::string& relative) const;
  void put(const std::string& relative, Entry entry) { entries_[relative] = std::move(entry); }
  void keepOnly(const std::map<std::string, bool>& seen);
  bool load(const std::filesystem::path& file);
  void save(const std::filesystem::path& file) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::map<std::string, Entry> entries_;
};

// Lists every event file under Data/Events. A file that cannot be read is a warning; when an
// earlier scan knew it, its last good row stays in the listing marked as failed, so its event
// is neither updated nor taken for deleted. Throws ConnectorError when the walk itself fails
// (a partial walk must never pass for a complete one).
StoreListing scanEventFiles(DataFiles& files, ScanIndex& index);

}  // namespace calsync::olk15
