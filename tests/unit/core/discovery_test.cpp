#include <gtest/gtest.h>

#include "core/discovery.h"

namespace calsync {
namespace {

TEST(SectionSlug, KeepsLowerCaseAsciiLettersAndDigitsAndJoinsTheRestWithOneDash) {
  EXPECT_EQ(sectionSlug("Team Calendar (Berlin)"), "team-calendar-berlin");
  EXPECT_EQ(sectionSlug("  Ferien/Urlaub 2026 "), "ferien-urlaub-2026");
  EXPECT_EQ(sectionSlug("Büro"), "b-ro") << "non-ASCII letters are not kept";
  EXPECT_EQ(sectionSlug("日本"), "");
  EXPECT_EQ(sectionSlug(""), "");
}

TEST(SectionNames, ASecondCalendarWithTheSameNameGetsASuffix) {
  std::vector<DiscoveredCalendar> calendars(4);
  calendars[0].section_name = "google-team";
  calendars[1].section_name = "google-team";
  calendars[2].section_name = "google-home";
  calendars[3].section_name = "google-team";
  makeSectionNamesUnique(calendars);
  EXPECT_EQ(calendars[0].section_name, "google-team");
  EXPECT_EQ(calendars[1].section_name, "google-team-2");
  EXPECT_EQ(calendars[2].section_name, "google-home");
  EXPECT_EQ(calendars[3].section_name, "google-team-3");
}

}  // namespace
}  // namespace calsync
