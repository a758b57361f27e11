// Short, stable ids the API uses for things whose natural keys are long tuples of strings.
#pragma once

#include <string>

namespace calsync::master {

// "cal_" + 16 hex digits of SHA-256 over (agent, source, calendar id).
std::string publicCalendarId(const std::string& agent_id, const std::string& source, const std::string& calendar_id);

}  // namespace calsync::master
