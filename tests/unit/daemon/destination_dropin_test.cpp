// The destination switch of the admin API, daemon side: the conf.d drop-in is planned and
// validated with the whole configuration before anything is written, holds no secret, replaces
// the main file's [destination] whole, and carries the sign-in into the destination's
// encrypted token store; when carrying fails, the previous drop-in is put back.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "daemon/destination_dropin.h"
#include "master/daemon_control.h"
#include "oauth/token_store.h"
#include "tests/support/temp_dir.h"

namespace calsync::daemon {
namespace {

namespace fs = std::filesystem;
constexpr const char* kCalendar = "work@example.com";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class DestinationDropInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::chmod(dir_.write("google.secret", "secret-value\n").c_str(), 0600);
    main_ = dir_.write("calsyncd.ini",
                       "[daemon]\nmode = standalone\ndata_dir = " + (dir_.path() / "data").string() + "\n\n"
                       "[master]\nlisten = 127.0.0.1:18999\nallow_plain_http = true\n\n"
                       "[destination]\ntype = caldav\nurl = https://dav.example.com/cal/\nusername = jdoe\n\n"
                       "[source.work]\ntype = google\nclient_id = client-1\nclient_secret_file = google.secret\n"
                       "api_url = https://127.0.0.1:1/calendar/v3\ntimeout = 30s\ncalendars = team@example.com\n");
    fs::create_directories(dir_.path() / "conf.d");
    oauth::StoredCredentials signed_in;
    signed_in.refresh_token = "refresh-token-value";
    signed_in.access_token = "access-token-value";
    signed_in.pending_state = "left-over-state";
    workStore().save(signed_in);
  }

  config::Config running() { return config::load(main_); }
  oauth::TokenStore workStore() const { return oauth::TokenStore(dir_.path() / "data" / "sources" / "work"); }
  oauth::TokenStore destinationStore() const { return oauth::TokenStore(dir_.path() / "data" / "destination"); }
  std::string dropIn() const { return (dir_.path() / "conf.d" / kDestinationDropInName).string(); }

  // The code of the ControlError `action` throws; "" when it throws none.
  template <typename Action>
  std::string refusal(Action&& action, int* status = nullptr, std::string* message = nullptr) {
    try {
      action();
    } catch (const master::ControlError& e) {
      if (status) *status = e.status();
      if (message) *message = e.what();
      return e.code();
    }
    return "";
  }

  calsync::testing::TempDir dir_;
  std::string main_;
};

TEST_F(DestinationDropInTest, PlansADropInWithoutSecretsAndValidatesTheWholeResult) {
  const DestinationPlan plan = planDestination(running(), "work", kCalendar, "a test");
  EXPECT_EQ(plan.path, dropIn());
  EXPECT_FALSE(fs::exists(plan.path)) << "planning writes nothing";
  EXPECT_NE(plan.text.find("[destination]\ntype = google\ncalendar = work@example.com\n"), std::string::npos) << plan.text;
  EXPECT_NE(plan.text.find("client_id = client-1\n"), std::string::npos);
  EXPECT_NE(plan.text.find("api_url = https://127.0.0.1:1/calendar/v3\n"), std::string::npos);
  EXPECT_NE(plan.text.find("timeout = 30s\n"), std::string::npos);
  EXPECT_EQ(plan.text.find("secret-value"), std::string::npos);
  EXPECT_EQ(plan.text.find("client_secret"), std::string::npos);
  EXPECT_EQ(plan.text.find("calendars"), std::string::npos) << "source-only keys stay behind";
  EXPECT_EQ(plan.client_secret, "secret-value");
  ASSERT_TRUE(plan.result.destination);
  EXPECT_EQ(plan.result.destination->spec.type, "google");
  EXPECT_EQ(plan.result.destination->calendar, kCalendar);
  EXPECT_EQ(plan.result.destination->spec.settings.count("url"), 0u) << "the caldav keys are gone";
}

