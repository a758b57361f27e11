// A minimal logging front end for code that must not depend on a logging library.
// The daemon installs a sink that forwards to Boost.Log; tests may install their own.
// Event content (summaries, descriptions, attendees) belongs at Debug only, secrets never.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace calsync::log {

enum class Level { Trace, Debug, Info, Warning, Error };

using Sink = std::function<void(Level, std::string_view component, std::string_view message)>;

// Replaces the sink; the default writes Warning and above to stderr.
void setSink(Sink sink);
void write(Level level, std::string_view component, std::string_view message);
bool enabled(Level level, std::string_view component);
// Threshold consulted by enabled(); the daemon sets it per component from the config.
void setEnabledPredicate(std::function<bool(Level, std::string_view)> predicate);

inline void debug(std::string_view c, const std::string& m) { write(Level::Debug, c, m); }
inline void info(std::string_view c, const std::string& m) { write(Level::Info, c, m); }
inline void warn(std::string_view c, const std::string& m) { write(Level::Warning, c, m); }
inline void error(std::string_view c, const std::string& m) { write(Level::Error, c, m); }

const char* toString(Level level);

}  // namespace calsync::log
