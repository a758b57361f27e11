#include "olk15/event_loader.h"

#include "olk15/format_error.h"

namespace calsync::olk15 {

std::optional<LoadedEvent> loadEvent(DataFiles& files, const std::string& relative, std::string& error) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    DataFiles::Read read = files.read(relative);
    if (!read.error.empty()) {
      error = "file " + read.error;
      return std::nullopt;
    }
    try {
      return LoadedEvent{decodeEventFile(read.bytes), read.stamp};
    } catch (const FormatError& e) {
      error = e.what();
      if (files.stamp(relative) == read.stamp) return std::nullopt;  // stable and broken
    }
  }
  return std::nullopt;
}

}  // namespace calsync::olk15
