// Makes "type = google" known to the daemon and to `calsyncctl discover google`.
#include "core/registry.h"
#include "google/google_auth.h"
#include "google/google_connector.h"

namespace calsync::google {
namespace {

DiscoveryReport discover(const ConnectorSpec& spec) {
  GoogleConfig config = GoogleConfig::fromSpec(spec);
  GoogleConnector connector(config);
  DiscoveryReport report;
  std::size_t index = 0;
  for (const auto& entry : connector.calendarEntries()) {
    DiscoveredCalendar found;
    found.calendar = entry.calendar;
    found.account = entry.primary ? entry.calendar.id : std::string();
    found.suggested = entry.access_role != "freeBusyReader" && !entry.hidden;
    found.reason = entry.access_role == "freeBusyReader" ? "only free/busy times are visible"
                   : entry.hidden                        ? "hidden in the calendar list"
                   : entry.primary                       ? "the account's primary calendar"
                                                         : "access: " + entry.access_role;
    const std::string slug = sectionSlug(entry.calendar.name);
    found.section_name = slug.empty() ? "google-" + std::to_string(++index) : "google-" + slug;
    if (config.auth == GoogleConfig::Auth::ServiceAccount) {
      found.settings["auth"] = "service_account";
      found.settings["service_account_key_file"] = config.service_account_key_file;
      if (!config.subject.empty()) found.settings["subject"] = config.subject;
    } else {
      found.settings["client_id"] = config.client_id;
    }
    found.settings["calendars"] = entry.calendar.id;
    report.calendars.push_back(std::move(found));
  }
  if (config.auth == GoogleConfig::Auth::OAuth) {
    report.notes.push_back("The new sections share this sign-in only if they keep the same data directory; otherwise "
                           "run `calsyncctl auth google --source NAME` for each.");
  }
  makeSectionNamesUnique(report.calendars);
  return report;
}

// The master's sign-in endpoints (GET /sync/config/google/auth-url, POST .../exchange-code).
SignInHooks signInHooks() {
  SignInHooks hooks;
  hooks.authorization_url = [](const ConnectorSpec& spec, std::int64_t now) {
    const oauth::AuthorizationStart start = authorizationUrl(spec, "", now);
    return SignInStart{start.url, start.state, GoogleConfig::fromSpec(spec).redirect_uri, start.expires_at};
  };
  hooks.exchange_code = [](const ConnectorSpec& spec, const std::string& code_or_url, const std::string& state,
                           std::int64_t now) { exchangeCode(spec, code_or_url, state, now); };
  return hooks;
}

ConnectorInfo googleInfo() {
  ConnectorInfo info;
  info.type = "google";
  info.description = "Google Calendar (API v3) through OAuth or a Workspace service account";
  info.keys = googleKeys();
  info.can_be_destination = true;
  info.aliases = {"google-calendar", "gcal"};
  info.create = [](const ConnectorSpec& spec) -> std::unique_ptr<Connector> {
    return std::make_unique<GoogleConnector>(GoogleConfig::fromSpec(spec));
  };
  info.discover = discover;
  info.sign_in = signInHooks();
  info.credential_status = [](const ConnectorSpec& spec, std::int64_t now) -> std::optional<CredentialState> {
    return credentialState(spec, now);
  };
  return info;
}

}  // namespace

CALSYNC_REGISTER_CONNECTOR(google, googleInfo());

}  // namespace calsync::google
