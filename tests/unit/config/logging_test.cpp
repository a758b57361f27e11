#include "daemon/logging/logging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <fstream>
#include <sstream>

#include "core/log.h"
#include "daemon/logging/level_filter.h"
#include "daemon/logging/rotating_file.h"
#include "tests/support/temp_dir.h"

namespace calsync::logging {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> filesIn(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(LevelFilter, AComponentLevelOverridesTheDefaultForItAndItsChildren) {
  const LevelFilter filter("info", {{"caldav", "debug"}, {"caldav.http", "warning"}});
  EXPECT_TRUE(filter.passes(log::Level::Debug, "caldav"));
  EXPECT_FALSE(filter.passes(log::Level::Trace, "caldav"));
  EXPECT_TRUE(filter.passes(log::Level::Debug, "caldav.xml"));
  EXPECT_FALSE(filter.passes(log::Level::Info, "caldav.http"));
  EXPECT_TRUE(filter.passes(log::Level::Warning, "caldav.http.pool"));
  EXPECT_FALSE(filter.passes(log::Level::Debug, "store"));
  EXPECT_FALSE(filter.passes(log::Level::Debug, "caldavx"));   // a prefix is not a parent
  EXPECT_TRUE(filter.passes(log::Level::Info, "store"));
}

TEST(LevelFilter, RejectsUnknownLevels) {
  EXPECT_THROW(LevelFilter("loud", {}), std::invalid_argument);
  EXPECT_THROW(LevelFilter("info", {{"caldav", "chatty"}}), std::invalid_argument);
  EXPECT_THROW(LevelFilter("info", {{"", "debug"}}), std::invalid_argument);
  EXPECT_EQ(parseLevel("warning"), log::Level::Warning);
  EXPECT_FALSE(parseLevel("warn"));
}

TEST(RotatingFile, KeepsAtMostCountFilesEachWithinTheLimit) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "calsyncd.log";
  {
    RotatingFile file(path.string(), 1000, 3);
    for (int i = 0; i < 100; ++i) file.writeLine("line " + std::to_string(i) + " " + std::string(80, 'x'));
  }
  EXPECT_EQ(filesIn(dir.path()), (std::vector<std::string>{"calsyncd.log", "calsyncd.log.1", "calsyncd.log.2"}));
  for (const auto& name : filesIn(dir.path())) EXPECT_LE(fs::file_size(dir.path() / name), 1000u) << name;
  EXPECT_THAT(readFile(path), HasSubstr("line 99 "));
  EXPECT_THAT(readFile(dir.path() / "calsyncd.log.1"), Not(HasSubstr("line 99 ")));
}

TEST(RotatingFile, AppendsToAnExistingFileAndCountsItsSize) {
  testing::TempDir dir;
  const std::string path = dir.write("a.log", std::string(950, 'o') + "\n");
  {
    RotatingFile file(path, 1000, 2);
    file.writeLine(std::string(60, 'n'));   // would pass the limit: rotates first
  }
  EXPECT_EQ(fs::file_size(path + ".1"), 951u);
  EXPECT_EQ(fs::file_size(path), 61u);
  EXPECT_THROW(RotatingFile((dir.path() / "no/such/dir/x.log").string(), 1000, 2), std::runtime_error);
}

class LoggingTest : public ::testing::Test {
 protected:
  Options fileOptions(const std::string& name) {
    Options options;
    options.console = false;
    options.file = (dir_.path() / name).string();
    return options;
  }
  testing::TempDir dir_;
};

TEST_F(LoggingTest, PerComponentLevelsFilterWhatReachesTheFile) {
  Options options = fileOptions("calsyncd.log");
  options.component_levels = {{"caldav", "debug"}};
  init(options);
  log::debug("caldav", "caldav debug record");
  log::debug("store", "store debug record");
  log::info("store", "store info record");
  EXPECT_TRUE(log::enabled(log::Level::Debug, "caldav"));
  EXPECT_FALSE(log::enabled(log::Level::Debug, "store"));

  const std::string text = readFile(options.file);
  EXPECT_THAT(text, HasSubstr(" debug [caldav] caldav debug record\n"));
  EXPECT_THAT(text, HasSubstr(" info [store] store info record\n"));
  EXPECT_THAT(text, Not(HasSubstr("store debug record")));
  // Each line starts with a UTC timestamp.
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z debug)")));
}

TEST_F(LoggingTest, FileSinkRotatesBySizeAndKeepsTheConfiguredCount) {
  Options options = fileOptions("rotating.log");
  options.file_max_bytes = 2000;
  options.file_count = 3;
  init(options);
  for (int i = 0; i < 200; ++i) log::info("test", "record " + std::to_string(i) + " " + std::string(60, 'x'));

  const auto files = filesIn(dir_.path());
  EXPECT_EQ(files, (std::vector<std::string>{"rotating.log", "rotating.log.1", "rotating.log.2"}));
  for (const auto& name : files) EXPECT_LE(fs::file_size(dir_.path() / name), 2000u) << name;
  EXPECT_THAT(readFile(options.file), HasSubstr("record 199 "));
}

TEST_F(LoggingTest, AFailedReconfigureKeepsTheWorkingSetup) {
  Options options = fileOptions("kept.log");
  init(options);
  Options broken = options;
  broken.file = (dir_.path() / "missing-dir" / "x.log").string();
  broken.level = "debug";
  EXPECT_THROW(reconfigure(broken), std::runtime_error);
  Options bad_level = options;
  bad_level.level = "chatty";
  EXPECT_THROW(reconfigure(bad_level), std::invalid_argument);

  log::debug("test", "not wanted at info");
  log::info("test", "still logged");
  const std::string text = readFile(options.file);
  EXPECT_THAT(text, HasSubstr("still logged"));
  EXPECT_THAT(text, Not(HasSubstr("not wanted")));
}

TEST_F(LoggingTest, ReconfigureSwapsLevelsAndFiles) {
  Options first = fileOptions("first.log");
  init(first);
  log::info("test", "to the first file");
  Options second = fileOptions("second.log");
  second.level = "warning";
  reconfigure(second);
  log::info("test", "dropped at warning");
  log::warn("test", "to the second file");

  EXPECT_THAT(readFile(first.file), HasSubstr("to the first file"));
  EXPECT_THAT(readFile(first.file), Not(HasSubstr("second file")));
  EXPECT_THAT(readFile(second.file), HasSubstr("warning [test] to the second file"));
  EXPECT_THAT(readFile(second.file), Not(HasSubstr("dropped")));
}

}  // namespace
}  // namespace calsync::logging
