#include "ics/ics_connector.h"

#include "core/errors.h"
#include "core/hash.h"
#include "core/log.h"
#include "ical/ical_codec.h"

namespace calsync::ics {
namespace {

constexpr const char* kLogComponent = "ics";

std::string setting(const ConnectorSpec& spec, const std::string& key) {
  auto it = spec.settings.find(key);
  return it == spec.settings.end() ? "" : it->second;
}

std::unique_ptr<IcsSource> sourceFor(const ConnectorSpec& spec) {
  const std::string path = setting(spec, "path");
  const std::string url = setting(spec, "url");
  const std::string where = "[" + spec.name + "]: ";
  if (path.empty() == url.empty()) {
    throw ConnectorError(ErrorKind::Config, where + "set exactly one of 'path' and 'url'");
  }
  if (!path.empty()) {
    if (!setting(spec, "username").empty() || !setting(spec, "password").empty()) {
      throw ConnectorError(ErrorKind::Config, where + "'username' and 'password' only apply to 'url'");
    }
    return makePathSource(path);
  }
  const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 || url.rfind("webcal://", 0) == 0;
  if (!web) throw ConnectorError(ErrorKind::Config, where + "'url' must be an http://, https:// or webcal:// URL");
  net::HttpOptions options;
  options.username = setting(spec, "username");
  options.password = setting(spec, "password");
  return makeUrlSource(url, options);
}

// A zero-length event counts when it sits inside the window.
bool touches(const Window& window, const CalendarObject& object) {
  if (object.span_start_utc == object.span_end_utc) {
    return object.span_start_utc >= window.start_utc && object.span_start_utc < window.end_utc;
  }
  return window.overlaps(object.span_start_utc, object.span_end_utc);
}

struct LoadedCalendar {
  IcsDocument document;
  ical::ParsedCalendar parsed;
};

LoadedCalendar load(IcsSource& source, const CalendarId& id) {
  LoadedCalendar loaded{source.read(id), {}};
  loaded.parsed = ical::parse(loaded.document.bytes);
  if (!loaded.parsed.recognized) {
    const std::string why = loaded.parsed.warnings.empty() ? "not iCalendar data" : loaded.parsed.warnings[0].message;
    throw ConnectorError(ErrorKind::BadData, loaded.document.where + ": " + why);
  }
  for (auto& object : loaded.parsed.objects) object.native_id = id + "#" + object.uid;
  return loaded;
}

}  // namespace

IcsConnector::IcsConnector(const ConnectorSpec& spec)
    : IcsConnector(sourceFor(spec), setting(spec, "calendar_name")) {}

IcsConnector::IcsConnector(std::unique_ptr<IcsSource> source, std::string calendar_name)
    : source_(std::move(source)), calendar_name_(std::move(calendar_name)) {}

Capabilities IcsConnector::capabilities() const {
  Capabilities caps;
  caps.read = true;
  return caps;
}

std::vector<Calendar> IcsConnector::listCalendars() {
  std::vector<Calendar> calendars;
  for (const auto& id : source_->calendarIds()) {
    const LoadedCalendar loaded = load(*source_, id);
    Calendar calendar;
    calendar.id = id;
    calendar.name = !calendar_name_.empty()       ? calendar_name_
                    : !loaded.parsed.name.empty() ? loaded.parsed.name
                                                  : loaded.document.default_name;
    calendar.color = loaded.parsed.color;
    calendar.writable = false;
    calendars.push_back(std::move(calendar));
  }
  return calendars;
}

ChangeSet IcsConnector::pull(const CalendarId& calendar, const Window& window, const Cursor&) {
  LoadedCalendar loaded = load(*source_, calendar);
  ChangeSet changes;
  changes.complete = true;
  changes.cursor = sha256Hex(loaded.document.bytes);
  for (const auto& warning : loaded.parsed.warnings) {
    ReadWarning read_warning{loaded.document.where + ":" + std::to_string(warning.line), warning.message};
    log::warn(kLogComponent, read_warning.where + ": " + read_warning.message);
    changes.warnings.push_back(std::move(read_warning));
  }
  for (auto& object : loaded.parsed.objects) {
    if (touches(window, object)) {
      changes.upserts.push_back(std::move(object));
    } else {
      changes.out_of_window.push_back(object.native_id);
    }
  }
  log::debug(kLogComponent, calendar + ": " + std::to_string(changes.upserts.size()) + " in window, " +
                                std::to_string(changes.out_of_window.size()) + " outside");
  return changes;
}

std::optional<CalendarObject> IcsConnector::findByUid(const CalendarId& calendar, const std::string& uid) {
  LoadedCalendar loaded = load(*source_, calendar);
  for (auto& object : loaded.parsed.objects) {
    if (object.uid == uid) return std::move(object);
  }
  return std::nullopt;
}

WriteResult IcsConnector::apply(const EventChange&) {
  throw ConnectorError(ErrorKind::Permission, "ics sources are read-only");
}

void IcsConnector::apply(const CalendarChange&) { throw ConnectorError(ErrorKind::Permission, "ics sources are read-only"); }

ConnectorInfo icsConnectorInfo() {
  ConnectorInfo info;
  info.type = "ics";
  info.description = "iCalendar files, folders of .ics files, or an http(s) subscription (read-only)";
  info.can_be_destination = false;
  auto key = [](const char* name, KeyType type, const char* description) {
    KeySpec spec;
    spec.key = name;
    spec.type = type;
    spec.description = description;
    return spec;
  };
  info.keys = {
      key("path", KeyType::Path, "a .ics file, or a folder whose *.ics files are each one calendar"),
      key("url", KeyType::Url, "an http(s) iCalendar subscription (one calendar)"),
      key("username", KeyType::String, "user name for the subscription URL (Basic auth)"),
      key("password", KeyType::Secret, "password for the subscription URL"),
      key("calendar_name", KeyType::String, "name to show instead of the calendar's own"),
  };
  info.create = [](const ConnectorSpec& spec) -> std::unique_ptr<Connector> { return std::make_unique<IcsConnector>(spec); };
  return info;
}

}  // namespace calsync::ics
