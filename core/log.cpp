#include "core/log.h"

#include <iostream>
#include <mutex>

namespace calsync::log {
namespace {

std::mutex g_mutex;
Sink g_sink = [](Level level, std::string_view component, std::string_view message) {
  if (level >= Level::Warning) std::cerr << toString(level) << " [" << component << "] " << message << '\n';
};
std::function<bool(Level, std::string_view)> g_enabled = [](Level level, std::string_view) {
  return level >= Level::Info;
};

}  // namespace

void setSink(Sink sink) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_sink = std::move(sink);
}

void setEnabledPredicate(std::function<bool(Level, std::string_view)> predicate) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_enabled = std::move(predicate);
}

bool enabled(Level level, std::string_view component) {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_enabled(level, component);
}

void write(Level level, std::string_view component, std::string_view message) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_enabled(level, component)) return;
  g_sink(level, component, message);
}

const char* toString(Level level) {
  switch (level) {
    case Level::Trace: return "trace";
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warning: return "warning";
    case Level::Error: return "error";
  }
  return "unknown";
}

}  // namespace calsync::log
