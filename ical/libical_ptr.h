// Internal to calsync_ical: owning handles for libical objects, so early returns and
// exceptions never leak them.
#pragma once

#include <libical/ical.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace calsync::ical {

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

struct ZoneFree {
  void operator()(icaltimezone* z) const { icaltimezone_free(z, 1); }
};
using ZonePtr = std::unique_ptr<icaltimezone, ZoneFree>;

struct RecurIteratorFree {
  void operator()(icalrecur_iterator* it) const { icalrecur_iterator_free(it); }
};
using RecurIteratorPtr = std::unique_ptr<icalrecur_iterator, RecurIteratorFree>;

// Takes a string from one of libical's *_r functions, which the caller must free.
inline std::string takeString(char* text) {
  if (!text) return {};
  std::string out(text);
  std::free(text);
  return out;
}

}  // namespace calsync::ical
