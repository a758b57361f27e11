// Protocol edge cases no well-behaved server produces on demand, against a scripted server.
#include <gtest/gtest.h>

#include <map>

#include "caldav/caldav_connector.h"
#include "caldav/sync_cursor.h"
#include "tests/support/fake_http_server.h"
#include "tests/unit/caldav/test_events.h"

namespace calsync::caldav {
namespace {

using calsync::testing::FakeHttpServer;
using calsync::testing::FakeRequest;
using calsync::testing::FakeResponse;
using namespace calsync::caldav::testing;

const std::string kCalendar = "/cal/";

FakeResponse xml(int status, std::string body) {
  FakeResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/xml; charset=utf-8"}};
  response.body = std::move(body);
  return response;
}

std::string multistatus(const std::string& inner) {
  return "<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">" + inner +
         "</D:multistatus>";
}

std::string member(const std::string& href, const std::string& etag) {
  return "<D:response><D:href>" + href + "</D:href><D:propstat><D:prop><D:getetag>" + etag +
         "</D:getetag></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>";
}

std::string memberWithData(const std::string& href, const std::string& etag, const std::string& data) {
  return "<D:response><D:href>" + href + "</D:href><D:propstat><D:prop><D:getetag>" + etag +
         "</D:getetag><C:calendar-data><![CDATA[" + data +
         "]]></C:calendar-data></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>";
}

std::string syncToken(const std::string& token) { return "<D:sync-token>" + token + "</D:sync-token>"; }

bool isSync(const FakeRequest& r) { return r.method == "REPORT" && r.body.find("sync-collection") != std::string::npos; }
bool isMultiget(const FakeRequest& r) {
  return r.method == "REPORT" && r.body.find("calendar-multiget") != std::string::npos;
}

// Answers a multiget from a fixed set of resources.
FakeResponse multigetAnswer(const FakeRequest& r, const std::map<std::string, std::string>& resources) {
  std::string inner;
  for (const auto& [href, data] : resources) {
    if (r.body.find("<D:href>" + href + "</D:href>") != std::string::npos) inner += memberWithData(href, "\"e-" + href + "\"", data);
  }
  return xml(207, multistatus(inner));
}

std::unique_ptr<CaldavConnector> connectorFor(const FakeHttpServer& server) {
  CaldavConfig config;
  config.url = server.baseUrl() + kCalendar;
  config.username = "u";
  config.password = "p";
  config.timeout_seconds = 5;
  return std::make_unique<CaldavConnector>(config);
}

ErrorKind pullError(CaldavConnector& connector, const std::string& cursor = "") {
  try {
    connector.pull(kCalendar, year2026(), cursor);
  } catch (const ConnectorError& error) {
    return error.kind();
  }
  ADD_FAILURE() << "pull returned instead of throwing";
  return ErrorKind::Config;
}

const std::map<std::string, std::string> kTwoEvents = {{"/cal/a.ics", icalText("a", "A")},
                                                       {"/cal/b.ics", icalText("b", "B")}};

TEST(CaldavProtocol, FallsBackToEtagListingWhenSyncCollectionIsNotImplemented) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r)) return xml(501, "");
    if (r.method == "PROPFIND" && r.header("Depth") == "1") {
      return xml(207, multistatus(member("/cal/", "\"col\"") + member("/cal/a.ics", "\"1\"") +
                                  member("/cal/b.ics", "\"2\"")));
    }
    if (isMultiget(r)) return multigetAnswer(r, kTwoEvents);
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  auto changes = connector->pull(kCalendar, year2026(), "");
  EXPECT_TRUE(changes.complete);
  EXPECT_EQ(changes.upserts.size(), 2u);
  auto cursor = SyncCursor::decode(changes.cursor);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->mode, SyncCursor::Mode::Etags);
  EXPECT_EQ(cursor->etags.size(), 2u);
}

TEST(CaldavProtocol, TruncatedSyncIsContinuedWithTheNewToken) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r) && r.body.find("<D:sync-token></D:sync-token>") != std::string::npos) {
      std::string truncated = "<D:response><D:href>/cal/</D:href><D:status>HTTP/1.1 507 Insufficient Storage</D:status>"
                              "<D:error><D:number-of-matches-within-limits/></D:error></D:response>";
      return xml(207, multistatus(member("/cal/a.ics", "\"1\"") + truncated + syncToken("t1")));
    }
    if (isSync(r) && r.body.find("<D:sync-token>t1</D:sync-token>") != std::string::npos) {
      return xml(207, multistatus(member("/cal/b.ics", "\"2\"") + syncToken("t2")));
    }
    if (isMultiget(r)) return multigetAnswer(r, kTwoEvents);
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  auto changes = connector->pull(kCalendar, year2026(), "");
  EXPECT_TRUE(changes.complete);
  EXPECT_EQ(changes.upserts.size(), 2u);
  auto cursor = SyncCursor::decode(changes.cursor);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->token, "t2");
}

TEST(CaldavProtocol, InvalidTokenWithConflictStatusRestartsFromScratch) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r) && r.body.find("<D:sync-token>old</D:sync-token>") != std::string::npos) {
      return xml(409, "<?xml version=\"1.0\"?><D:error xmlns:D=\"DAV:\"><D:valid-sync-token/></D:error>");
    }
    if (isSync(r)) return xml(207, multistatus(member("/cal/a.ics", "\"1\"") + member("/cal/b.ics", "\"2\"") + syncToken("new")));
    if (isMultiget(r)) return multigetAnswer(r, kTwoEvents);
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  auto changes = connector->pull(kCalendar, year2026(), SyncCursor{SyncCursor::Mode::SyncToken, "old", {}}.encode());
  EXPECT_TRUE(changes.complete);
  EXPECT_EQ(changes.upserts.size(), 2u);
  EXPECT_TRUE(changes.removed.empty());
}

