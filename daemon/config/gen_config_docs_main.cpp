// calsync-gen-config-docs: writes docs/config.md and the sample calsyncd.ini from the schema and
// the registered connectors, so neither is ever edited by hand.
#include <fstream>
#include <iostream>
#include <string>

#include "core/registry.h"
#include "daemon/config/docs.h"

namespace {

bool writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) std::cerr << "calsync-gen-config-docs: cannot write " << path << '\n';
  return static_cast<bool>(out);
}

int usage() {
  std::cerr << "usage: calsync-gen-config-docs [--markdown FILE] [--sample FILE]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string markdown_path;
  std::string sample_path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--markdown" || arg == "--sample") && i + 1 < argc) {
      (arg == "--markdown" ? markdown_path : sample_path) = argv[++i];
    } else {
      return usage();
    }
  }
  if (markdown_path.empty() && sample_path.empty()) return usage();

  const auto& registry = calsync::ConnectorRegistry::instance();
  bool ok = true;
  if (!markdown_path.empty()) ok = writeFile(markdown_path, calsync::config::markdownDocs(registry)) && ok;
  if (!sample_path.empty()) ok = writeFile(sample_path, calsync::config::sampleIni(registry)) && ok;
  return ok ? 0 : 1;
}
