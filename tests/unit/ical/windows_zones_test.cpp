#include "ical/windows_zones.h"

#include <gtest/gtest.h>

#include <set>

#include "core/date_time.h"
#include "ical/windows_zone_table.h"

namespace calsync::ical {
namespace {

TEST(WindowsZones, DefaultTerritoryAndRegionalRows) {
  EXPECT_EQ(windowsToIana("Pacific Standard Time"), "America/Los_Angeles");
  EXPECT_EQ(windowsToIana("Pacific Standard Time", "CA"), "America/Vancouver");
  EXPECT_EQ(windowsToIana("Pacific Standard Time", "XX"), "America/Los_Angeles");  // unknown region
  EXPECT_EQ(windowsToIana("W. Europe Standard Time"), "Europe/Berlin");
  EXPECT_EQ(windowsToIana("w. europe standard time"), "Europe/Berlin");
  EXPECT_EQ(windowsToIana("No Such Standard Time"), std::nullopt);
}

TEST(WindowsZones, EtcGmtNamesPassThroughWithTheirPosixSign) {
  EXPECT_EQ(windowsToIana("SA Pacific Standard Time", "ZZ"), "Etc/GMT+5");
  EXPECT_EQ(ianaToWindows("Etc/GMT+5"), "SA Pacific Standard Time");
  EXPECT_EQ(windowsToIana("UTC"), "Etc/UTC");
}

TEST(WindowsZones, EveryZoneOfAListedRowMapsBack) {
  // The US row of Eastern lists several zones separated by spaces.
  EXPECT_EQ(ianaToWindows("America/New_York"), "Eastern Standard Time");
  EXPECT_EQ(ianaToWindows("America/Detroit"), "Eastern Standard Time");
  EXPECT_EQ(ianaToWindows("America/Kentucky/Monticello"), "Eastern Standard Time");
  EXPECT_EQ(ianaToWindows("Nowhere/Special"), std::nullopt);
}

TEST(WindowsZones, OldAndCurrentTzdataNamesBothWork) {
  EXPECT_EQ(ianaToWindows("Asia/Calcutta"), "India Standard Time");
  EXPECT_EQ(ianaToWindows("Asia/Kolkata"), "India Standard Time");
  EXPECT_EQ(ianaToWindows("Europe/Kiev"), "FLE Standard Time");
  EXPECT_EQ(ianaToWindows("Europe/Kyiv"), "FLE Standard Time");
  EXPECT_EQ(ianaToWindows("America/Nuuk"), ianaToWindows("America/Godthab"));
  EXPECT_TRUE(ianaToWindows("America/Nuuk").has_value());

  // Whatever this system's tzdata calls them, the answer is a name it knows.
  for (const char* windows_id : {"India Standard Time", "FLE Standard Time", "Greenland Standard Time",
                                 "Myanmar Standard Time", "SE Asia Standard Time"}) {
    const auto iana = windowsToIana(windows_id);
    ASSERT_TRUE(iana) << windows_id;
    EXPECT_TRUE(isIanaZone(*iana)) << windows_id << " -> " << *iana;
  }
}

TEST(WindowsZones, PrefersANameTheTzDatabaseKnows) {
  // A system whose tzdata dropped the old names (no tzdata-legacy links).
  const std::set<std::string> modern_only = {"Asia/Kolkata", "Europe/Kyiv"};
  auto known = [&](const std::string& name) { return modern_only.count(name) != 0; };
  EXPECT_EQ(knownZoneName("Asia/Calcutta", known), "Asia/Kolkata");
  EXPECT_EQ(knownZoneName("Europe/Kiev", known), "Europe/Kyiv");
  // A system that only has the old names.
  const std::set<std::string> legacy_only = {"Asia/Calcutta"};
  EXPECT_EQ(knownZoneName("Asia/Calcutta", [&](const std::string& n) { return legacy_only.count(n) != 0; }),
            "Asia/Calcutta");
  // Known nowhere: the name itself is still the best answer.
  EXPECT_EQ(knownZoneName("Asia/Calcutta", [](const std::string&) { return false; }), "Asia/Calcutta");
}

TEST(WindowsZones, TableReadsSpaceSeparatedTypesWithTrailingSpaces) {
  const WindowsZoneTable table = WindowsZoneTable::fromXml(R"xml(<?xml version="1.0"?>
    <supplementalData><windowsZones><mapTimezones>
      <mapZone other="Mountain Standard Time (Mexico)" territory="001" type="America/Mazatlan"/>
      <mapZone other="Mountain Standard Time (Mexico)" territory="MX" type="America/Mazatlan America/Chihuahua "/>
    </mapTimezones></windowsZones></supplementalData>)xml");
  const auto* zones = table.zonesFor("Mountain Standard Time (Mexico)", "MX");
  ASSERT_NE(zones, nullptr);
  EXPECT_EQ(*zones, (std::vector<std::string>{"America/Mazatlan", "America/Chihuahua"}));
  EXPECT_EQ(table.windowsFor("America/Chihuahua"), "Mountain Standard Time (Mexico)");
  EXPECT_EQ(table.windowsFor("America/Chihuahua "), std::nullopt);
  EXPECT_EQ(WindowsZoneTable::fromXml("not xml at all").windowsFor("America/Mazatlan"), std::nullopt);
}

}  // namespace
}  // namespace calsync::ical
