// The small tab-separated files in which the connector remembers what it read (the calendar
// state and the scan index), so an unchanged store is not read again. They are caches: a
// missing or unreadable one only means the next read does the full work.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace calsync::olk15 {

// A field with its tabs, line breaks and backslashes escaped, and back.
std::string escapeField(const std::string& text);
std::string unescapeField(const std::string& text);

// Writes the file through `write` into a temporary beside it and renames it into place, so a
// crash leaves the old file or the new one, never half of one. Returns "" or the problem.
std::string replaceCacheFile(const std::filesystem::path& file, const std::function<void(std::ostream&)>& write);

}  // namespace calsync::olk15
