// The INI dialect of calsyncd.ini, read line by line so every value keeps its file:line.
// `[section]` headers; `key = value`; whole-line comments start with ';' or '#', inline
// comments are ';' or '#' after whitespace; values are trimmed and may be "quoted" (a quoted
// value keeps ';' and '#' and surrounding spaces). The reader knows nothing of the schema.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "daemon/config/issue.h"

namespace calsync::config {

struct IniEntry {
  std::string key;
  std::string value;
  Origin origin;
};

struct IniSection {
  std::string name;
  Origin origin;
  std::vector<IniEntry> entries;
};

// Sections in the order they appear; a name may appear more than once. Lines that are neither
// a header, an entry nor a comment are reported in `issues` and skipped.
std::vector<IniSection> readIni(const std::string& file_name, std::istream& in, std::vector<Issue>& issues);

}  // namespace calsync::config
