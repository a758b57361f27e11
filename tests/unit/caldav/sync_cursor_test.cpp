#include <gtest/gtest.h>

#include "caldav/sync_cursor.h"

namespace calsync::caldav {
namespace {

TEST(SyncCursor, TokenRoundTrips) {
  SyncCursor cursor;
  cursor.mode = SyncCursor::Mode::SyncToken;
  cursor.token = "http://radicale.org/ns/sync/abc%\n\t";
  auto decoded = SyncCursor::decode(cursor.encode());
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->mode, SyncCursor::Mode::SyncToken);
  EXPECT_EQ(decoded->token, cursor.token);
}

TEST(SyncCursor, EtagMapRoundTrips) {
  SyncCursor cursor;
  cursor.mode = SyncCursor::Mode::Etags;
  cursor.etags = {{"/cal/a.ics", "\"1\""}, {"/cal/b%20c.ics", "W/\"x\ty\""}, {"/cal/empty.ics", ""}};
  auto decoded = SyncCursor::decode(cursor.encode());
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->mode, SyncCursor::Mode::Etags);
  EXPECT_EQ(decoded->etags, cursor.etags);
}

TEST(SyncCursor, ForeignOrDamagedTextIsRejected) {
  EXPECT_FALSE(SyncCursor::decode(""));
  EXPECT_FALSE(SyncCursor::decode("some-other-connector-cursor"));
  EXPECT_FALSE(SyncCursor::decode("caldav-cursor-v1 sync-token\n"));
  EXPECT_FALSE(SyncCursor::decode("caldav-cursor-v1 etags\n/no-tab-here\n"));
  EXPECT_FALSE(SyncCursor::decode("caldav-cursor-v1 etags\n/a\t%ZZ\n"));
}

}  // namespace
}  // namespace calsync::caldav
