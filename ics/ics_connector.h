// The "ics" connector: reads iCalendar (.ics) data as a source. It never writes.
//
// Configuration keys of a [source.NAME] section with type = ics:
//   path           a .ics file (one calendar, id = its file name), or a folder whose *.ics
//                  files are each one calendar (id = the file name inside the folder)
//   url            an http(s) or webcal subscription: one calendar, id "subscription"
//   username       Basic auth user for `url` (optional)
//   password       Basic auth password for `url` (a Secret; optional)
//   calendar_name  name to show instead of X-WR-CALNAME / the file stem (optional)
// Exactly one of `path` and `url` must be set.
//
// Every pull() is a complete listing. Events whose span misses the window are reported in
// `out_of_window`; skipped malformed events become warnings "file.ics:LINE". A missing or
// unreadable file, a failed fetch, or text that is not iCalendar throws ConnectorError.
// The cursor is a hash of the bytes read, so an unchanged file gives an unchanged cursor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/connector.h"
#include "core/registry.h"
#include "ics/ics_source.h"

namespace calsync::ics {

class IcsConnector : public Connector {
 public:
  // Throws ConnectorError(Config) for an unusable configuration.
  explicit IcsConnector(const ConnectorSpec& spec);
  IcsConnector(std::unique_ptr<IcsSource> source, std::string calendar_name);

  Capabilities capabilities() const override;
  std::vector<Calendar> listCalendars() override;
  ChangeSet pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) override;
  std::optional<CalendarObject> findByUid(const CalendarId& calendar, const std::string& uid) override;
  // Both throw ConnectorError(Permission): ics sources are read-only.
  WriteResult apply(const EventChange& change) override;
  void apply(const CalendarChange& change) override;

 private:
  std::unique_ptr<IcsSource> source_;
  std::string calendar_name_;
};

// The registry entry for type "ics": description, keys and factory.
ConnectorInfo icsConnectorInfo();

}  // namespace calsync::ics
