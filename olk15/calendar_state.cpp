#include "olk15/calendar_state.h"

#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include "core/log.h"
#include "olk15/cache_file.h"

namespace calsync::olk15 {
namespace {

constexpr const char* kCursorPrefix = "olk15:1:";
constexpr const char* kHeader = "calsync-olk15-calendar-state";

}  // namespace

std::string cursorFor(const std::string& generation) { return kCursorPrefix + generation; }

std::string generationOf(const std::string& cursor) {
  const std::string prefix = kCursorPrefix;
  return cursor.rfind(prefix, 0) == 0 ? cursor.substr(prefix.size()) : std::string();
}

std::string newGeneration() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> d;
  std::ostringstream out;
  out << std::hex << d(rd) << std::hex << d(rd);
  return std::to_string(kMappingVersion) + "-" + out.str();
}

std::optional<CalendarState> loadState(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string line;
  if (!std::getline(in, line) || line != std::string(kHeader) + " " + std::to_string(kMappingVersion)) return std::nullopt;
  CalendarState state;
  if (!std::getline(in, line) || line.rfind("generation ", 0) != 0) return std::nullopt;
  state.generation = line.substr(11);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string id, signature, start, end, reported;
    if (!std::getline(fields, id, '\t') || !std::getline(fields, signature, '\t') || !std::getline(fields, start, '\t') ||
        !std::getline(fields, end, '\t') || !std::getline(fields, reported)) {
      log::warn("olk15", "ignoring unreadable state file " + file.string());
      return std::nullopt;
    }
    try {
      ObjectState o;
      o.signature = std::stoull(signature, nullptr, 16);
      o.span_start = std::stoll(start);
      o.span_end = std::stoll(end);
      o.reported_in_window = reported == "1";
      state.objects[unescapeField(id)] = o;
    } catch (const std::exception&) {
      log::warn("olk15", "ignoring unreadable state file " + file.string());
      return std::nullopt;
    }
  }
  return state;
}

void saveState(const std::filesystem::path& file, const CalendarState& state) {
  const std::string problem = replaceCacheFile(file, [&](std::ostream& out) {
    out << kHeader << ' ' << kMappingVersion << "\ngeneration " << state.generation << '\n';
    for (const auto& [id, o] : state.objects) {
      out << escapeField(id) << '\t' << std::hex << o.signature << std::dec << '\t' << o.span_start << '\t'
          << o.span_end << '\t' << (o.reported_in_window ? '1' : '0') << '\n';
    }
  });
  if (!problem.empty()) log::warn("olk15", "state file: " + problem + "; the next start reads every file again");
}

}  // namespace calsync::olk15
