// What the connector remembers about one calendar between pulls, so an unchanged store
// costs a listing and a stat per file: per object, a signature of its rows and files
// (record ids, Record_ModDate, file size and mtime), its span, and whether it was last
// reported inside the window. The cursor names the state's generation; a pull whose cursor
// names another generation (or no state) is a full listing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace calsync::olk15 {

// Bumped whenever the mapping from files to events changes, so objects are mapped afresh.
inline constexpr int kMappingVersion = 1;

struct ObjectState {
  std::uint64_t signature = 0;
  std::int64_t span_start = 0;
  std::int64_t span_end = 0;
  bool reported_in_window = false;   // last handed over as an upsert inside the window
  bool operator==(const ObjectState&) const = default;
};

struct CalendarState {
  std::string generation;
  std::map<std::string, ObjectState> objects;   // by native id
};

// The cursor text for a generation, and the generation a cursor names ("" if none).
std::string cursorFor(const std::string& generation);
std::string generationOf(const std::string& cursor);
std::string newGeneration();

// The state file of a calendar under `dir`; load returns nullopt for a missing or unreadable
// file (the next pull is then a full listing). save writes atomically (temp + rename).
std::optional<CalendarState> loadState(const std::filesystem::path& file);
void saveState(const std::filesystem::path& file, const CalendarState& state);

}  // namespace calsync::olk15
