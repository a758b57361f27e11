// The URL form of the ics connector against a loopback HTTP server.
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "core/date_time.h"
#include "core/errors.h"
#include "ics/ics_connector.h"
#include "tests/support/error_kind.h"
#include "tests/unit/ics/ics_test_support.h"

namespace calsync::ics {
namespace {

using calsync::testing::errorKindOf;
using test::kYear2026;

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CALSYNC_SOURCE_DIR) + "/tests/fixtures/ics/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Serves a few fixed paths; /private.ics wants Basic auth as alice:s3cret.
class CalendarHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit CalendarHandler(std::atomic<int>& requests) : requests_(requests) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    ++requests_;
    const std::string path = request.getURI();
    std::string body;
    if (path == "/team.ics") {
      body = fixture("recurring.ics");
    } else if (path == "/private.ics") {
      bool allowed = false;
      if (request.hasCredentials()) {
        Poco::Net::HTTPBasicCredentials credentials(request);
        allowed = credentials.getUsername() == "alice" && credentials.getPassword() == "s3cret";
      }
      if (!allowed) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
        response.set("WWW-Authenticate", "Basic realm=\"test\"");
        response.send() << "no";
        return;
      }
      body = fixture("allday.ics");
    } else if (path == "/login") {
      body = "<html><body>Please sign in</body></html>";
    } else if (path == "/broken") {
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
      response.send() << "oops";
      return;
    } else {
      response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      response.send() << "not here";
      return;
    }
    response.setContentType("text/calendar; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

 private:
  std::atomic<int>& requests_;
};

class CalendarHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit CalendarHandlerFactory(std::atomic<int>& requests) : requests_(requests) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new CalendarHandler(requests_);
  }

 private:
  std::atomic<int>& requests_;
};

class IcsSubscription : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Poco::Net::HTTPServer>(new CalendarHandlerFactory(requests_), socket_,
                                                      new Poco::Net::HTTPServerParams);
    server_->start();
  }
  void TearDown() override { server_->stop(); }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
  }
  std::unique_ptr<IcsConnector> connector(const std::string& path, Settings extra = {}) const {
    extra["url"] = url(path);
    return std::make_unique<IcsConnector>(ConnectorSpec{"feed", "ics", std::move(extra), "/tmp"});
  }

  std::atomic<int> requests_{0};
  Poco::Net::ServerSocket socket_{Poco::Net::SocketAddress("127.0.0.1", 0)};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

TEST_F(IcsSubscription, FetchesOneCalendar) {
  auto feed = connector("/team.ics");
  const auto calendars = feed->listCalendars();
  ASSERT_EQ(calendars.size(), 1u);
  EXPECT_EQ(calendars[0].id, "subscription");
  EXPECT_EQ(calendars[0].name, "Team");
  const ChangeSet changes = feed->pull("subscription", kYear2026, "");
  EXPECT_TRUE(changes.complete);
  ASSERT_EQ(changes.upserts.size(), 1u);
  EXPECT_EQ(changes.upserts[0].native_id, "subscription#weekly-standup@example.com");
  EXPECT_EQ(feed->pull("subscription", kYear2026, changes.cursor).cursor, changes.cursor);
  EXPECT_EQ(requests_.load(), 3);
}

TEST_F(IcsSubscription, SendsBasicAuthWhenConfigured) {
  EXPECT_EQ(errorKindOf([&] { connector("/private.ics")->pull("subscription", kYear2026, ""); }), ErrorKind::Auth);
  auto feed = connector("/private.ics", {{"username", "alice"}, {"password", "s3cret"}});
  EXPECT_EQ(feed->pull("subscription", kYear2026, "").upserts.size(), 2u);
}

TEST_F(IcsSubscription, FailedFetchesThrowInsteadOfLookingEmpty) {
  EXPECT_EQ(errorKindOf([&] { connector("/gone.ics")->pull("subscription", kYear2026, ""); }), ErrorKind::NotFound);
  EXPECT_EQ(errorKindOf([&] { connector("/broken")->pull("subscription", kYear2026, ""); }), ErrorKind::Protocol);
  EXPECT_EQ(errorKindOf([&] { connector("/login")->pull("subscription", kYear2026, ""); }), ErrorKind::BadData);
  try {
    connector("/gone.ics?token=SECRET-TOKEN")->pull("subscription", kYear2026, "");
    ADD_FAILURE() << "no error";
  } catch (const ConnectorError& e) {
    EXPECT_EQ(std::string(e.what()).find("SECRET-TOKEN"), std::string::npos) << e.what();
  }
  // Nothing listens here: a transport failure.
  Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::string dead = "http://127.0.0.1:" + std::to_string(closed.address().port()) + "/x.ics";
  closed.close();
  IcsConnector unreachable(ConnectorSpec{"feed", "ics", {{"url", dead}}, "/tmp"});
  EXPECT_EQ(errorKindOf([&] { unreachable.pull("subscription", kYear2026, ""); }), ErrorKind::Network);
  EXPECT_EQ(errorKindOf([&] { connector("/team.ics")->pull("other", kYear2026, ""); }), ErrorKind::NotFound);
}

}  // namespace
}  // namespace calsync::ics
