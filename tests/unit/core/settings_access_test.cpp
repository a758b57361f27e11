#include "core/settings_access.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace calsync {
namespace {

TEST(SettingsAccess, ReadsTextNumbersAndFlagsWithFallbacks) {
  const Settings s{{"url", "https://x"}, {"timeout", "60"}, {"bad", "12x"}, {"on", "Yes"}, {"off", "0"}, {"empty", ""}};
  EXPECT_EQ(settingText(s, "url"), "https://x");
  EXPECT_EQ(settingText(s, "missing"), "");
  EXPECT_EQ(settingInt(s, "timeout", 5), 60);
  EXPECT_EQ(settingInt(s, "empty", 5), 5);
  EXPECT_THROW(settingInt(s, "bad", 5), ConnectorError);
  EXPECT_TRUE(settingBool(s, "on", false));
  EXPECT_FALSE(settingBool(s, "off", true));
  EXPECT_TRUE(settingBool(s, "missing", true));
  const KeySpec k = describeKey("timeout", KeyType::Duration, "60s", "how long");
  EXPECT_EQ(k.key, "timeout");
  EXPECT_EQ(k.default_value, "60s");
}

}  // namespace
}  // namespace calsync
