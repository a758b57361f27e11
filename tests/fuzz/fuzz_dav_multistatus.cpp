// WebDAV multistatus and error bodies as CalDAV servers send them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "caldav/dav_xml.h"
#include "core/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  try {
    calsync::caldav::parseMultiStatus(xml);
  } catch (const calsync::ConnectorError&) {
  }
  try {
    calsync::caldav::parseErrorBody(xml);
  } catch (const calsync::ConnectorError&) {
  }
  return 0;
}
