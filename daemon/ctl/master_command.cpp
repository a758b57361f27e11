#include "daemon/ctl/master_command.h"

#include "daemon/ctl/json_fields.h"

namespace calsync::ctl {

std::unique_ptr<MasterClient> connectToMaster(const Invocation& invocation) {
  return std::make_unique<MasterClient>(resolveTarget(invocation.globals), invocation.globals.timeout_seconds);
}

void printJson(std::ostream& out, const Poco::JSON::Object::Ptr& object) {
  out << json::stringify(object ? *object : Poco::JSON::Object()) << '\n';
}

std::string humanDuration(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const std::int64_t days = seconds / 86400, hours = seconds / 3600 % 24, minutes = seconds / 60 % 60;
  if (days > 0) return std::to_string(days) + "d " + std::to_string(hours) + "h";
  if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes) + "m";
  if (minutes > 0) return std::to_string(minutes) + "m " + std::to_string(seconds % 60) + "s";
  return std::to_string(seconds) + "s";
}

}  // namespace calsync::ctl
