// How the pieces are wired: calsync::log decides with a LevelFilter whether a record is wanted
// and hands it to emit(), which turns it into a Boost.Log record; Boost.Log fans it out to the
// sinks installed here. Swapping sinks holds sinks_mutex, which emit() also takes, so no
// record is lost or duplicated during a reconfigure.
#include "daemon/logging/logging.h"

#include <boost/core/null_deleter.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/date_time/posix_time/time_formatters.hpp>
#include <boost/log/attributes/clock.hpp>
#include <boost/log/attributes/constant.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/expressions/message.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/syslog_backend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/sources/record_ostream.hpp>
#include <boost/make_shared.hpp>
#include <iostream>
#include <memory>
#include <mutex>
#include <vector>

#include "core/log.h"
#include "daemon/logging/level_filter.h"
#include "daemon/logging/rotating_file.h"

namespace calsync::logging {
namespace {

namespace bl = boost::log;
namespace syslog = bl::sinks::syslog;

const char* const kSeverity = "Severity";
const char* const kComponent = "Component";
const char* const kTimeStamp = "TimeStamp";

// "2026-03-21T09:00:00.123456Z info [caldav] message"
void formatLine(const bl::record_view& record, bl::formatting_ostream& out) {
  if (const auto time = bl::extract<boost::posix_time::ptime>(kTimeStamp, record)) {
    out << boost::posix_time::to_iso_extended_string(*time) << "Z ";
  }
  const auto level = bl::extract<log::Level>(kSeverity, record);
  out << (level ? log::toString(*level) : "?") << " [" << bl::extract<std::string>(kComponent, record) << "] "
      << record[bl::expressions::smessage];
}

// Syslog stamps time and severity itself.
void formatSyslog(const bl::record_view& record, bl::formatting_ostream& out) {
  out << "[" << bl::extract<std::string>(kComponent, record) << "] " << record[bl::expressions::smessage];
}

class RotatingFileBackend
    : public bl::sinks::basic_formatted_sink_backend<char, bl::sinks::synchronized_feeding> {
 public:
  RotatingFileBackend(const std::string& path, std::int64_t max_bytes, int count) : file_(path, max_bytes, count) {}
  void consume(const bl::record_view&, const string_type& line) { file_.writeLine(line); }

 private:
  RotatingFile file_;
};

using SinkPtr = boost::shared_ptr<bl::sinks::sink>;

std::vector<SinkPtr> makeSinks(const Options& options) {
  std::vector<SinkPtr> sinks;
  if (options.console) {
    auto backend = boost::make_shared<bl::sinks::text_ostream_backend>();
    backend->add_stream(boost::shared_ptr<std::ostream>(&std::cerr, boost::null_deleter()));
    backend->auto_flush(true);
    auto sink = boost::make_shared<bl::sinks::synchronous_sink<bl::sinks::text_ostream_backend>>(backend);
    sink->set_formatter(&formatLine);
    sinks.push_back(sink);
  }
  if (!options.file.empty()) {
    auto backend = boost::make_shared<RotatingFileBackend>(options.file, options.file_max_bytes, options.file_count);
    auto sink = boost::make_shared<bl::sinks::synchronous_sink<RotatingFileBackend>>(backend);
    sink->set_formatter(&formatLine);
    sinks.push_back(sink);
  }
  if (options.syslog) {
    auto backend = boost::make_shared<bl::sinks::syslog_backend>(
        bl::keywords::facility = syslog::daemon, bl::keywords::ident = std::string("calsyncd"));
    syslog::custom_severity_mapping<log::Level> mapping(kSeverity);
    mapping[log::Level::Trace] = syslog::debug;
    mapping[log::Level::Debug] = syslog::debug;
    mapping[log::Level::Info] = syslog::info;
    mapping[log::Level::Warning] = syslog::warning;
    mapping[log::Level::Error] = syslog::error;
    backend->set_severity_mapper(mapping);
    auto sink = boost::make_shared<bl::sinks::synchronous_sink<bl::sinks::syslog_backend>>(backend);
    sink->set_formatter(&formatSyslog);
    sinks.push_back(sink);
  }
  return sinks;
}

std::mutex sinks_mutex;
std::vector<SinkPtr> installed_sinks;

void emit(log::Level level, std::string_view component, std::string_view message) {
  std::lock_guard<std::mutex> lock(sinks_mutex);
  const auto core = bl::core::get();
  bl::attribute_set attributes;
  attributes.insert(kSeverity, bl::attributes::constant<log::Level>(level));
  attributes.insert(kComponent, bl::attributes::constant<std::string>(std::string(component)));
  bl::record record = core->open_record(attributes);
  if (!record) return;
  bl::record_ostream stream(record);
  stream << message;
  stream.flush();
  core->push_record(std::move(record));
}

void apply(const Options& options) {
  // Everything that can fail happens before anything is swapped, so a bad reload keeps the old setup.
  auto filter = std::make_shared<const LevelFilter>(options.level, options.component_levels);
  std::vector<SinkPtr> sinks = makeSinks(options);

  const auto core = bl::core::get();
  {
    std::lock_guard<std::mutex> lock(sinks_mutex);
    for (const SinkPtr& sink : installed_sinks) core->remove_sink(sink);
    for (const SinkPtr& sink : sinks) core->add_sink(sink);
    installed_sinks = std::move(sinks);
  }
  // Outside sinks_mutex: calsync::log holds its own lock while calling emit(), which takes
  // sinks_mutex, so taking them in the other order here could deadlock.
  log::setEnabledPredicate([filter](log::Level level, std::string_view component) {
    return filter->passes(level, component);
  });
  log::setSink(&emit);
}

}  // namespace

void init(const Options& options) {
  static const bool timestamp_added = [] {
    bl::core::get()->add_global_attribute(kTimeStamp, bl::attributes::utc_clock());
    return true;
  }();
  (void)timestamp_added;
  apply(options);
}

void reconfigure(const Options& options) { apply(options); }

}  // namespace calsync::logging
