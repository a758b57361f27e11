// The one error the olk15 file parser throws: the bytes are not what the format says.
// Callers turn it into a ReadWarning naming the file, so the message says what was wrong
// (never any of the event's content).
#pragma once

#include <stdexcept>
#include <string>

namespace calsync::olk15 {

class FormatError : public std::runtime_error {
 public:
  explicit FormatError(const std::string& reason) : std::runtime_error(reason) {}
};

}  // namespace calsync::olk15
