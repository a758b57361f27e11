// calsyncd: the calsync service. Runs in the foreground under systemd, launchd or the
// Windows service manager (or detaches with --daemon), in agent, master or standalone mode.
#include <Poco/Net/SSLManager.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "core/log.h"
#include "daemon/config/config.h"
#include "daemon/logging/logging.h"
#include "daemon/pid_file.h"
#include "daemon/service.h"
#include "service_control.h"

namespace calsync::daemon {
namespace {

// sysexits.h EX_CONFIG: systemd units list it in RestartPreventExitStatus, so a broken
// config stops the restart loop instead of spinning.
constexpr int kExitConfig = 78;
constexpr int kExitFailure = 1;

logging::Options loggingOptions(const config::Config& c) {
  logging::Options o;
  o.level = c.daemon.log_level;
  o.component_levels = c.daemon.component_levels;
  o.console = c.daemon.log_console;
  o.file = c.daemon.log_file;
  o.file_max_bytes = c.daemon.log_file_max_bytes;
  o.file_count = c.daemon.log_file_count;
  o.syslog = c.daemon.log_syslog;
  return o;
}

// Pings the service manager's watchdog while the process is healthy enough to run it.
class WatchdogPinger {
 public:
  explicit WatchdogPinger(int interval_seconds) {
    if (interval_seconds <= 0) return;
    thread_ = std::thread([this, interval_seconds] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!cv_.wait_for(lock, std::chrono::seconds(interval_seconds), [this] { return stop_; })) {
        platform::notifyServiceManager("WATCHDOG=1");
      }
    });
  }
  ~WatchdogPinger() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

class Calsyncd : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("config", "c", "configuration file (default " +
                                                            config::defaultConfigPath() + ")")
                          .required(false).repeatable(false).argument("FILE"));
    options.addOption(Poco::Util::Option("test-config", "t", "check the configuration, print what is wrong, and exit")
                          .required(false).repeatable(false));
    options.addOption(Poco::Util::Option("print-config", "", "print the effective configuration and exit")
                          .required(false).repeatable(false));
    options.addOption(Poco::Util::Option("once", "", "run one full sync cycle and exit (non-zero if anything failed)")
                          .required(false).repeatable(false));
    options.addOption(Poco::Util::Option("version", "v", "print the version and exit").required(false).repeatable(false));
    options.addOption(Poco::Util::Option("help", "h", "print this help and exit").required(false).repeatable(false));
  }

  void handleOption(const std::string& name, const std::string& value) override {
    ServerApplication::handleOption(name, value);
    if (name == "config") config_path_ = value;
    else if (name == "test-config") test_config_ = true;
    else if (name == "print-config") print_config_ = true;
    else if (name == "once") once_ = true;
    else if (name == "version") version_ = true;
    else if (name == "help") help_ = true;
    if (name == "help" || name == "version") stopOptionsProcessing();
  }

  int main(const ArgVec& args) override {
    if (help_) {
      Poco::Util::HelpFormatter help(options());
      help.setCommand(commandName());
      help.setUsage("[--config FILE] [--test-config | --print-config | --once] [--daemon --pidfile FILE]");
      help.setHeader("calsync daemon: consolidates calendars into one destination and keeps them in sync.");
      help.format(std::cout);
      return EXIT_OK;
    }
    if (version_) {
      std::cout << "calsyncd " << CALSYNC_VERSION << '\n';
      return EXIT_OK;
    }
    if (!args.empty()) {
      std::cerr << "calsyncd: unexpected argument '" << args.front() << "' (see --help)\n";
      return EXIT_USAGE;
    }
    if (config_path_.empty()) config_path_ = config::defaultConfigPath();

    config::Config cfg;
    try {
      cfg = config::load(config_path_);
    } catch (const config::ConfigError& e) {
      std::cerr << "calsyncd: the configuration has errors:\n" << e.what() << '\n';
      return kExitConfig;
    }
    for (const auto& w : cfg.warnings) std::cerr << "calsyncd: warning: " << w.toString() << '\n';
    if (test_config_) {
      std::cout << "configuration OK (";
      for (std::size_t i = 0; i < cfg.files_read.size(); ++i) std::cout << (i ? ", " : "") << cfg.files_read[i];
      std::cout << ")\n";
      return EXIT_OK;
    }
    if (print_config_) {
      std::cout << config::effectiveIni(cfg);
      return EXIT_OK;
    }

    logging::init(loggingOptions(cfg));
    Poco::Net::initializeSSL();
    struct SslCleanup {
      ~SslCleanup() { Poco::Net::uninitializeSSL(); }
    } ssl_cleanup;

    if (once_) return runOnce(cfg);
    return runService(cfg);
  }

 private:
  int runOnce(const config::Config& cfg) {
    try {
      Service service(cfg);
      const CycleOutcome outcome = service.runCycle([] { return false; }, true);
      for (const auto& h : service.health().snapshot()) {
        log::info("daemon", h.role + " '" + h.name + "': " + h.state + (h.last_error.empty() ? "" : " (" + h.last_error + ")"));
      }
      return outcome.ok() ? EXIT_OK : kExitFailure;
    } catch (const std::exception& e) {
      log::error("daemon", e.what());
      return kExitFailure;
    }
  }

  int runService(const config::Config& initial) {
    // Before any thread exists, so all of them inherit the blocked signals.
    platform::blockControlSignals();
    std::unique_ptr<PidFile> pid_file;
    std::unique_ptr<Service> service;
    try {
      if (!initial.daemon.pid_file.empty()) pid_file = std::make_unique<PidFile>(initial.daemon.pid_file);
      service = std::make_unique<Service>(initial, serviceHooks());
      service->start();
    } catch (const std::exception& e) {
      log::error("daemon", std::string("cannot start: ") + e.what());
      return kExitFailure;
    }
    platform::notifyServiceManager("READY=1\nSTATUS=running");
    log::info("daemon", "calsyncd " + std::string(CALSYNC_VERSION) + " started in " + initial.daemon.mode + " mode");
    WatchdogPinger watchdog(platform::watchdogIntervalSeconds());

    config::Config current = initial;
    while (platform::waitForControlEvent() == platform::ControlEvent::Reload) {
      platform::notifyServiceManager("RELOADING=1");
      reload(current, service);
      platform::notifyServiceManager("READY=1\nSTATUS=running");
    }
    platform::notifyServiceManager("STOPPING=1");
    log::info("daemon", "stopping: finishing the work in flight");
    service->stop();
    log::info("daemon", "stopped");
    return EXIT_OK;
  }

  // A running service may ask for a reload (the admin API's destination switch): the same
  // path as SIGHUP, so it happens on this thread with the same checks.
  static ServiceHooks serviceHooks() { return ServiceHooks{platform::requestReload}; }

  // Re-reads the configuration; a config that does not validate or start leaves the running
  // one in place.
  void reload(config::Config& current, std::unique_ptr<Service>& service) {
    config::Config next;
    try {
      next = config::load(config_path_);
    } catch (const config::ConfigError& e) {
      log::error("daemon", std::string("reload refused, keeping the running configuration:\n") + e.what());
      return;
    }
    logging::reconfigure(loggingOptions(next));
    std::unique_ptr<Service> replacement;
    try {
      replacement = std::make_unique<Service>(next, serviceHooks());
    } catch (const std::exception& e) {
      log::error("daemon", std::string("reload refused, keeping the running configuration: ") + e.what());
      return;
    }
    service->stop();
    try {
      replacement->start();
    } catch (const std::exception& e) {
      log::error("daemon", std::string("reloaded configuration failed to start (") + e.what() +
                               "); going back to the previous one");
      replacement.reset();
      service = std::make_unique<Service>(current, serviceHooks());
      service->start();
      return;
    }
    service = std::move(replacement);
    current = next;
    log::info("daemon", "configuration reloaded");
  }

  std::string config_path_;
  bool test_config_ = false;
  bool print_config_ = false;
  bool once_ = false;
  bool version_ = false;
  bool help_ = false;
};

}  // namespace
}  // namespace calsync::daemon

// --daemon moves the process to "/" before options are read, so a relative --config must
// be made absolute first.
int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string* path = nullptr;
    if ((args[i] == "--config" || args[i] == "-c") && i + 1 < args.size()) {
      path = &args[i + 1];
    } else if (args[i].rfind("--config=", 0) == 0) {
      std::string value = args[i].substr(9);
      args[i] = "--config=" + std::filesystem::absolute(value).string();
      continue;
    }
    if (path && !path->empty()) *path = std::filesystem::absolute(*path).string();
  }
  std::vector<char*> pointers;
  for (auto& a : args) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  calsync::daemon::Calsyncd app;
  return app.run(static_cast<int>(args.size()), pointers.data());
}
