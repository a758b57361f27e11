// Code points to UTF-8, for the text the store keeps as UTF-16 and the entities in HTML bodies.
#pragma once

#include <cstdint>
#include <string>

namespace calsync::olk15 {

// Appends `cp` as UTF-8; what is not a Unicode scalar value (0, a surrogate, beyond
// U+10FFFF) becomes U+FFFD, so broken input never yields invalid UTF-8.
void appendUtf8(std::string& out, std::uint32_t cp);

}  // namespace calsync::olk15
