// `calsyncctl auth google|graph`: signs a configured section in against the OAuth test
// provider and stores the tokens where the connector reads them (discover then works with the
// same section).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "ctl_runner.h"
#include "tests/servers/google/google_test_server.h"
#include "tests/servers/graph/graph_test_server.h"
#include "tests/support/temp_dir.h"

namespace calsync::ctl {
namespace {

using testing::runCtl;
using testing::ScopedEnv;

class GoogleAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.oauth().addClient("client-1", "secret-1");
    server_.addCalendar("work@example.com", "Work", "Europe/Berlin");
    ini_ = dir_.write("calsyncd.ini",
                      "[daemon]\nmode = agent\ndata_dir = data\n[agent]\nid = a\nmaster_url = https://m.example.com\n"
                      "[source.g]\ntype = google\nclient_id = client-1\nclient_secret = env:CTL_GOOGLE_SECRET\n"
                      "api_url = " + server_.apiUrl() + "\ntoken_url = " + server_.tokenUrl() + "\nauth_url = " +
                          server_.authUrl() + "\nca_file = " + calsync::testing::testCaFile() + "\n"
                      "[source.ics]\ntype = ics\npath = x.ics\n");
  }
  testing::CtlRun ctl(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.end(), {"--config", ini_});
    return runCtl(args, input);
  }

  calsync::testing::TempDir dir_;
  calsync::testing::GoogleTestServer server_;
  ScopedEnv secret_{"CTL_GOOGLE_SECRET", "secret-1"};
  std::string ini_;
};

TEST_F(GoogleAuth, UrlThenCodeStoresTheSignInWhereTheConnectorReadsIt) {
  auto r = ctl({"auth", "google", "--source", "g", "--status"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.out.find("consent_missing"), std::string::npos) << r.out;
  EXPECT_EQ(ctl({"discover", "google", "--source", "g"}).code, kExitFailed) << "nothing to list before the sign-in";

  r = ctl({"auth", "google", "--source", "g", "--url-only"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::string url = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(url.rfind(server_.authUrl(), 0), 0u) << url;
  EXPECT_NE(r.err.find("calsyncctl auth google --source g --code"), std::string::npos) << r.err;
  const std::string landed = server_.oauth().consent(url, "work@example.com");
  ASSERT_FALSE(landed.empty());

  r = ctl({"auth", "google", "--source", "g", "--code", landed});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("google sign-in of [source.g]: ok"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "data" / "sources" / "g" / "oauth-tokens.enc"));
  EXPECT_EQ(ctl({"auth", "google", "--source", "g", "--status"}).code, kExitOk);

  r = ctl({"discover", "google", "--source", "g"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Work"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("calendars = work@example.com"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("secret-1"), std::string::npos);
}

TEST_F(GoogleAuth, TheAddressCanBePastedAndABadOneIsRefused) {
  auto r = ctl({"auth", "google", "--source", "g"}, "");
  EXPECT_EQ(r.code, kExitFailed) << "no address entered";
  EXPECT_NE(r.err.find("--code"), std::string::npos) << r.err;
  EXPECT_FALSE(r.out.empty()) << "the URL was shown";

  r = ctl({"auth", "google", "--source", "g"}, "http://127.0.0.1:8765/?code=forged&state=wrong\n");
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_NE(r.err.find("exchanging the code failed"), std::string::npos) << r.err;
}

TEST_F(GoogleAuth, TheSectionMustBeNamedAndOfTheRightType) {
  EXPECT_EQ(ctl({"auth", "google"}).code, kExitUsage);
  EXPECT_EQ(ctl({"auth", "google", "--source", "g", "--destination"}).code, kExitUsage);
  auto r = ctl({"auth", "google", "--source", "ics"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("is of type ics, not google"), std::string::npos) << r.err;
  r = ctl({"auth", "google", "--destination"});
  EXPECT_EQ(r.code, kExitConfig);
  EXPECT_NE(r.err.find("no [destination] section"), std::string::npos) << r.err;
}

TEST_F(GoogleAuth, ADestinationSwitchedByADropInIsReadAsCalsyncdReadsIt) {
  // The main file's CalDAV destination, then a drop-in (as POST /sync/config/destination/google
  // writes it) that makes it a Google calendar: the CalDAV keys must not leak into it.
  std::ofstream(ini_, std::ios::app) << "[destination]\ntype = caldav\nurl = https://dav.example.com/cal/\n";
  std::filesystem::create_directories(dir_.path() / "conf.d");
  dir_.write("conf.d/90-destination.ini",
             "[destination]\ntype = google\nclient_id = client-1\nclient_secret = env:CTL_GOOGLE_SECRET\n"
             "api_url = " + server_.apiUrl() + "\ntoken_url = " + server_.tokenUrl() + "\nauth_url = " +
                 server_.authUrl() + "\nca_file = " + calsync::testing::testCaFile() + "\n");
  auto r = ctl({"auth", "google", "--destination", "--url-only"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind(server_.authUrl(), 0), 0u) << r.out;
}

// Collects output written from another thread, readable while it is being written.
class SharedText : public std::streambuf {
 public:
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return 0;
    std::lock_guard lock(mutex_);
    text_.push_back(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    text_.append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  std::mutex mutex_;
  std::string text_;
};

TEST(GraphAuth, TheDeviceCodeFlowWaitsForTheSignIn) {
  calsync::testing::GraphTestServer server;
  server.oauth().addClient("graph-app", "");
  server.addMailbox("jdoe@contoso.com");
  server.addCalendar("jdoe@contoso.com", "Calendar");
  calsync::testing::TempDir dir;
  const std::string ini = dir.write(
      "calsyncd.ini", "[daemon]\nmode = agent\ndata_dir = data\n[agent]\nid = a\nmaster_url = https://m.example.com\n"
                      "[source.mail]\ntype = graph\nclient_id = graph-app\ntenant = contoso\nlogin_url = " + server.loginUrl() +
                          "\napi_url = " + server.apiUrl() + "\nca_file = " + calsync::testing::testCaFile() + "\n");
  SharedText out_text;
  std::ostream out(&out_text);
  std::ostringstream err;
  std::istringstream in;
  int code = -1;
  std::thread cli([&] { code = run({"auth", "graph", "--source", "mail", "--config", ini}, Io{out, err, in}); });

  // The person reads the code off the terminal and types it at the verification page.
  const std::regex shown(R"(code: (\S+))");
  std::smatch match;
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!std::regex_search(seen = out_text.text(), match, shown) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const bool approved = !match.empty() && server.oauth().approveDevice(match[1], "jdoe@contoso.com");
  cli.join();
  ASSERT_TRUE(approved) << seen << err.str();
  EXPECT_EQ(code, kExitOk) << err.str();
  EXPECT_NE(out_text.text().find("graph sign-in of [source.mail]: ok"), std::string::npos) << out_text.text();
  EXPECT_NE(out_text.text().find("Waiting for the sign-in"), std::string::npos);

  const auto r = runCtl({"discover", "graph", "--source", "mail", "--config", ini});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("graph-calendar"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace calsync::ctl
