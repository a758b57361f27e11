// Parse an EWS GetItem answer of N calendar items and map every item to the model (zones,
// recurrence, exdates, attendees), then hash the objects: what a full EWS read costs the
// agent once the bytes have arrived. `--write FILE` saves the XML so a peer parses the same
// bytes. Prints best and median wall time of several runs and peak RSS.
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
#include "ews/item_reader.h"
#include "ews/soap_response.h"
#include "ews/soap_xml.h"
#include "ews_corpus.h"

int main(int argc, char** argv) {
  std::size_t items = 10000;
  int runs = 7;
  std::string write_path;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--items") && i + 1 < argc) items = std::strtoul(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--write") && i + 1 < argc) write_path = argv[++i];
    else {
      std::cerr << "usage: ews_parse_bench [--items N] [--runs N] [--write FILE]\n";
      return 2;
    }
  }
  const std::string xml = calsync::bench::makeEwsGetItemResponse(items);
  if (!write_path.empty()) std::ofstream(write_path, std::ios::binary) << xml;

  std::vector<double> seconds;
  std::size_t objects = 0, components = 0;
  std::string digest;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    calsync::ews::SoapResponse response = calsync::ews::readResponse(xml, "GetItem", "bench");
    std::string all;
    objects = components = 0;
    for (const auto& message : response.messages) {
      pugi::xml_node item = calsync::ews::child(calsync::ews::child(message.node, "Items"), "CalendarItem");
      calsync::CalendarObject object = calsync::ews::assembleObject(calsync::ews::readCalendarItem(item), {});
      all += calsync::contentHash(object);
      ++objects;
      components += object.components.size();
    }
    const auto stop = std::chrono::steady_clock::now();
    seconds.push_back(std::chrono::duration<double>(stop - start).count());
    digest = calsync::sha256Hex(all).substr(0, 12);
  }
  std::sort(seconds.begin(), seconds.end());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << "items " << objects << " (" << components << " components), " << xml.size() / 1024 << " KiB of XML\n"
            << "parse+map+hash: best " << seconds.front() * 1000 << " ms, median " << seconds[seconds.size() / 2] * 1000
            << " ms over " << runs << " runs\n"
            << "items/s (median): " << static_cast<long>(static_cast<double>(objects) / seconds[seconds.size() / 2]) << '\n'
            << "peak RSS: " << usage.ru_maxrss / 1024 << " MiB\n"
            << "digest: " << digest << '\n';
  return 0;
}
