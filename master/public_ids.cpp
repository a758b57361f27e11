#include "master/public_ids.h"

#include "core/hash.h"

namespace calsync::master {

std::string publicCalendarId(const std::string& agent_id, const std::string& source, const std::string& calendar_id) {
  return "cal_" + sha256Hex(agent_id + '\x1f' + source + '\x1f' + calendar_id).substr(0, 16);
}

}  // namespace calsync::master
