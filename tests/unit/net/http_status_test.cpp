#include <gtest/gtest.h>

#include <chrono>

#include "net/http_client.h"

namespace calsync::net {
namespace {

HttpResponse withStatus(int status, Headers headers = {}) {
  HttpResponse response;
  response.status = status;
  response.reason = "Reason";
  response.headers = std::move(headers);
  return response;
}

TEST(ErrorForStatus, MapsStatusesToKinds) {
  const std::pair<int, ErrorKind> table[] = {
      {401, ErrorKind::Auth},       {403, ErrorKind::Permission}, {404, ErrorKind::NotFound},
      {410, ErrorKind::NotFound},   {409, ErrorKind::Conflict},   {412, ErrorKind::Conflict},
      {429, ErrorKind::Throttled},  {503, ErrorKind::Throttled},  {500, ErrorKind::Protocol},
      {502, ErrorKind::Protocol},   {400, ErrorKind::Protocol},
  };
  for (const auto& [status, kind] : table) {
    EXPECT_EQ(errorForStatus(withStatus(status), "ctx").kind(), kind) << status;
  }
}

TEST(ErrorForStatus, MessageNamesContextAndStatus) {
  auto error = errorForStatus(withStatus(404), "PUT /cal/x.ics");
  std::string message = error.what();
  EXPECT_NE(message.find("PUT /cal/x.ics"), std::string::npos);
  EXPECT_NE(message.find("404"), std::string::npos);
}

TEST(ErrorForStatus, CarriesRetryAfterSeconds) {
  auto error = errorForStatus(withStatus(429, {{"retry-after", "120"}}), "ctx");
  EXPECT_EQ(error.kind(), ErrorKind::Throttled);
  EXPECT_EQ(error.retryAfterSeconds(), 120);
  EXPECT_EQ(errorForStatus(withStatus(503), "ctx").retryAfterSeconds(), 0);
}

TEST(ErrorForStatus, RetryAfterAsHttpDate) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  // An HTTP-date far in the future gives a large wait, never a negative or zero one.
  auto error = errorForStatus(withStatus(503, {{"Retry-After", "Fri, 31 Dec 2099 23:59:59 GMT"}}), "ctx");
  EXPECT_GT(error.retryAfterSeconds(), 0);
  EXPECT_LE(error.retryAfterSeconds(), 4102444799 - now.count());
}

TEST(ParseRetryAfter, DeltaSeconds) {
  EXPECT_EQ(parseRetryAfter("30", 0), 30);
  EXPECT_EQ(parseRetryAfter("  7 ", 0), 7);
  EXPECT_EQ(parseRetryAfter("0", 0), 0);
}

TEST(ParseRetryAfter, HttpDateFormats) {
  // 1994-11-06T08:49:37Z = 784111777
  const std::int64_t when = 784111777;
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", when - 90), 90);
  EXPECT_EQ(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", when - 5), 5);
  EXPECT_EQ(parseRetryAfter("Sun Nov  6 08:49:37 1994", when - 1), 1);
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", when + 100), 0);
}

TEST(ParseRetryAfter, GarbageIsNullopt) {
  EXPECT_FALSE(parseRetryAfter("", 0));
  EXPECT_FALSE(parseRetryAfter("soon", 0));
  EXPECT_FALSE(parseRetryAfter("-5", 0));
}

TEST(ParseRetryAfter, HugeDeltaIsClamped) {
  auto value = parseRetryAfter("99999999999999999999999", 0);
  ASSERT_TRUE(value);
  EXPECT_GT(*value, 0);
  EXPECT_LE(*value, 365LL * 24 * 3600);
}

}  // namespace
}  // namespace calsync::net
