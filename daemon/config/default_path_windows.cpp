#include "daemon/config/config.h"

#include <cstdlib>

namespace calsync::config {

std::string defaultConfigPath() {
  const char* program_data = std::getenv("ProgramData");
  return std::string(program_data ? program_data : "C:\\ProgramData") + "\\calsync\\calsyncd.ini";
}

}  // namespace calsync::config
