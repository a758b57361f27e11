#include <gtest/gtest.h>

#include "caldav/href.h"
#include "core/hash.h"

namespace calsync::caldav {
namespace {

TEST(CanonicalPath, SpellingsOfOneResourceCompareEqual) {
  EXPECT_EQ(canonicalPath("/cal/a%40b.ics"), canonicalPath("/cal/a@b.ics"));
  EXPECT_EQ(canonicalPath("/cal/caf%c3%a9.ics"), canonicalPath("/cal/caf\xc3\xa9.ics"));
  EXPECT_EQ(canonicalPath("/cal/caf%c3%a9.ics"), "/cal/caf%C3%A9.ics");
  EXPECT_EQ(canonicalPath("/cal/a%2Bb"), "/cal/a+b");
}

TEST(CanonicalPath, KeepsWhatMustStayEscaped) {
  EXPECT_EQ(canonicalPath("/cal/a%2Fb.ics"), "/cal/a%2Fb.ics");
  EXPECT_EQ(canonicalPath("/cal/a b.ics"), "/cal/a%20b.ics");
  EXPECT_EQ(canonicalPath("/cal/100%"), "/cal/100%25");
  EXPECT_EQ(canonicalPath("/cal/%3F%23"), "/cal/%3F%23");
}

TEST(HrefPath, ResolvesAgainstTheBase) {
  EXPECT_EQ(hrefPath("http://h/cal/", "x.ics"), "/cal/x.ics");
  EXPECT_EQ(hrefPath("http://h/cal/", "http://h/cal/x%40y.ics"), "/cal/x@y.ics");
  EXPECT_EQ(hrefPath("http://h/cal/", "/other/"), "/other/");
}

TEST(SamePath, IgnoresOneTrailingSlash) {
  EXPECT_TRUE(samePath("/a/b/", "/a/b"));
  EXPECT_FALSE(samePath("/a/b/", "/a/c/"));
  EXPECT_TRUE(samePath("/", "/"));
}

TEST(UidResourceName, PlainUidsAreUsedAsTheyAre) {
  EXPECT_EQ(uidResourceName("abc-123_x.y@host"), "abc-123_x.y@host");
  EXPECT_EQ(uidResourceName("040000008200E00074C5B7101A82E008"), "040000008200E00074C5B7101A82E008");
}

TEST(UidResourceName, OtherUidsAreHashed) {
  for (const std::string& uid : std::vector<std::string>{"a/b c", "\xc3\xbc", "{x}+", ".hidden", std::string(201, 'a')}) {
    EXPECT_EQ(uidResourceName(uid), "sha256-" + sha256Hex(uid)) << uid;
  }
  EXPECT_NE(uidResourceName("a/b"), uidResourceName("a/c"));
}

}  // namespace
}  // namespace calsync::caldav
