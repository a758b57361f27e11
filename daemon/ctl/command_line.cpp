#include "daemon/ctl/command_line.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "daemon/config/config.h"

namespace calsync::ctl {
namespace {

constexpr const char* kPositionals = "positional-arguments";

// Options that take a value, so the dispatcher can skip their value when it looks for the
// command word among the arguments before it.
const std::set<std::string> kValueOptions = {"--master", "--config", "--token-file", "--ca-file", "--timeout"};

// Config keys are written with '_' and options with '-'; accept both spellings.
std::string normalizedOption(const std::string& arg) {
  if (!arg.starts_with("--")) return arg;
  const std::size_t equals = arg.find('=');
  std::string name = arg.substr(0, equals);
  std::replace(name.begin(), name.end(), '_', '-');
  return equals == std::string::npos ? name : name + arg.substr(equals);
}

po::options_description sharedOptions(Reach reach) {
  po::options_description shared("Common options");
  shared.add_options()("json", "print JSON for scripts instead of tables")("help,h", "show this help");
  if (reach == Reach::LocalConfig || reach == Reach::Master) {
    shared.add_options()("config", po::value<std::string>()->value_name("FILE"),
                         ("the local calsyncd configuration (default " + config::defaultConfigPath() + ")").c_str());
  }
  if (reach == Reach::Master) {
    shared.add_options()
        ("master", po::value<std::string>()->value_name("URL"), "the master to talk to (default: the local daemon)")
        ("token-file", po::value<std::string>()->value_name("FILE"),
         "file holding the admin token (else CALSYNC_ADMIN_TOKEN, else [master] admin_token of the local config)")
        ("ca-file", po::value<std::string>()->value_name("FILE"), "PEM CA bundle that signed the master's certificate")
        ("timeout", po::value<int>()->value_name("SECONDS")->default_value(30), "give up on the master after this long");
  }
  return shared;
}

std::string usageLine(const std::string& synopsis) { return "usage: calsyncctl " + synopsis + " [options]"; }

}  // namespace

bool Invocation::parse(const po::options_description& own, const std::vector<std::string>& positionals, Reach reach) {
  po::options_description visible;
  if (!own.options().empty()) visible.add(own);
  visible.add(sharedOptions(reach));
  po::options_description all;
  all.add(visible);
  all.add_options()(kPositionals, po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add(kPositionals, -1);

  std::vector<std::string> args;
  bool after_separator = false;
  for (const auto& arg : args_) {
    after_separator = after_separator || arg == "--";
    args.push_back(after_separator ? arg : normalizedOption(arg));
  }
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional)
                  .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw usageError(std::string(e.what()) + "\n" + usageLine(synopsis_) + " (see calsyncctl " + command_ + " --help)");
  }
  if (vm.count("help")) {
    io.out << usageLine(synopsis_) << "\n\n" << visible;
    return false;
  }
  if (vm.count(kPositionals)) positionals_ = vm[kPositionals].as<std::vector<std::string>>();
  const auto required = static_cast<std::size_t>(
      std::count_if(positionals.begin(), positionals.end(), [](const std::string& n) { return !n.starts_with("["); }));
  if (positionals_.size() < required || positionals_.size() > positionals.size()) {
    std::string expected;
    for (const auto& name : positionals) expected += " " + name;
    throw usageError(positionals_.size() < required
                         ? "missing argument:" + expected + "\n" + usageLine(synopsis_)
                         : "unexpected argument '" + positionals_[positionals.size()] + "'\n" + usageLine(synopsis_));
  }

  globals.json = vm.count("json") > 0;
  if (vm.count("config")) {
    globals.config_path = vm["config"].as<std::string>();
    globals.config_given = true;
  }
  if (vm.count("master")) globals.master_url = vm["master"].as<std::string>();
  if (vm.count("token-file")) globals.token_file = vm["token-file"].as<std::string>();
  if (vm.count("ca-file")) globals.ca_file = vm["ca-file"].as<std::string>();
  if (vm.count("timeout")) {
    globals.timeout_seconds = vm["timeout"].as<int>();
    if (globals.timeout_seconds < 1 || globals.timeout_seconds > 3600) {
      throw usageError("--timeout must be from 1 to 3600 seconds");
    }
  }
  if (globals.config_path.empty()) globals.config_path = config::defaultConfigPath();
  return true;
}

