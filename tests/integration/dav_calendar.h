// A CalDAV calendar as a person's client sees it, for end-to-end tests: list every event
// (raw text, etag, parsed object), and edit or delete one with If-Match as a client would.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/event.h"

namespace calsync::testing {

struct DavEvent {
  std::string href;
  std::string url;      // absolute
  std::string etag;
  std::string data;     // the iCalendar text as the server holds it
  CalendarObject object;
};

class DavCalendar {
 public:
  DavCalendar(std::string collection_url, std::string user) : url_(std::move(collection_url)), user_(std::move(user)) {}

  // Every event, by href (a calendar-query REPORT).
  std::map<std::string, DavEvent> events() const;
  // The event whose UID is `uid`, or the copy whose origin marker names `source_uid`.
  std::optional<DavEvent> byUid(const std::string& uid) const;
  std::optional<DavEvent> copyOf(const std::string& source_uid) const;

  // PUT a new event (text of one VEVENT's properties wrapped in a VCALENDAR); returns the status.
  int create(const std::string& uid, const std::string& vevent_properties) const;
  // Replaces the first line of `event` that starts with `property` (e.g. "SUMMARY:") with
  // `line` (or adds it to the first VEVENT), then PUTs it back with If-Match, as a client
  // editing the event does. Returns the HTTP status.
  int editLine(const DavEvent& event, const std::string& property, const std::string& line) const;
  // DELETE with If-Match. Returns the HTTP status.
  int remove(const DavEvent& event) const;

 private:
  std::string url_;
  std::string user_;
};

// The value of the first `NAME:` line of a component's text, unfolded; "" when absent.
std::string propertyValue(const std::string& ical, const std::string& name);

}  // namespace calsync::testing
