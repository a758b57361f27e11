// Makes "type = graph" known to the daemon and to `calsyncctl discover graph`.
#include "core/registry.h"
#include "graph/graph_auth.h"
#include "graph/graph_connector.h"

namespace calsync::graph {
namespace {

DiscoveryReport discover(const ConnectorSpec& spec) {
  GraphConfig config = GraphConfig::fromSpec(spec);
  GraphConnector connector(config);
  DiscoveryReport report;
  std::size_t index = 0;
  for (const auto& entry : connector.calendarEntries()) {
    DiscoveredCalendar found;
    found.calendar = entry.calendar;
    found.account = entry.owner;
    found.suggested = true;
    found.reason = entry.is_default ? "the mailbox's default calendar"
                   : entry.calendar.writable ? "writable"
                                             : "read-only (shared with you)";
    const std::string slug = sectionSlug(entry.calendar.name);
    found.section_name = slug.empty() ? "graph-" + std::to_string(++index) : "graph-" + slug;
    found.settings["client_id"] = config.client_id;
    found.settings["tenant"] = config.tenant;
    if (config.auth == GraphConfig::Auth::ClientCredentials) {
      found.settings["auth"] = "client_credentials";
      found.settings["user"] = config.user;
      if (!config.certificate_file.empty()) found.settings["certificate_file"] = config.certificate_file;
    } else if (!config.user.empty()) {
      found.settings["user"] = config.user;
    }
    found.settings["calendars"] = entry.calendar.id;
    report.calendars.push_back(std::move(found));
  }
  if (config.auth == GraphConfig::Auth::ClientCredentials) {
    report.notes.push_back("App-only access reaches every mailbox unless an Exchange administrator limits the app "
                           "with New-ApplicationAccessPolicy.");
  }
  makeSectionNamesUnique(report.calendars);
  return report;
}

// The master's sign-in endpoints: the device code for headless machines, and the
// authorization URL when a browser is at hand.
SignInHooks signInHooks() {
  SignInHooks hooks;
  hooks.authorization_url = [](const ConnectorSpec& spec, std::int64_t now) {
    const oauth::AuthorizationStart start = authorizationUrl(spec, "", now);
    return SignInStart{start.url, start.state, GraphConfig::fromSpec(spec).redirect_uri, start.expires_at};
  };
  hooks.exchange_code = [](const ConnectorSpec& spec, const std::string& code_or_url, const std::string& state,
                           std::int64_t now) { exchangeCode(spec, code_or_url, state, now); };
  hooks.start_device = [](const ConnectorSpec& spec) {
    const oauth::DeviceAuthorization a = startDeviceSignIn(spec);
    return DeviceCodeSignIn{a.device_code, a.user_code, a.verification_uri, a.verification_uri_complete,
                            a.message, a.expires_at, a.interval_seconds};
  };
  hooks.poll_device = [](const ConnectorSpec& spec, const DeviceCodeSignIn& d, std::int64_t now) {
    oauth::DeviceAuthorization a;
    a.device_code = d.device_code;
    a.user_code = d.user_code;
    a.verification_uri = d.verification_uri;
    a.expires_at = d.expires_at;
    a.interval_seconds = d.interval_seconds;
    oauth::DevicePollState state = oauth::DevicePollState::Pending;
    pollDeviceSignIn(spec, a, now, &state);
    return state == oauth::DevicePollState::Done       ? DevicePollResult::Done
           : state == oauth::DevicePollState::SlowDown ? DevicePollResult::SlowDown
                                                       : DevicePollResult::Pending;
  };
  return hooks;
}

ConnectorInfo graphInfo() {
  ConnectorInfo info;
  info.type = "graph";
  info.description = "Microsoft 365 / Outlook.com calendars through Microsoft Graph";
  info.keys = graphKeys();
  info.can_be_destination = true;
  info.aliases = {"microsoft-graph", "m365", "office365"};
  info.create = [](const ConnectorSpec& spec) -> std::unique_ptr<Connector> {
    return std::make_unique<GraphConnector>(GraphConfig::fromSpec(spec));
  };
  info.discover = discover;
  info.sign_in = signInHooks();
  info.credential_status = [](const ConnectorSpec& spec, std::int64_t now) -> std::optional<CredentialState> {
    return credentialState(spec, now);
  };
  return info;
}

}  // namespace

CALSYNC_REGISTER_CONNECTOR(graph, graphInfo());

}  // namespace calsync::graph
