#include <gtest/gtest.h>

#include "net/http_client.h"
#include "net/url.h"

namespace calsync::net {
namespace {

TEST(ResolveUrl, AbsoluteReferenceWins) {
  EXPECT_EQ(resolveUrl("http://a.example/x/y", "https://b.example/z"), "https://b.example/z");
}

TEST(ResolveUrl, AbsolutePathKeepsOrigin) {
  EXPECT_EQ(resolveUrl("https://dav.example:8443/cal/home/", "/cal/other/"), "https://dav.example:8443/cal/other/");
}

TEST(ResolveUrl, RelativePathMergesWithBaseDirectory) {
  EXPECT_EQ(resolveUrl("http://h/dav/cal/", "event.ics"), "http://h/dav/cal/event.ics");
  EXPECT_EQ(resolveUrl("http://h/dav/cal/old.ics", "new.ics"), "http://h/dav/cal/new.ics");
  EXPECT_EQ(resolveUrl("http://h/dav/cal/", "../other/"), "http://h/dav/other/");
  EXPECT_EQ(resolveUrl("http://h/dav/cal/", "./x/./y/../z"), "http://h/dav/cal/x/z");
}

TEST(ResolveUrl, SchemeRelativeReferenceTakesBaseScheme) {
  EXPECT_EQ(resolveUrl("https://h/a", "//other.example/b"), "https://other.example/b");
}

TEST(ResolveUrl, PercentEncodingIsKeptAsWritten) {
  EXPECT_EQ(resolveUrl("http://h/cal/", "/cal/a%40b%2Fc.ics"), "http://h/cal/a%40b%2Fc.ics");
}

TEST(ResolveUrl, QueryOnlyAndEmptyReferences) {
  EXPECT_EQ(resolveUrl("http://h/a/b?x=1", "?y=2"), "http://h/a/b?y=2");
  EXPECT_EQ(resolveUrl("http://h/a/b?x=1", ""), "http://h/a/b?x=1");
  EXPECT_EQ(resolveUrl("http://h/a/b", "#frag"), "http://h/a/b");
}

TEST(ParseUrl, SplitsTheParts) {
  auto parts = parseUrl("HTTPS://Dav.Example:8443/a/b%20c?q=1#f");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->scheme, "https");
  EXPECT_EQ(parts->host, "dav.example");
  EXPECT_EQ(parts->port, 8443);
  EXPECT_EQ(parts->path, "/a/b%20c");
  EXPECT_EQ(parts->query, "q=1");
  EXPECT_FALSE(parts->has_userinfo);
}

TEST(ParseUrl, DefaultsAndIpv6) {
  auto plain = parseUrl("http://h");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->path, "/");
  auto v6 = parseUrl("https://[::1]:9/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9);
  EXPECT_EQ(originOf(*v6), "https://[::1]:9");
}

TEST(ParseUrl, RejectsWhatIsNotHttp) {
  EXPECT_FALSE(parseUrl("ftp://h/x"));
  EXPECT_FALSE(parseUrl("/just/a/path"));
  EXPECT_FALSE(parseUrl("http:///nohost"));
  EXPECT_FALSE(parseUrl("http://h:99999/"));
  EXPECT_FALSE(parseUrl("http://h:12ab/"));
}

TEST(RedactUrl, DropsCredentialsAndQuery) {
  auto parts = parseUrl("https://user:pw@h/p?token=abc");
  ASSERT_TRUE(parts);
  EXPECT_TRUE(parts->has_userinfo);
  EXPECT_EQ(redactUrl("https://user:pw@h/p?token=abc"), "https://h/p");
}

}  // namespace
}  // namespace calsync::net
