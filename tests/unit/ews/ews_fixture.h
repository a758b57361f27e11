// Shared pieces of the EWS connector tests: a test server with one user, a connector on it,
// and times relative to now.
#pragma once

#include <gtest/gtest.h>

#include <ctime>
#include <memory>
#include <string>

#include "core/date_time.h"
#include "ews/ews_connector.h"
#include "ews_test_server.h"

namespace calsync::ews {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;

// Midnight UTC of today, so tests land on whole hours.
inline std::int64_t today() {
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  return now - now % kDay;
}

class EwsServerTest : public ::testing::Test {
 protected:
  using Server = calsync::testing::ews::EwsTestServer;
  using ItemSpec = calsync::testing::ews::ItemSpec;

  void SetUp() override { startServer(Server::Options{}); }

  void startServer(Server::Options options) {
    server_ = std::make_unique<Server>(options);
    server_->addUser("jdoe", "s3cret", "jdoe@example.com");
    calendar_ = server_->calendarFolderId("jdoe@example.com");
  }

  EwsConfig config() const {
    EwsConfig c;
    c.url = server_->url();
    c.username = "jdoe";
    c.password = "s3cret";
    c.timeout_seconds = 10;
    c.inline_backoff_limit_ms = 200;
    c.fallback_backoff_seconds = 45;
    return c;
  }

  std::unique_ptr<EwsConnector> connector(const EwsConfig& c) { return std::make_unique<EwsConnector>(c); }
  std::unique_ptr<EwsConnector> connector() { return connector(config()); }

  ItemSpec single(const std::string& subject, std::int64_t start, std::int64_t hours = 1) {
    ItemSpec spec;
    spec.subject = subject;
    spec.start = start;
    spec.end = start + hours * kHour;
    return spec;
  }

  Window window(std::int64_t from_days, std::int64_t to_days) const {
    return Window{today() + from_days * kDay, today() + to_days * kDay};
  }

  std::unique_ptr<Server> server_;
  std::string calendar_;
};

inline const CalendarObject* bySummary(const std::vector<CalendarObject>& objects, const std::string& summary) {
  for (const auto& object : objects) {
    if (!object.components.empty() && object.components.front().summary == summary) return &object;
  }
  return nullptr;
}

}  // namespace calsync::ews
