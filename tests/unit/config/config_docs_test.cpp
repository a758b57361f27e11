// docs/config.md and examples/calsyncd.sample.ini are generated from the schema; this fails when
// the committed files no longer match, e.g. after a key was added or a description changed.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/registry.h"
#include "daemon/config/config.h"
#include "daemon/config/docs.h"
#include "tests/support/temp_dir.h"

namespace calsync::config {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

const char* kHowToFix = "is out of date: regenerate it with `cmake --build <build dir> --target config-docs`";

TEST(ConfigDocs, CommittedMarkdownMatchesTheSchema) {
  const std::string path = std::string(CALSYNC_SOURCE_DIR) + "/docs/config.md";
  EXPECT_EQ(readFile(path), markdownDocs(ConnectorRegistry::instance())) << path << " " << kHowToFix;
}

TEST(ConfigDocs, CommittedSampleMatchesTheSchema) {
  const std::string path = std::string(CALSYNC_SOURCE_DIR) + "/examples/calsyncd.sample.ini";
  EXPECT_EQ(readFile(path), sampleIni(ConnectorRegistry::instance())) << path << " " << kHowToFix;
}

TEST(ConfigDocs, TheSampleLoadsWithTheRealConnectors) {
  testing::TempDir dir;
  const std::string main = dir.write("calsyncd.ini", sampleIni(ConnectorRegistry::instance()));
  dir.write("conf.d/50-minimal.ini", "[daemon]\nmode = master\n[master]\nallow_plain_http = true\n");
  const Config config = load(main);
  EXPECT_EQ(config.files_read.size(), 2u);
}

TEST(ConfigDocs, TheRealConnectorsAreRegistered) {
  // Without them the comparison above would pass against docs that describe no connector.
  for (const char* type : {"ics", "caldav"}) EXPECT_NE(ConnectorRegistry::instance().find(type), nullptr) << type;
}

}  // namespace
}  // namespace calsync::config
