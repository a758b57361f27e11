// The daemon's configuration as the rest of calsyncd sees it: typed, validated, defaults filled
// in, secrets resolved. load() reads the main INI file and its conf.d/*.ini drop-ins.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/key_spec.h"
#include "core/registry.h"
#include "daemon/config/issue.h"

namespace calsync::config {

// One section after validation. `values` holds every key of the section's schema (empty when
// unset and without default); durations are seconds in decimal text, booleans "true"/"false",
// lists "a, b". `origins` says where each key that was written came from; defaults have none.
struct SectionValues {
  std::string name;                          // "daemon", "destination", "source.work"
  Settings values;
  std::map<std::string, Origin> origins;
  Origin origin;                             // the first [header] of the section
};

struct SourceConfig {
  std::string name;                          // "work" for [source.work]
  ConnectorSpec spec;                        // settings: every key of the section except `type`
  std::vector<std::string> calendars;        // empty = all calendars of the source
  bool allow_metadata_updates = false;
  bool allow_event_updates = false;
  std::string conflict_resolution = "inherit";   // or a strategy name, as [master] conflict_resolution
  bool enabled = true;
  Origin origin;
};

struct DaemonConfig {
  std::string mode;                          // agent | master | standalone
  std::string data_dir;
  std::string log_level;                     // trace | debug | info | warning | error
  std::map<std::string, std::string> component_levels;   // component -> level
  bool log_console = true;                   // log to stderr (journald, launchd, a terminal)
  std::string log_file;                      // empty = no file log
  std::int64_t log_file_max_bytes = 0;
  int log_file_count = 0;
  bool log_syslog = false;
  std::string pid_file;                      // empty = none
};

struct AgentConfig {
  std::string id;                            // defaults to the host name
  std::string name;
  std::string master_url;
  std::string enroll_token;                  // secret
  std::string ca_file;                       // CA bundle for the master's certificate
  bool allow_plain_http = false;
  std::int64_t sync_interval_seconds = 0;
  std::int64_t window_past_seconds = 0;
  std::int64_t window_future_seconds = 0;
  int max_retry_attempts = 0;
};

struct MasterConfig {
  std::string listen;                        // host:port
  std::string tls_cert;
  std::string tls_key;
  std::string admin_token;                   // secret
  bool allow_plain_http = false;
  std::string store;                         // "sqlite" or a postgresql:// URL
  std::string conflict_resolution;           // source_wins | destination_wins | latest_wins | manual
};

struct DestinationConfig {
  ConnectorSpec spec;
  std::string calendar;                      // destination calendar id; empty = the only/first one
  Origin origin;
};

struct Config {
  DaemonConfig daemon;
  AgentConfig agent;
  MasterConfig master;
  std::optional<DestinationConfig> destination;
  std::vector<SourceConfig> sources;         // in order of section name
  std::vector<std::string> files_read;       // the main file, then the drop-ins in the order read
  std::map<std::string, SectionValues> sections;   // the effective view, by section name
  std::vector<Issue> warnings;               // accepted, but worth telling the admin
};

// Where calsyncd looks when no --config is given (per OS).
std::string defaultConfigPath();

// Reads `main_path`, then `conf.d/*.ini` beside it in file-name order (later files override
// earlier keys; a later file that sets `type` in a connector section replaces that section
// whole). Throws ConfigError listing every issue found.
Config load(const std::string& main_path, const ConnectorRegistry& registry = ConnectorRegistry::instance());

// The conf.d directory load() reads beside `main_path`.
std::string dropInDirectory(const std::string& main_path);

// A drop-in as it would be if written: load() reads `text` as the file `path` (in the conf.d
// directory, replacing the file of that name if there is one), so a change can be validated
// whole before anything on disk is replaced.
struct StagedDropIn {
  std::string path;
  std::string text;
};
Config loadWithStagedDropIn(const std::string& main_path, const StagedDropIn& staged,
                            const ConnectorRegistry& registry = ConnectorRegistry::instance());

// The effective configuration as INI text, each key annotated with where it came from; secret
// values are replaced by "<hidden>". For `calsyncd --print-config`.
std::string effectiveIni(const Config& config, const ConnectorRegistry& registry = ConnectorRegistry::instance());

// Splits a List value ("a, b ,c") into trimmed, non-empty items.
std::vector<std::string> splitList(const std::string& value);

}  // namespace calsync::config
