// The INI reader, on whatever an admin or a deployment tool writes.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "daemon/config/ini_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<calsync::config::Issue> issues;
  calsync::config::readIni("fuzz.ini", in, issues);
  return 0;
}
