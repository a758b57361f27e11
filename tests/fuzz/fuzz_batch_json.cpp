// Batches as the master receives them from agents.
#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol/batch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    calsync::protocol::decodeBatch(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const calsync::protocol::ProtocolError&) {
  }
  return 0;
}
