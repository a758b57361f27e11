#include "daemon/config/docs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "daemon/config/config.h"
#include "daemon/config/schema.h"
#include "tests/unit/config/fake_connector.h"
#include "tests/support/temp_dir.h"

namespace calsync::config {
namespace {

using ::testing::HasSubstr;

// What a sample needs on top of itself to be a complete configuration.
const std::string kMasterDropIn = "[daemon]\nmode = master\n[master]\nallow_plain_http = true\n";

// The sample with every "# key = default" line of [daemon], [agent] and [master] uncommented.
std::string withDefaultsUncommented(const std::string& sample, int& uncommented) {
  static const std::regex header(R"(^\[(\w+)\]$)");
  static const std::regex default_line(R"(^# (\w+) =( .*)?$)");
  std::istringstream in(sample);
  std::ostringstream out;
  std::string section;
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_match(line, match, header)) section = match[1];
    if (line.starts_with("############ [destination]")) section.clear();
    if (!section.empty() && std::regex_match(line, match, default_line)) {
      const auto& keys = sectionSchema(section);
      const bool known = std::any_of(keys.begin(), keys.end(), [&](const KeySpec& k) { return k.key == match[1]; });
      if (known) {
        line = line.substr(2);
        ++uncommented;
      }
    }
    out << line << '\n';
  }
  return out.str();
}

TEST(SampleIni, LoadsBackAsItIs) {
  const ConnectorRegistry registry = testing::fakeRegistry();
  testing::TempDir dir;
  const std::string main = dir.write("calsyncd.ini", sampleIni(registry));
  dir.write("conf.d/50-minimal.ini", kMasterDropIn);
  const Config config = load(main, registry);
  EXPECT_EQ(config.agent.sync_interval_seconds, 1800);
  EXPECT_EQ(config.master.listen, "0.0.0.0:8008");
}

TEST(SampleIni, EveryDocumentedDefaultIsAValidValue) {
  const ConnectorRegistry registry = testing::fakeRegistry();
  int uncommented = 0;
  const std::string sample = withDefaultsUncommented(sampleIni(registry), uncommented);
  std::size_t daemon_keys = 0;
  for (const char* section : {"daemon", "agent", "master"}) daemon_keys += sectionSchema(section).size();
  EXPECT_EQ(static_cast<std::size_t>(uncommented), daemon_keys);

  testing::TempDir dir;
  const std::string main = dir.write("calsyncd.ini", sample);
  dir.write("conf.d/50-minimal.ini", kMasterDropIn);
  const Config config = load(main, registry);
  EXPECT_EQ(config.sections.at("agent").origins.count("window_future"), 1u);   // really set by the sample
  EXPECT_EQ(config.agent.window_future_seconds, 90 * 86400);
  EXPECT_EQ(config.daemon.log_file_max_bytes, 10 * 1024 * 1024);
}

TEST(SampleIni, DocumentsEveryKeyInZabbixStyle) {
  const ConnectorRegistry registry = testing::fakeRegistry();
  const std::string sample = sampleIni(registry);
  for (const char* section : {"daemon", "agent", "master", "destination", "source"}) {
    for (const KeySpec& key : sectionSchema(section)) EXPECT_THAT(sample, HasSubstr("### Option: " + key.key + "\n"));
  }
  EXPECT_THAT(sample, HasSubstr("### Option: sync_interval\n"
                                "#\tHow often every source is read for changes (sources that can push are read sooner).\n"
                                "#\n"
                                "# Mandatory: no\n"
                                "# Type: duration\n"
                                "# Range: 10s..1d\n"
                                "# Default:\n"
                                "# sync_interval = 30m\n"));
  EXPECT_THAT(sample, HasSubstr("#[source.fake-example]\n#type = fake\n"));
  EXPECT_THAT(sample, HasSubstr("### Option: depth\n"));
  EXPECT_THAT(sample, HasSubstr("password_file = /path/to/file"));
  EXPECT_THAT(sample, HasSubstr("# Types that can be the destination: fake.\n"));
}

TEST(MarkdownDocs, HasATableRowForEveryKeyAndConnector) {
  const ConnectorRegistry registry = testing::fakeRegistry();
  const std::string docs = markdownDocs(registry);
  for (const char* section : {"daemon", "agent", "master", "destination", "source"}) {
    for (const KeySpec& key : sectionSchema(section)) EXPECT_THAT(docs, HasSubstr("| `" + key.key + "` | "));
  }
  EXPECT_THAT(docs, HasSubstr("| `sync_interval` | duration | `30m` | 10s..1d |  | yes | "));
  EXPECT_THAT(docs, HasSubstr("| `mode` | enum | `standalone` | agent \\| master \\| standalone |  | restart | "));
  EXPECT_THAT(docs, HasSubstr("### `fake`\n\nA fake connector for tests.\n\nCan be the destination: yes."));
  EXPECT_THAT(docs, HasSubstr("| `depth` | integer | `3` | 1..5 |"));
  EXPECT_THAT(docs, HasSubstr("### `readonly`"));
}

}  // namespace
}  // namespace calsync::config