TEST_F(DestinationDropInTest, ApplyingWritesTheDropInAndCarriesTheSignInEncrypted) {
  applyDestination(planDestination(running(), "work", kCalendar, "a test"));
  const config::Config after = running();
  ASSERT_TRUE(after.destination);
  EXPECT_EQ(after.destination->spec.type, "google");
  EXPECT_EQ(after.destination->calendar, kCalendar);
  EXPECT_EQ(after.destination->spec.settings.at("client_secret"), "") << "the secret is in no INI file";
  struct stat info {};
  ASSERT_EQ(::stat(dropIn().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 077, 0u);
  EXPECT_EQ(slurp(dropIn()).find("secret-value"), std::string::npos);

  const auto carried = destinationStore().load();
  ASSERT_TRUE(carried.has_value());
  EXPECT_EQ(carried->refresh_token, "refresh-token-value");
  EXPECT_EQ(carried->client_secret, "secret-value");
  EXPECT_TRUE(carried->pending_state.empty());
  EXPECT_EQ(workStore().load()->refresh_token, "refresh-token-value") << "the source keeps its sign-in";

  // Pointing the (now google) destination at another calendar keeps its sign-in.
  applyDestination(planDestination(after, "destination", "other@example.com", "again"));
  EXPECT_EQ(running().destination->calendar, "other@example.com");
  EXPECT_EQ(destinationStore().load()->refresh_token, "refresh-token-value");
  EXPECT_EQ(destinationStore().load()->client_secret, "secret-value");
}

TEST_F(DestinationDropInTest, WithoutConfDItSaysWhatToDoAndWritesNothing) {
  fs::remove(dir_.path() / "conf.d");
  int status = 0;
  std::string message;
  EXPECT_EQ(refusal([&] { planDestination(running(), "work", kCalendar, "x"); }, &status, &message), "no_conf_d");
  EXPECT_EQ(status, 409);
  EXPECT_NE(message.find((dir_.path() / "conf.d").string()), std::string::npos) << message;
  EXPECT_NE(message.find("install -d"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir_.path() / "conf.d"));
}

TEST_F(DestinationDropInTest, AResultThatWouldNotLoadOrIsOverriddenLaterIsRefused) {
  const config::Config config = running();
  dir_.write("conf.d/95-mine.ini", "[destination]\nbogus_key = 1\n");
  EXPECT_EQ(refusal([&] { planDestination(config, "work", kCalendar, "x"); }), "invalid_configuration");
  dir_.write("conf.d/95-mine.ini", "[destination]\ncalendar = somewhere-else\n");
  EXPECT_EQ(refusal([&] { planDestination(config, "work", kCalendar, "x"); }), "overridden");
  EXPECT_FALSE(fs::exists(dropIn()));

  fs::remove(dir_.path() / "conf.d" / "95-mine.ini");
  int status = 0;
  EXPECT_EQ(refusal([&] { planDestination(config, "work", "a\n[source.evil]", "x"); }, &status), "bad_value");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(refusal([&] { planDestination(config, "nope", kCalendar, "x"); }), "no_such_section");
}

TEST_F(DestinationDropInTest, WhenTheSignInCannotBeCarriedThePreviousDropInIsPutBack) {
  const std::string previous = "[destination]\ntype = caldav\nurl = https://previous.example.com/\n";
  dir_.write("conf.d/90-destination.ini", previous);
  const DestinationPlan plan = planDestination(running(), "work", kCalendar, "x");
  ASSERT_EQ(::chmod((dir_.path() / "data" / "sources" / "work" / "oauth.key").c_str(), 0644), 0);
  std::string message;
  EXPECT_EQ(refusal([&] { applyDestination(plan); }, nullptr, &message), "sign_in_not_carried");
  EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
  EXPECT_EQ(slurp(dropIn()), previous);
  EXPECT_EQ(running().destination->spec.type, "caldav");
  EXPECT_FALSE(destinationStore().load().has_value());
}

TEST_F(DestinationDropInTest, AnAppSecretIsNeverCarried) {
  dir_.write("conf.d/10-app.ini",
             "[source.app]\ntype = graph\nauth = client_credentials\nclient_id = app\nclient_secret = app-secret\n"
             "user = ana@contoso.com\n");
  EXPECT_EQ(refusal([&] { planDestination(running(), "app", "Calendar", "x"); }), "secret_not_carried");
}

}  // namespace
}  // namespace calsync::daemon
