// Helpers for the commands that talk to a master: connect as the Invocation's options say,
// print an answer as JSON.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "daemon/ctl/command_line.h"
#include "daemon/ctl/master_client.h"

namespace calsync::ctl {

std::unique_ptr<MasterClient> connectToMaster(const Invocation& invocation);

// The object pretty-printed, then a newline.
void printJson(std::ostream& out, const Poco::JSON::Object::Ptr& object);

// "3d 4h", "2h 5m", "45s": a duration for people.
std::string humanDuration(std::int64_t seconds);

}  // namespace calsync::ctl
