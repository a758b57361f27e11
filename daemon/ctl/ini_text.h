// Writing calsyncd.ini text that reads back exactly as meant (daemon/config/ini_reader.h):
// values that would lose characters to comment or space rules are quoted.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace calsync::ctl {

// The value as it must be written after "key = ". Throws std::invalid_argument for values the
// INI dialect cannot hold (line breaks, or a '"' in a value that needs quoting).
std::string iniValue(const std::string& value);

// "[name]\nkey = value\n..." in the given order; with `commented`, every line starts with "; ".
std::string iniSection(const std::string& name, const std::vector<std::pair<std::string, std::string>>& entries,
                       bool commented = false);

// A section name part made of lower-case letters, digits and '-' ("Team Ünïcode" -> "team-n-code");
// `fallback` when nothing is left.
std::string sectionSlug(const std::string& text, const std::string& fallback);

}  // namespace calsync::ctl