TEST(CaldavProtocol, DoctypeInAnAnswerIsRefused) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r)) {
      return xml(207, "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x \"y\">]><D:multistatus xmlns:D=\"DAV:\">"
                      "<D:sync-token>t</D:sync-token></D:multistatus>");
    }
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  EXPECT_EQ(pullError(*connector), ErrorKind::Protocol);
}

TEST(CaldavProtocol, GarbageXmlIsAProtocolError) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r)) return xml(207, "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/cal/a.ics");
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  EXPECT_EQ(pullError(*connector), ErrorKind::Protocol);
}

TEST(CaldavProtocol, ServerErrorMidSyncThrowsInsteadOfAPartialListing) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r)) return xml(207, multistatus(member("/cal/a.ics", "\"1\"") + member("/cal/b.ics", "\"2\"") + syncToken("t")));
    if (isMultiget(r)) {
      // The first batch works, the second fails.
      if (r.body.find("/cal/a.ics") != std::string::npos) return multigetAnswer(r, kTwoEvents);
      return xml(500, "");
    }
    return xml(400, "");
  });
  CaldavConfig config;
  config.url = server.baseUrl() + kCalendar;
  config.timeout_seconds = 5;
  config.multiget_batch = 1;
  CaldavConnector connector(config);
  EXPECT_EQ(pullError(connector), ErrorKind::Protocol);
}

TEST(CaldavProtocol, MultigetThatLeavesOutAResourceIsAProtocolError) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r)) return xml(207, multistatus(member("/cal/a.ics", "\"1\"") + member("/cal/b.ics", "\"2\"") + syncToken("t")));
    if (isMultiget(r)) return multigetAnswer(r, {{"/cal/a.ics", icalText("a", "A")}});
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  EXPECT_EQ(pullError(*connector), ErrorKind::Protocol);
}

TEST(CaldavProtocol, UnreadableResourceIsAWarningAndIsKept) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r)) return xml(207, multistatus(member("/cal/a.ics", "\"1\"") + member("/cal/bad.ics", "\"2\"") + syncToken("t")));
    if (isMultiget(r)) {
      return multigetAnswer(r, {{"/cal/a.ics", icalText("a", "A")},
                                {"/cal/bad.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:no uid, no start\r\n"
                                                 "END:VEVENT\r\nEND:VCALENDAR\r\n"}});
    }
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  auto changes = connector->pull(kCalendar, year2026(), "");
  EXPECT_TRUE(changes.complete);
  ASSERT_EQ(changes.upserts.size(), 1u);
  EXPECT_EQ(changes.upserts[0].uid, "a");
  EXPECT_EQ(changes.out_of_window, (std::vector<std::string>{"/cal/bad.ics"}));
  ASSERT_EQ(changes.warnings.size(), 1u);
  EXPECT_EQ(changes.warnings[0].where, "/cal/bad.ics");
}

TEST(CaldavProtocol, AuthFailureIsAnAuthError) {
  FakeHttpServer server([](const FakeRequest&) { return xml(401, ""); });
  auto connector = connectorFor(server);
  EXPECT_EQ(pullError(*connector), ErrorKind::Auth);
}

TEST(CaldavProtocol, ThrottlingCarriesRetryAfter) {
  FakeHttpServer server([](const FakeRequest&) {
    auto response = xml(503, "");
    response.headers.emplace_back("Retry-After", "42");
    return response;
  });
  auto connector = connectorFor(server);
  try {
    connector->pull(kCalendar, year2026(), "");
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Throttled);
    EXPECT_EQ(error.retryAfterSeconds(), 42);
  }
}

TEST(CaldavProtocol, CalendarPreconditionFailureIsBadDataNamingIt) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (r.method == "PUT") {
      return xml(403, "<?xml version=\"1.0\"?><D:error xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                      "<C:valid-calendar-data/></D:error>");
    }
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  EventChange change;
  change.calendar = kCalendar;
  change.object = singleEvent("x", "X");
  change.object.components[0].organizer = Person{"boss@example.com", "Boss"};
  try {
    connector->apply(change);
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadData);
    EXPECT_NE(std::string(error.what()).find("valid-calendar-data"), std::string::npos);
  }
  auto puts = server.requests();
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0].header("If-None-Match"), "*");
  EXPECT_EQ(puts[0].header("Content-Type"), "text/calendar; charset=utf-8");
  // A copy must never make the server send invitations.
  EXPECT_NE(puts[0].body.find("SCHEDULE-AGENT=CLIENT"), std::string::npos);
}

TEST(CaldavProtocol, SyncRequestIsDepthZeroWithTheStoredToken) {
  FakeHttpServer server([](const FakeRequest& r) {
    if (isSync(r)) return xml(207, multistatus(syncToken("next")));
    return xml(400, "");
  });
  auto connector = connectorFor(server);
  auto changes = connector->pull(kCalendar, year2026(), SyncCursor{SyncCursor::Mode::SyncToken, "prev&<", {}}.encode());
  EXPECT_FALSE(changes.complete);
  EXPECT_TRUE(changes.upserts.empty());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("Depth"), "0");
  EXPECT_NE(requests[0].body.find("<D:sync-token>prev&amp;&lt;</D:sync-token>"), std::string::npos);
  EXPECT_NE(requests[0].body.find("<D:sync-level>1</D:sync-level>"), std::string::npos);
}

}  // namespace
}  // namespace calsync::caldav
