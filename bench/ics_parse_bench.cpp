// Parse, normalize and hash an iCalendar file of N events: what an agent does for every
// ICS source on every cycle. Prints wall time per run (best and median of several) and
// peak RSS. `--write FILE` saves the corpus so a peer can read the same bytes.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/hash.h"
#include "ical/ical_codec.h"
#include "ics_corpus.h"

int main(int argc, char** argv) {
  std::size_t events = 10000;
  int runs = 7;
  std::string write_path;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--events") && i + 1 < argc) events = std::strtoul(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--write") && i + 1 < argc) write_path = argv[++i];
    else {
      std::cerr << "usage: ics_parse_bench [--events N] [--runs N] [--write FILE]\n";
      return 2;
    }
  }
  const std::string text = calsync::bench::makeIcsCorpus(events);
  if (!write_path.empty()) std::ofstream(write_path, std::ios::binary) << text;

  std::vector<double> seconds;
  std::size_t objects = 0, components = 0;
  std::string digest;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const calsync::ical::ParsedCalendar parsed = calsync::ical::parse(text);
    std::string all;
    for (const auto& object : parsed.objects) all += calsync::contentHash(object);
    const auto stop = std::chrono::steady_clock::now();
    seconds.push_back(std::chrono::duration<double>(stop - start).count());
    objects = parsed.objects.size();
    components = 0;
    for (const auto& o : parsed.objects) components += o.components.size();
    if (!parsed.warnings.empty()) {
      std::cerr << "unexpected warning: line " << parsed.warnings[0].line << ": " << parsed.warnings[0].message << '\n';
      return 1;
    }
    digest = calsync::sha256Hex(all).substr(0, 12);
  }
  std::sort(seconds.begin(), seconds.end());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << "events " << components << " in " << objects << " objects, " << text.size() / 1024 << " KiB\n"
            << "parse+normalize+hash: best " << seconds.front() * 1000 << " ms, median "
            << seconds[seconds.size() / 2] * 1000 << " ms over " << runs << " runs\n"
            << "events/s (median): " << static_cast<long>(static_cast<double>(components) / seconds[seconds.size() / 2])
            << "\npeak RSS: " << usage.ru_maxrss / 1024 << " MiB\n"
            << "digest: " << digest << '\n';
  return 0;
}
