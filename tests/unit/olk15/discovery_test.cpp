// `calsyncctl discover olk15`: what it lists and suggests, called directly.
#include <gtest/gtest.h>

#include "core/registry.h"
#include "olk15/olk15_connector.h"
#include "olk15/olk15_discovery.h"
#include "olk15_test_support.h"

namespace calsync::olk15 {
namespace {

using namespace test;

const DiscoveredCalendar* byId(const DiscoveryReport& r, const std::string& id) {
  for (const auto& c : r.calendars) {
    if (c.calendar.id == id) return &c;
  }
  return nullptr;
}

TEST(Olk15Discovery, ListsCalendarsWithAccountsCountsAndSuggestions) {
  SampleStore store;
  fx::ProfileBuilder new_outlook(store.dir.path() / "Outlook 15 Profiles", "Main Identity");
  new_outlook.writeHxStore();
  ConnectorSpec spec{"discover", "olk15", {}, ""};
  spec.settings["profile_root"] = (store.dir.path() / "Outlook 15 Profiles").string();
  spec.settings["work_domains"] = "example.com";
  const DiscoveryReport r = olk15ConnectorInfo().discover(spec);

  ASSERT_EQ(r.calendars.size(), 4u);
  const DiscoveredCalendar* work = byId(r, "folder-101");
  ASSERT_NE(work, nullptr);
  EXPECT_EQ(work->account, "jdoe@example.com");
  EXPECT_EQ(work->event_count, 10u);
  EXPECT_TRUE(work->suggested) << work->reason;
  EXPECT_EQ(work->section_name, "outlook-jdoe");
  EXPECT_EQ(work->settings.at("profile_root"), store.profile.profileDir().string());
  EXPECT_EQ(work->settings.at("calendars"), "folder-101");
  const DiscoveredCalendar* personal = byId(r, "folder-201");
  EXPECT_FALSE(personal->suggested);
  EXPECT_NE(personal->reason.find("not a work domain"), std::string::npos);
  const DiscoveredCalendar* birthdays = byId(r, "folder-202");
  EXPECT_FALSE(birthdays->suggested);
  EXPECT_NE(birthdays->reason.find("birthday"), std::string::npos);
  EXPECT_EQ(birthdays->section_name, "outlook-jane-private-birthdays");
  // The New Outlook profile is a note, not an error.
  bool told = false;
  for (const auto& n : r.notes) told = told || (n.find("Main Identity") != std::string::npos && n.find("New Outlook") != std::string::npos);
  EXPECT_TRUE(told);
}

TEST(Olk15Discovery, EventCountLimitsAndTermsAreConfigurable) {
  SampleStore store;
  ConnectorSpec spec{"discover", "olk15", {}, ""};
  spec.settings["profile_root"] = store.profile.profileDir().string();
  spec.settings["min_events"] = "2";
  spec.settings["max_events"] = "5";
  spec.settings["system_terms"] = "gym";
  const DiscoveryReport r = olk15ConnectorInfo().discover(spec);
  EXPECT_NE(byId(r, "folder-101")->reason.find("more than max_events"), std::string::npos);
  EXPECT_NE(byId(r, "folder-201")->reason.find("fewer than min_events"), std::string::npos);
  // Birthdays is no system term any more; it fails on its count now.
  EXPECT_NE(byId(r, "folder-202")->reason.find("fewer than min_events"), std::string::npos);
  EXPECT_NE(byId(r, "folder-301")->reason.find("min_events"), std::string::npos);
}

TEST(Olk15Discovery, IsRegisteredUnderItsAlias) {
  const ConnectorInfo* info = ConnectorRegistry::instance().find("outlook-mac");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->type, "olk15");
  EXPECT_TRUE(info->discover);
}

}  // namespace
}  // namespace calsync::olk15
