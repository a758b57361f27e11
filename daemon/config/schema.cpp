#include "daemon/config/schema.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace calsync::config {
namespace {

constexpr std::int64_t kDay = 86400;

// Readable table rows: key(...) then the optional parts that apply.
struct Key {
  KeySpec spec;
  Key(std::string name, KeyType type, std::string default_value, std::string description) {
    spec.key = std::move(name);
    spec.type = type;
    spec.default_value = std::move(default_value);
    spec.description = std::move(description);
  }
  Key&& range(std::int64_t min, std::int64_t max) && {
    spec.min = min;
    spec.max = max;
    return std::move(*this);
  }
  Key&& choices(std::vector<std::string> values) && {
    spec.choices = std::move(values);
    return std::move(*this);
  }
  Key&& required() && {
    spec.required = true;
    return std::move(*this);
  }
  Key&& restart() && {
    spec.reloadable = false;
    return std::move(*this);
  }
  operator KeySpec() && { return std::move(spec); }  // NOLINT: lets rows sit in a vector<KeySpec>
};

const std::vector<std::string> kLevels{"trace", "debug", "info", "warning", "error"};

std::vector<KeySpec> daemonKeys() {
  return {
      Key("mode", KeyType::Enum, "standalone",
          "What this process runs: agent (reads its sources and ships changes to a master), master "
          "(stores everything, writes the destination, serves the API and web UI) or standalone "
          "(both in one process).")
          .choices({"agent", "master", "standalone"})
          .restart(),
      Key("data_dir", KeyType::Path, "/var/lib/calsync",
          "Directory for the state database, the outbox and connector caches; must be writable by "
          "the service user.")
          .restart(),
      Key("log_level", KeyType::Enum, "info",
          "Least severe level that is logged. Event content (summaries, attendees) appears only at "
          "debug and below; secrets never.")
          .choices(kLevels),
      Key("log_levels", KeyType::List, "",
          "Per-component levels that override log_level, as component=level pairs, e.g. "
          "\"caldav=debug, store=warning\". A component covers its sub-components (caldav covers "
          "caldav.http)."),
      Key("log_console", KeyType::Bool, "true",
          "Write the log to standard error, where systemd's journal, launchd or the console picks "
          "it up."),
      Key("log_file", KeyType::Path, "",
          "Also write the log to this file, rotated by size. Empty: no log file."),
      Key("log_file_max_mb", KeyType::Int, "10", "Size in MiB at which the log file is rotated.").range(1, 1024),
      Key("log_file_count", KeyType::Int, "5",
          "How many log files to keep, the one being written included.")
          .range(1, 100),
      Key("log_syslog", KeyType::Bool, "false", "Also send the log to the local syslog (facility daemon)."),
      Key("pid_file", KeyType::Path, "",
          "Write the process id to this file while running. Empty: no pid file (not needed under "
          "systemd or launchd).")
          .restart(),
  };
}

std::vector<KeySpec> agentKeys() {
  return {
      Key("id", KeyType::String, "",
          "This agent's unique id at the master. Empty: the host name. Changing it makes the master "
          "see a new agent.")
          .restart(),
      Key("name", KeyType::String, "", "Human-readable name shown by the master. Empty: the id."),
      Key("master_url", KeyType::Url, "",
          "Base URL of the master, e.g. https://master.example.com:8008. Required in mode = agent."),
      Key("enroll_token", KeyType::Secret, "",
          "Token the agent presents to enroll with the master the first time (calsyncctl token "
          "create); afterwards its own secret lives in data_dir. A new token makes it enroll again."),
      Key("ca_file", KeyType::Path, "",
          "PEM bundle of the CA that signed the master's certificate, when it is not in the system "
          "store (a private CA). Empty: the system store."),
      Key("allow_plain_http", KeyType::Bool, "false",
          "Let master_url be plain http:// to a host other than this one. Only for testing: the "
          "agent secret would cross the network in clear.")
          .restart(),
      Key("sync_interval", KeyType::Duration, "30m",
          "How often every source is read for changes (sources that can push are read sooner).")
          .range(10, kDay),
      Key("window_past", KeyType::Duration, "30d",
          "How far back from now events are synced. Recurring series that touch the window come "
          "whole.")
          .range(0, 3650 * kDay),
      Key("window_future", KeyType::Duration, "90d", "How far ahead of now events are synced.")
          .range(0, 3650 * kDay),
      Key("max_retry_attempts", KeyType::Int, "5",
          "How many times a failed change is retried, with growing delays, before it is reported "
          "as failed.")
          .range(1, 100),
  };
}

std::vector<KeySpec> masterKeys() {
  return {
      Key("listen", KeyType::HostPort, "0.0.0.0:8008",
          "Address and port the REST API and web UI listen on; [addr]:port for IPv6.")
          .restart(),
      Key("tls_cert", KeyType::Path, "",
          "PEM certificate (chain) for HTTPS. mode = master needs tls_cert and tls_key unless "
          "allow_plain_http = true.")
          .restart(),
      Key("tls_key", KeyType::Path, "", "PEM private key of tls_cert.").restart(),
      Key("admin_token", KeyType::Secret, "",
          "Bearer token that calsyncctl and the admin endpoints of the API must present."),
      Key("allow_plain_http", KeyType::Bool, "false",
          "Serve plain HTTP when no certificate is configured. Only for loopback or testing: "
          "tokens would cross the network in clear.")
          .restart(),
      Key("store", KeyType::String, "sqlite",
          "Where the master keeps events: sqlite (a database in data_dir) or a "
          "postgresql://user@host/dbname URL (keep the password in PGPASSFILE, not here).")
          .restart(),
      Key("conflict_resolution", KeyType::Enum, "latest_wins",
          "What wins when the source and the destination both changed an event: source_wins, "
          "destination_wins, latest_wins, or manual (queued for a person). Edits to different fields "
          "are merged either way.")
          .choices({"source_wins", "destination_wins", "latest_wins", "manual"}),
  };
}

KeySpec typeKey(const std::string& what) {
  return Key("type", KeyType::String, "", "Connector type of this " + what + " (see Connector types).")
      .required()
      .restart();
}

std::vector<KeySpec> destinationKeys() {
  return {
      typeKey("destination; it must be one that can be a destination"),
      Key("calendar", KeyType::String, "",
          "Id of the calendar events are written to, as listed by calsyncctl discover. Empty: the "
          "connector's only (or first) calendar."),
  };
}

std::vector<KeySpec> sourceKeys() {
  return {
      typeKey("source"),
      Key("calendars", KeyType::List, "",
          "Comma-separated ids or names of the calendars to sync. Empty: all calendars of the "
          "source."),
      Key("allow_metadata_updates", KeyType::Bool, "false",
          "Let changes to calendar names, colors and descriptions made at the master be written "
          "back to this source."),
      Key("allow_event_updates", KeyType::Bool, "false",
          "Let event edits made in the destination, the API or the UI be written back to this "
          "source."),
      Key("conflict_resolution", KeyType::Enum, "inherit",
          "What wins when this source and the destination both changed the same field of an event: "
          "inherit ([master] conflict_resolution), source_wins, destination_wins, latest_wins, or manual "
          "(queued for a person). The agent sends it to its master with its calendars.")
          .choices({"inherit", "source_wins", "destination_wins", "latest_wins", "manual"}),
      Key("enabled", KeyType::Bool, "true", "Set to false to keep the section but stop syncing it."),
  };
}

}  // namespace

const std::vector<KeySpec>& sectionSchema(const std::string& section) {
  static const std::map<std::string, std::vector<KeySpec>> schemas{
      {"daemon", daemonKeys()},           {"agent", agentKeys()},         {"master", masterKeys()},
      {"destination", destinationKeys()}, {"source", sourceKeys()},
  };
  const auto it = schemas.find(section);
  if (it == schemas.end()) throw std::invalid_argument("no schema for section '" + section + "'");
  return it->second;
}

std::vector<KeySpec> connectorSectionSchema(const std::string& section, const ConnectorInfo& connector) {
  std::vector<KeySpec> keys = sectionSchema(section);
  for (const KeySpec& key : connector.keys) {
    // A connector cannot redefine a common key: the daemon reads those itself.
    const bool common = std::any_of(keys.begin(), keys.end(), [&](const KeySpec& k) { return k.key == key.key; });
    if (!common) keys.push_back(key);
  }
  return keys;
}

}  // namespace calsync::config
