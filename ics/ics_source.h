// Where an ics connector's bytes come from: one file, a folder of files, or a URL. Each
// source names its calendars and reads one calendar's raw text; every failure throws
// ConnectorError, so a failed read can never look like an empty calendar.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/connector.h"
#include "net/http_client.h"

namespace calsync::ics {

struct IcsDocument {
  std::string default_name;   // the file stem; used when the text has no X-WR-CALNAME
  std::string where;          // how warnings name it: the file name, or "subscription"
  std::string bytes;
};

class IcsSource {
 public:
  virtual ~IcsSource() = default;
  virtual std::vector<CalendarId> calendarIds() = 0;
  // Throws NotFound for an id this source does not have.
  virtual IcsDocument read(const CalendarId& id) = 0;
};

// A .ics file (one calendar, id = its file name) or a folder whose *.ics files are each one
// calendar (id = the file name inside the folder).
std::unique_ptr<IcsSource> makePathSource(const std::string& path);

// An http(s) (or webcal) subscription: one calendar with the id "subscription".
std::unique_ptr<IcsSource> makeUrlSource(const std::string& url, const net::HttpOptions& options);

inline constexpr const char* kSubscriptionId = "subscription";

}  // namespace calsync::ics
