#include "daemon/config/value_check.h"

#include <gtest/gtest.h>

#include "daemon/config/config.h"

namespace calsync::config {
namespace {

TEST(ValueCheck, DurationsInEveryUnit) {
  EXPECT_EQ(parseDuration("45"), 45);
  EXPECT_EQ(parseDuration("45s"), 45);
  EXPECT_EQ(parseDuration("30m"), 1800);
  EXPECT_EQ(parseDuration("2h"), 7200);
  EXPECT_EQ(parseDuration("30d"), 30 * 86400);
  EXPECT_EQ(parseDuration("1w"), 7 * 86400);
  for (const char* bad : {"", "m", "-5m", "1.5h", "30 m", "30M", "30y", "99999999999999999999d", "1e3"}) {
    EXPECT_FALSE(parseDuration(bad)) << bad;
  }
}

TEST(ValueCheck, FormatsDurationsInTheLargestExactUnit) {
  EXPECT_EQ(formatDuration(0), "0s");
  EXPECT_EQ(formatDuration(90), "90s");
  EXPECT_EQ(formatDuration(1800), "30m");
  EXPECT_EQ(formatDuration(7200), "2h");
  EXPECT_EQ(formatDuration(3650 * 86400), "3650d");
}

TEST(ValueCheck, Booleans) {
  for (const char* yes : {"true", "TRUE", "yes", "on", "1"}) EXPECT_EQ(parseBool(yes), true) << yes;
  for (const char* no : {"false", "No", "off", "0"}) EXPECT_EQ(parseBool(no), false) << no;
  for (const char* bad : {"", "2", "y", "enabled"}) EXPECT_FALSE(parseBool(bad)) << bad;
}

TEST(ValueCheck, HostPorts) {
  for (const char* good : {"0.0.0.0:8008", "localhost:1", "[::1]:65535", "[fe80::1]:443", "master.example.com:8008"}) {
    EXPECT_TRUE(isHostPort(good)) << good;
  }
  for (const char* bad : {"", "localhost", ":8008", "host:0", "host:65536", "host:http", "::1:8008", "[::1]", "[::1]8008", "host:80:81"}) {
    EXPECT_FALSE(isHostPort(bad)) << bad;
  }
}

TEST(ValueCheck, Urls) {
  for (const char* good : {"https://master.example.com:8008", "http://localhost/", "HTTPS://[::1]:8443/dav?x=1",
                           "https://user:pw@dav.example.com/cal/"}) {
    EXPECT_TRUE(isHttpUrl(good)) << good;
  }
  for (const char* bad : {"", "master.example.com", "ftp://host/", "https://", "https:///path", "https://host:0/", "https://host:x/"}) {
    EXPECT_FALSE(isHttpUrl(bad)) << bad;
  }
}

TEST(ValueCheck, IntegersAreCheckedAgainstTheirRange) {
  KeySpec spec;
  spec.type = KeyType::Int;
  spec.min = 1;
  spec.max = 100;
  EXPECT_EQ(checkValue(spec, "+7").value, "7");
  EXPECT_EQ(checkValue(spec, "0").reason, "0 is out of range 1..100");
  EXPECT_EQ(checkValue(spec, "7x").reason, "'7x' is not an integer");
  spec.max = INT64_MAX;
  EXPECT_EQ(checkValue(spec, "-1").reason, "-1 is out of range >= 1");
}

TEST(ValueCheck, ListsAreTrimmedAndMayBeEmpty) {
  KeySpec spec;
  spec.type = KeyType::List;
  EXPECT_EQ(checkValue(spec, " a ,b,  c d ").value, "a, b, c d");
  EXPECT_TRUE(checkValue(spec, "").ok);
  EXPECT_FALSE(checkValue(spec, "a,").ok);
  EXPECT_EQ(splitList(" a ,b,  c d "), (std::vector<std::string>{"a", "b", "c d"}));
  EXPECT_TRUE(splitList("").empty());
}

}  // namespace
}  // namespace calsync::config