std::string Invocation::positional(std::size_t index) const {
  return index < positionals_.size() ? positionals_[index] : std::string();
}

std::string Invocation::firstArgument() const {
  if (leading_ >= args_.size() || args_[leading_].starts_with("-")) return "";
  return args_[leading_];
}

namespace {

std::vector<Command> everyCommand() {
  std::vector<Command> commands;
  addDiscoverCommand(commands);
  addStatusCommands(commands);
  addCalendarCommands(commands);
  addEventCommands(commands);
  addUpdateCommands(commands);
  addConflictCommands(commands);
  addTokenCommands(commands);
  addPlanCommand(commands);
  addConfigCommands(commands);
  addImportCommand(commands);
  addAuthCommands(commands);
  return commands;
}

void printOverview(const std::vector<Command>& commands, std::ostream& out) {
  out << "usage: calsyncctl [--master URL] [--json] <command> [arguments] [options]\n\n"
         "The calsync admin CLI: inspect and steer a master, discover calendars, check and import\n"
         "configuration, sign in cloud accounts. `calsyncctl <command> --help` shows a command's options.\n\n"
         "Commands:\n";
  constexpr std::size_t kWidth = 44;   // longer synopses put their summary on the next line
  for (const auto& c : commands) {
    out << "  " << c.synopsis;
    if (c.synopsis.size() < kWidth) out << std::string(kWidth - c.synopsis.size(), ' ') << c.summary << '\n';
    else out << '\n' << std::string(kWidth + 2, ' ') << c.summary << '\n';
  }
  out << "\nExit codes: 0 ok, 1 the operation failed, 2 usage error, 78 bad configuration.\n";
}

int dispatch(const std::vector<std::string>& args, Io io) {
  const std::vector<Command> commands = everyCommand();
  // Options before the command word belong to the command too (`calsyncctl --json status`).
  std::vector<std::string> leading;
  std::size_t i = 0;
  for (; i < args.size() && args[i].starts_with("-"); ++i) {
    leading.push_back(args[i]);
    if (kValueOptions.count(normalizedOption(args[i])) && i + 1 < args.size()) leading.push_back(args[++i]);
  }
  const bool wants_help = std::any_of(leading.begin(), leading.end(), [](const std::string& a) { return a == "--help" || a == "-h"; });
  if (i == args.size() || args[i] == "help") {
    if (std::find(leading.begin(), leading.end(), "--version") != leading.end()) {
      io.out << "calsyncctl " << CALSYNC_VERSION << '\n';
      return kExitOk;
    }
    printOverview(commands, (wants_help || i < args.size()) ? io.out : io.err);
    return (wants_help || i < args.size()) ? kExitOk : kExitUsage;
  }

  const std::string group = args[i++];
  const Command* found = nullptr;
  std::vector<std::string> subcommands;
  for (const auto& c : commands) {
    if (c.name == group) found = &c;
    if (c.name.starts_with(group + " ")) subcommands.push_back(c.name.substr(group.size() + 1));
  }
  if (!found && !subcommands.empty()) {
    std::string list;
    for (const auto& s : subcommands) list += (list.empty() ? "" : ", ") + s;
    if (i == args.size() || args[i].starts_with("-")) {
      throw usageError("'" + group + "' needs one of: " + list + " (e.g. calsyncctl " + group + " " +
                       subcommands.front() + ")");
    }
    const std::string name = group + " " + args[i];
    for (const auto& c : commands) {
      if (c.name == name) found = &c;
    }
    if (!found) throw usageError("unknown command '" + name + "'; '" + group + "' has: " + list);
    ++i;
  }
  if (!found) throw usageError("unknown command '" + group + "' (see calsyncctl --help)");

  std::vector<std::string> rest = leading;
  rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  Invocation invocation(found->name, found->synopsis, std::move(rest), leading.size(), io);
  return found->run(invocation);
}

}  // namespace

int run(const std::vector<std::string>& args, Io io) {
  try {
    return dispatch(args, io);
  } catch (const CtlError& e) {
    io.err << "calsyncctl: " << e.what() << '\n';
    return e.exitCode();
  } catch (const std::exception& e) {
    // Commands turn the failures they expect into CtlErrors; anything else still fails cleanly.
    io.err << "calsyncctl: " << e.what() << '\n';
    return kExitFailed;
  }
}

}  // namespace calsync::ctl
