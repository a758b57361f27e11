#include "olk15/calendar_state.h"

#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include "core/log.h"

namespace calsync::olk15 {
namespace {

constexpr const char* kCursorPrefix = "olk15:1:";
constexpr const char* kHeader = "calsync-olk15-calendar-state";

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out.push_back(c);
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out.push_back(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

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
      state.objects[unescape(id)] = o;
    } catch (const std::exception&) {
      log::warn("olk15", "ignoring unreadable state file " + file.string());
      return std::nullopt;
    }
  }
  return state;
}

void saveState(const std::filesystem::path& file, const CalendarState& state) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  const std::filesystem::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      log::warn("olk15", "cannot write state file " + tmp.string() + "; the next start reads every file again");
      return;
    }
    out << kHeader << ' ' << kMappingVersion << "\ngeneration " << state.generation << '\n';
    for (const auto& [id, o] : state.objects) {
      out << escape(id) << '\t' << std::hex << o.signature << std::dec << '\t' << o.span_start << '\t' << o.span_end
          << '\t' << (o.reported_in_window ? '1' : '0') << '\n';
    }
    if (!out.flush()) {
      log::warn("olk15", "cannot write state file " + tmp.string());
      return;
    }
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) log::warn("olk15", "cannot replace state file " + file.string() + ": " + ec.message());
}

}  // namespace calsync::olk15
