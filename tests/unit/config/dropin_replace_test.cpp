// conf.d drop-ins that replace a connector section (a later file that sets `type`), and a
// drop-in validated before it is written (loadWithStagedDropIn).
#include <gtest/gtest.h>

#include "daemon/config/config.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/fake_connector.h"

namespace calsync::config {
namespace {

const std::string kMain =
    "[daemon]\nmode = standalone\n\n"
    "[destination]\ntype = fake\nurl = https://dav.example.com/cal/\ndepth = 4\ncalendar = personal\n\n"
    "[source.work]\ntype = fake\nurl = https://work.example.com/\n";

class DropInReplaceTest : public ::testing::Test {
 protected:
  std::string main() { return dir_.write("main.ini", kMain); }
  calsync::testing::TempDir dir_;
  ConnectorRegistry registry_ = testing::fakeRegistry();
};

TEST_F(DropInReplaceTest, ALaterDropInThatSetsTypeReplacesTheSectionWhole) {
  dir_.write("conf.d/90-destination.ini", "[destination]\ntype = fake\nurl = https://other.example.com/\n");
  const Config config = load(main(), registry_);
  ASSERT_TRUE(config.destination);
  EXPECT_EQ(config.destination->spec.settings.at("url"), "https://other.example.com/");
  EXPECT_EQ(config.destination->spec.settings.at("depth"), "3") << "the main file's depth is gone: default again";
  EXPECT_EQ(config.destination->calendar, "");
  EXPECT_EQ(config.sections.at("destination").origin.file, (dir_.path() / "conf.d/90-destination.ini").string());
  EXPECT_EQ(config.sources.at(0).spec.settings.at("url"), "https://work.example.com/") << "other sections stay";
}

TEST_F(DropInReplaceTest, ADropInWithoutTypeStillOverridesKeyByKey) {
  dir_.write("conf.d/50-depth.ini", "[destination]\ndepth = 5\n");
  const Config config = load(main(), registry_);
  EXPECT_EQ(config.destination->spec.settings.at("url"), "https://dav.example.com/cal/");
  EXPECT_EQ(config.destination->spec.settings.at("depth"), "5");
  EXPECT_EQ(config.destination->calendar, "personal");
}

TEST_F(DropInReplaceTest, AStagedDropInIsReadAsIfWrittenAndReplacesTheFileOfItsName) {
  const std::string path = (std::filesystem::path(dropInDirectory(main())) / "90-destination.ini").string();
  dir_.write("conf.d/90-destination.ini", "[destination]\ntype = fake\nurl = https://on-disk.example.com/\n");
  const Config staged =
      loadWithStagedDropIn(main(), {path, "[destination]\ntype = fake\nurl = https://staged.example.com/\n"}, registry_);
  EXPECT_EQ(staged.destination->spec.settings.at("url"), "https://staged.example.com/");
  EXPECT_EQ(std::count(staged.files_read.begin(), staged.files_read.end(), path), 1);
  EXPECT_EQ(load(main(), registry_).destination->spec.settings.at("url"), "https://on-disk.example.com/")
      << "the file on disk is untouched";

  const std::string fresh = (std::filesystem::path(dropInDirectory(main())) / "95-new.ini").string();
  const Config added = loadWithStagedDropIn(main(), {fresh, "[destination]\ntype = fake\nurl = https://new.example.com/\n"},
                                            registry_);
  EXPECT_EQ(added.destination->spec.settings.at("url"), "https://new.example.com/");
  EXPECT_FALSE(std::filesystem::exists(fresh));
  EXPECT_THROW(loadWithStagedDropIn(main(), {fresh, "[destination]\ntype = fake\nbogus = 1\n"}, registry_), ConfigError);
}

}  // namespace
}  // namespace calsync::config
