// How calsyncctl's commands are declared and how each one reads its arguments
// (Boost.Program_options). Every command lives in a file of its group and registers itself
// through that group's add*Commands function.
#pragma once

#include <boost/program_options.hpp>

#include <functional>
#include <string>
#include <vector>

#include "daemon/ctl/cli.h"

namespace calsync::ctl {

namespace po = boost::program_options;

// Which shared options a command takes besides its own (--json and --help always).
enum class Reach {
  Local,        // runs on this machine only
  LocalConfig,  // runs on this machine and reads the local config (--config)
  Master,       // talks to a master: --master, --config, --token-file, --ca-file, --timeout
};

class Invocation {
 public:
  // `args` are the options given before the command word (`leading` of them) followed by
  // everything after it.
  Invocation(std::string command, std::string synopsis, std::vector<std::string> args, std::size_t leading, Io io)
      : io(io), command_(std::move(command)), synopsis_(std::move(synopsis)), args_(std::move(args)), leading_(leading) {}

  // Parses the arguments against `own` plus the shared options of `reach`. `positionals` names
  // the arguments in order; a name in [brackets] is optional. Throws usageError for unknown
  // options, bad values or a wrong number of arguments. Returns false when --help was asked
  // for (and printed).
  bool parse(const po::options_description& own, const std::vector<std::string>& positionals, Reach reach);

  // The i-th positional argument ("" when an optional one was left out).
  std::string positional(std::size_t index) const;
  bool has(const std::string& option) const { return vm.count(option) > 0 && !vm[option].defaulted(); }
  template <typename T>
  T get(const std::string& option) const {
    return vm[option].as<T>();
  }
  const std::string& command() const { return command_; }
  // The first argument after the command word when it is not an option ("" otherwise): lets
  // `discover` read the connector type before it knows which options that type takes.
  std::string firstArgument() const;

  po::variables_map vm;
  Globals globals;
  Io io;

 private:
  std::string command_;
  std::string synopsis_;
  std::vector<std::string> args_;
  std::size_t leading_ = 0;
  std::vector<std::string> positionals_;
};

struct Command {
  std::string name;       // "calendars rename"
  std::string synopsis;   // "calendars rename ID NAME"
  std::string summary;    // one line for the overview
  std::function<int(Invocation&)> run;
};

// Each group's file.
void addDiscoverCommand(std::vector<Command>& commands);
void addStatusCommands(std::vector<Command>& commands);      // status, agents list
void addCalendarCommands(std::vector<Command>& commands);
void addEventCommands(std::vector<Command>& commands);
void addUpdateCommands(std::vector<Command>& commands);
void addTokenCommands(std::vector<Command>& commands);
void addConflictCommands(std::vector<Command>& commands);
void addPlanCommand(std::vector<Command>& commands);
void addConfigCommands(std::vector<Command>& commands);      // test-config
void addImportCommand(std::vector<Command>& commands);
void addAuthCommands(std::vector<Command>& commands);

// The whole CLI: `args` without the program name. Returns the exit code.
int run(const std::vector<std::string>& args, Io io);

}  // namespace calsync::ctl
