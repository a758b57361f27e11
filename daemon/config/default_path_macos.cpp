#include "daemon/config/config.h"

namespace calsync::config {

std::string defaultConfigPath() { return "/Library/Application Support/calsync/calsyncd.ini"; }

}  // namespace calsync::config
