// The olk15 scan benchmark (DESIGN §8: 9,095 events over 256 account folders, < 0.3 s and
// < 30 MB peak RSS). Three commands, each meant to run as its own process so its peak RSS
// is its own:
//   olk15_scan_bench generate DIR [--events N --folders F --buckets B]
//       writes a synthetic profile (tests/fixtures/olk15) under DIR
//   olk15_scan_bench pull DIR STATE
//       discovers the calendars and pulls each one, parsing and normalizing every event
//       file: with an empty STATE this is the cold first pull; run again with the same STATE
//       it is the warm pull of an unchanged store (cursors and calendar states from STATE)
// Prints one line of figures per command.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "olk15/olk15_connector.h"
#include "olk15_fixture.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

long peakRssKb() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int generate(const fs::path& dir, int events, int folders, int buckets) {
  fs::remove_all(dir);
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  calsync::olk15::fixture::ProfileBuilder profile(dir / "Outlook 15 Profiles");
  calsync::olk15::fixture::writeLargeProfile(profile, now, events, folders, buckets);
  std::ofstream(dir / "generated-at") << now;
  std::cout << "generated " << events << " events in " << folders << " calendar folders over " << buckets
            << " bucket directories under " << dir << "\n";
  return 0;
}

int pull(const fs::path& dir, const fs::path& state) {
  std::int64_t generated = 0;
  std::ifstream(dir / "generated-at") >> generated;
  fs::create_directories(state);
  const fs::path cursor_file = state / "bench-cursors";
  std::map<std::string, std::string> cursors;
  {
    std::ifstream in(cursor_file);
    for (std::string id, cursor; in >> id >> cursor;) cursors[id] = cursor;
  }
  calsync::olk15::Olk15Options options;
  options.profile_root = (dir / "Outlook 15 Profiles" / "Main Profile").string();
  options.state_dir = state;
  // Every generated event lies in [generated - 60 d, generated + 300 d]: all are parsed.
  const calsync::Window window{generated - 90 * 86400, generated + 400 * 86400};

  const auto start = Clock::now();
  calsync::olk15::Olk15Connector connector(options);
  const auto calendars = connector.listCalendars();
  std::size_t objects = 0, components = 0, warnings = 0;
  for (const auto& calendar : calendars) {
    const auto changes = connector.pull(calendar.id, window, cursors[calendar.id]);
    objects += changes.upserts.size();
    for (const auto& o : changes.upserts) components += o.components.size();
    warnings += changes.warnings.size();
    cursors[calendar.id] = changes.cursor;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  {
    std::ofstream out(cursor_file, std::ios::trunc);
    for (const auto& [id, cursor] : cursors) out << id << ' ' << cursor << '\n';
  }
  std::printf("pull: %zu calendars, %zu objects (%zu events) upserted, %zu warnings, %.3f s wall, %.1f MB peak RSS\n",
              calendars.size(), objects, components, warnings, seconds, static_cast<double>(peakRssKb()) / 1024.0);
  return warnings == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: olk15_scan_bench generate DIR [--events N --folders F --buckets B]\n"
                 "       olk15_scan_bench pull DIR STATE\n";
    return 2;
  }
  const std::string command = argv[1];
  const fs::path dir = argv[2];
  if (command == "generate") {
    int events = 9095, folders = 256, buckets = 256;
    for (int i = 3; i + 1 < argc; i += 2) {
      const std::string flag = argv[i];
      const int value = std::atoi(argv[i + 1]);
      if (flag == "--events") events = value;
      if (flag == "--folders") folders = value;
      if (flag == "--buckets") buckets = value;
    }
    return generate(dir, events, folders, buckets);
  }
  if (command == "pull" && argc == 4) return pull(dir, argv[3]);
  std::cerr << "unknown command\n";
  return 2;
}
