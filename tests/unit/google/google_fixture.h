// A Google connector signed in to a fresh GoogleTestServer, for the connector tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/registry.h"
#include "google/google_auth.h"
#include "google/google_connector.h"
#include "ical/ical_codec.h"
#include "tests/servers/google/google_test_server.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/temp_dir.h"

namespace calsync::google::testing {

inline std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One calendar object from iCalendar text.
inline CalendarObject objectFromIcs(const std::string& vevents) {
  auto parsed = ical::parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + vevents + "END:VCALENDAR\r\n");
  EXPECT_EQ(parsed.objects.size(), 1u);
  return parsed.objects.empty() ? CalendarObject{} : parsed.objects.front();
}

class GoogleFixture : public ::testing::Test {
 protected:
  static constexpr const char* kCalendar = "work@example.com";

  void SetUp() override {
    server_.oauth().addClient("client-1", "secret-1");
    server_.addCalendar(kCalendar, "Work", "Europe/Berlin");
    server_.addCalendar("team@group.calendar.google.com", "Team Ünïcode", "UTC", "reader");
  }

  ConnectorSpec spec() const {
    ConnectorSpec spec;
    spec.name = "work";
    spec.type = "google";
    spec.data_dir = (dir_.path() / "sources" / "work").string();
    spec.settings = {{"client_id", "client-1"},
                     {"client_secret", "secret-1"},
                     {"api_url", server_.apiUrl()},
                     {"token_url", server_.tokenUrl()},
                     {"auth_url", server_.authUrl()},
                     {"ca_file", calsync::testing::testCaFile()},
                     {"timeout", "10"},
                     {"retry_wait_max", "0"}};
    for (const auto& [key, value] : extra_settings_) spec.settings[key] = value;
    return spec;
  }

  // The admin's sign-in: auth URL, the user's consent in a browser, the pasted-back address.
  void signIn() {
    auto start = authorizationUrl(spec(), "", now());
    const std::string landed = server_.oauth().consent(start.url);
    ASSERT_FALSE(landed.empty()) << start.url;
    auto status = exchangeCode(spec(), landed, "", now());
    ASSERT_TRUE(status.health == oauth::TokenHealth::Ok || status.health == oauth::TokenHealth::Expiring)
        << status.message;
  }

  std::unique_ptr<GoogleConnector> connector() {
    return std::make_unique<GoogleConnector>(GoogleConfig::fromSpec(spec()));
  }

  Window window() const { return Window{now() - 30 * 86400, now() + 90 * 86400}; }

  calsync::testing::TempDir dir_;
  calsync::testing::GoogleTestServer server_;
  Settings extra_settings_;
};

}  // namespace calsync::google::testing
