#include "daemon/config/config.h"

namespace calsync::config {

std::string defaultConfigPath() { return "/etc/calsync/calsyncd.ini"; }

}  // namespace calsync::config
