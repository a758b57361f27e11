// calsyncd's logging: Boost.Log behind the calsync::log front end (core/log.h). Records go to
// stderr (journald, launchd or a terminal capture it), optionally to a size-rotated file and to
// syslog; each carries a UTC timestamp, level, component and message.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace calsync::logging {

struct Options {
  std::string level = "info";                              // trace | debug | info | warning | error
  std::map<std::string, std::string> component_levels;     // "caldav" -> "debug"; covers "caldav.http"
  bool console = true;                                     // stderr
  std::string file;                                        // empty = no file
  std::int64_t file_max_bytes = 10 * 1024 * 1024;          // rotate when the file would grow past this
  int file_count = 5;                                      // files kept, the one being written included
  bool syslog = false;
};

// Installs the sinks and the per-component level filter, and routes calsync::log to them.
// Throws std::invalid_argument for an unknown level and std::runtime_error when the log file
// cannot be opened; the previous setup then stays in place.
void init(const Options& options);

// For SIGHUP: swaps the levels and sinks (reopening the log file, so it follows logrotate).
// Same guarantees as init().
void reconfigure(const Options& options);

}  // namespace calsync::logging
