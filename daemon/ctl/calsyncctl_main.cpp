// calsyncctl: the admin CLI (see docs/calsyncctl.md). Everything but main() is in calsync_ctl.
#include <iostream>
#include <string>
#include <vector>

#include "core/log.h"
#include "daemon/ctl/command_line.h"

int main(int argc, char** argv) {
  // Library code logs warnings through core/log; show them plainly on stderr. The config
  // loader's warnings are left out: the commands that load a config report them themselves.
  calsync::log::setSink([](calsync::log::Level level, std::string_view component, std::string_view message) {
    if (level < calsync::log::Level::Warning || component == "config") return;
    std::cerr << "calsyncctl: " << calsync::log::toString(level) << " [" << component << "] " << message << '\n';
  });
  const std::vector<std::string> args(argv + 1, argv + argc);
  return calsync::ctl::run(args, calsync::ctl::Io{std::cout, std::cerr, std::cin});
}
