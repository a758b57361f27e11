#include "caldav/resource_reader.h"

#include <algorithm>
#include <cctype>

#include "core/log.h"
#include "ical/ical_codec.h"

namespace calsync::caldav {
namespace {

bool mentionsVevent(const std::string& text) {
  std::string upper(text.size(), ' ');
  std::transform(text.begin(), text.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper.find("BEGIN:VEVENT") != std::string::npos;
}

}  // namespace

ResourceRead readResource(const std::string& path, const std::string& etag, const std::string& ical_text) {
  ResourceRead read;
  ical::ParsedCalendar parsed;
  try {
    parsed = ical::parse(ical_text);
  } catch (const std::exception& error) {
    read.problem = std::string("unreadable iCalendar: ") + error.what();
    return read;
  }
  for (const auto& warning : parsed.warnings) {
    log::debug("caldav", path + ":" + std::to_string(warning.line) + ": " + warning.message);
  }
  if (!parsed.recognized) {
    read.problem = "not iCalendar" + (parsed.warnings.empty() ? "" : ": " + parsed.warnings.front().message);
    return read;
  }
  if (parsed.objects.size() > 1) {
    read.problem = "holds " + std::to_string(parsed.objects.size()) + " UIDs; a calendar resource holds one";
    return read;
  }
  if (parsed.objects.empty()) {
    // A VEVENT that did not survive parsing is a broken event, not a task.
    if (mentionsVevent(ical_text)) {
      read.problem = "no usable VEVENT" + (parsed.warnings.empty() ? "" : ": " + parsed.warnings.front().message);
    } else {
      read.not_an_event = true;
    }
    return read;
  }
  read.object = std::move(parsed.objects.front());
  read.object->native_id = path;
  read.object->etag = etag;
  return read;
}

}  // namespace calsync::caldav
