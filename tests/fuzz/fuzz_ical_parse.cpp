// iCalendar from files, subscriptions and servers: parse, then serialize and expand what
// was accepted, since those walk the same structures.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/hash.h"
#include "ical/ical_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = calsync::ical::parse(text);
  for (const auto& object : parsed.objects) {
    calsync::contentHash(object);
    calsync::ical::serialize(object, {true});
    calsync::ical::expand(object, {object.span_start_utc, object.span_start_utc + 400LL * 86400}, 200);
  }
  return 0;
}
