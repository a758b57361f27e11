// The registry entry of the olk15 connector: its config keys and how they become options.
#include <stdexcept>

#include "core/errors.h"
#include "olk15/olk15_connector.h"
#include "olk15/olk15_discovery.h"

namespace calsync::olk15 {
namespace {

std::string setting(const ConnectorSpec& spec, const std::string& key) {
  auto it = spec.settings.find(key);
  return it == spec.settings.end() ? "" : it->second;
}

std::int64_t seconds(const ConnectorSpec& spec, const std::string& key, std::int64_t fallback) {
  const std::string v = setting(spec, key);
  if (v.empty()) return fallback;
  try {
    return std::stoll(v);
  } catch (const std::exception&) {
    throw ConnectorError(ErrorKind::Config, "[" + spec.name + "]: '" + key + "' must be a duration");
  }
}

KeySpec key(const char* name, KeyType type, const char* default_value, const char* description) {
  KeySpec spec;
  spec.key = name;
  spec.type = type;
  spec.default_value = default_value;
  spec.description = description;
  return spec;
}

}  // namespace

Olk15Options optionsFrom(const ConnectorSpec& spec) {
  Olk15Options o;
  o.profile_root = setting(spec, "profile_root");
  o.profile = setting(spec, "profile");
  const std::string mode = setting(spec, "read_mode");
  if (mode.empty() || mode == "auto") {
    o.mode = ReadMode::Auto;
  } else if (mode == "index") {
    o.mode = ReadMode::Index;
  } else if (mode == "scan") {
    o.mode = ReadMode::Scan;
  } else {
    throw ConnectorError(ErrorKind::Config, "[" + spec.name + "]: read_mode must be auto, index or scan");
  }
  o.legacy_stale_after_seconds = seconds(spec, "legacy_stale_after", 14 * 86400);
  o.busy_timeout_ms = static_cast<int>(std::min<std::int64_t>(seconds(spec, "busy_timeout", 2), 600) * 1000);
  o.state_dir = spec.data_dir;
  return o;
}

ConnectorInfo olk15ConnectorInfo() {
  ConnectorInfo info;
  info.type = "olk15";
  info.aliases = {"outlook-mac"};
  info.description = "the legacy Outlook for Mac store (Outlook 15 Profiles), read directly from disk (read-only)";
  info.can_be_destination = false;
  KeySpec mode = key("read_mode", KeyType::Enum, "auto",
                     "How events are listed: auto (Outlook.sqlite, or the event files when it is missing or "
                     "unusable), index (Outlook.sqlite only), scan (the event files only).");
  mode.choices = {"auto", "index", "scan"};
  KeySpec stale = key("legacy_stale_after", KeyType::Duration, "14d",
                      "When New Outlook's HxStore.hxd is newer than the legacy store by more than this, the profile "
                      "counts as taken over by New Outlook and the source reports that instead of syncing stale data.");
  stale.min = 0;
  KeySpec busy = key("busy_timeout", KeyType::Duration, "2s",
                     "How long to wait for Outlook's lock on Outlook.sqlite before reading a copy of it.");
  busy.min = 0;
  busy.max = 600;
  KeySpec min_events = key("min_events", KeyType::Int, "1",
                           "Discovery: calendars with fewer events are not suggested.");
  min_events.min = 0;
  KeySpec max_events = key("max_events", KeyType::Int, "50000",
                           "Discovery: calendars with more events are not suggested.");
  max_events.min = 0;
  info.keys = {
      key("profile_root", KeyType::Path, "",
          "An Outlook for Mac profile folder (holding Data/), or the 'Outlook 15 Profiles' folder. Empty: "
          "~/Library/Group Containers/UBF8T346G9.Office/Outlook/Outlook 15 Profiles."),
      key("profile", KeyType::String, "",
          "The profile to read when profile_root holds several (e.g. Main Profile). Empty: the only one."),
      mode,
      stale,
      busy,
      key("work_domains", KeyType::List, "",
          "Discovery: mail domains of work accounts; calendars of other accounts are not suggested. Empty: any."),
      key("system_terms", KeyType::List, "holiday, birthday, feiertag, geburtstag, jours fériés, anniversaire",
          "Discovery: calendars whose name contains one of these words are not suggested."),
      min_events,
      max_events,
  };
  info.create = [](const ConnectorSpec& spec) -> std::unique_ptr<Connector> {
    return std::make_unique<Olk15Connector>(optionsFrom(spec));
  };
  info.discover = [](const ConnectorSpec& spec) { return discoverOutlookMac(spec); };
  return info;
}

}  // namespace calsync::olk15
