#include "ews/sync_cursor.h"

#include <sstream>

namespace calsync::ews {
namespace {
constexpr const char* kHeader = "ews-sync 1";
}

std::string SyncCursor::encode() const {
  return std::string(kHeader) + "\n" + std::to_string(window_start) + "\n" + std::to_string(window_end) + "\n" + sync_state;
}

std::optional<SyncCursor> SyncCursor::decode(const std::string& text) {
  std::istringstream in(text);
  std::string header, start, end;
  if (!std::getline(in, header) || header != kHeader || !std::getline(in, start) || !std::getline(in, end)) {
    return std::nullopt;
  }
  SyncCursor cursor;
  try {
    std::size_t used = 0;
    cursor.window_start = std::stoll(start, &used);
    if (used != start.size()) return std::nullopt;
    cursor.window_end = std::stoll(end, &used);
    if (used != end.size()) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::getline(in, cursor.sync_state, '\0');
  if (cursor.sync_state.empty() || cursor.sync_state.find('\n') != std::string::npos) return std::nullopt;
  return cursor;
}

}  // namespace calsync::ews
