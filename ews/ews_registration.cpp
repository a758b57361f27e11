// Makes "type = ews" known to the daemon, and answers `calsyncctl discover ews`.
#include <algorithm>
#include <cctype>

#include "core/registry.h"
#include "ews/ews_connector.h"
#include "net/url.h"

namespace calsync::ews {
namespace {

bool exchangeOnline(const std::string& url) {
  auto parts = net::parseUrl(url);
  if (!parts) return false;
  std::string host = parts->host;
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host == "outlook.office365.com" || host == "outlook.office.com" ||
         (host.size() > 17 && host.compare(host.size() - 17, 17, ".outlook.office.com") == 0);
}

}  // namespace

DiscoveryReport discoverEws(const ConnectorSpec& spec) {
  EwsConfig config = EwsConfig::fromSettings(spec.settings);
  EwsConnector connector(config);
  DiscoveryReport report;
  if (exchangeOnline(config.url)) {
    report.notes.push_back(
        "This is Exchange Online: Microsoft blocks EWS there from 1 Oct 2026 and turns it off on 1 Apr 2027. "
        "Use the graph connector for Microsoft 365 mailboxes.");
  }
  const std::string account = config.mailbox.empty() ? config.username : config.mailbox;
  for (auto& folder : connector.listFolders()) {
    DiscoveredCalendar found;
    found.calendar = folder.calendar;
    found.account = account;
    found.event_count = folder.total_count;
    const bool is_default = folder.calendar.id == kDefaultCalendar;
    found.suggested = is_default;
    found.reason = is_default ? "the mailbox's default calendar" : "a calendar folder below the default calendar";
    if (!folder.calendar.writable) found.reason += "; read-only for this account";
    found.section_name = sectionSlug(folder.calendar.name);
    if (found.section_name.empty()) found.section_name = is_default ? "calendar" : "ews-calendar";
    found.settings["url"] = config.url;
    found.settings["auth"] = config.auth == AuthMethod::Ntlm ? "ntlm" : config.auth == AuthMethod::OAuth2 ? "oauth2" : "basic";
    if (config.auth == AuthMethod::OAuth2) {
      found.settings["token"] = "env:CALSYNC_EWS_TOKEN";
    } else {
      found.settings["username"] = config.username;
      found.settings["password"] = "env:CALSYNC_EWS_PASSWORD";
    }
    if (!config.mailbox.empty()) found.settings["mailbox"] = config.mailbox;
    if (!config.ca_file.empty()) found.settings["ca_file"] = config.ca_file;
    if (!config.proxy.empty()) found.settings["proxy"] = config.proxy;
    found.settings["calendars"] = folder.calendar.id;
    report.calendars.push_back(std::move(found));
  }
  makeSectionNamesUnique(report.calendars);
  return report;
}

ConnectorInfo ewsConnectorInfo() {
  ConnectorInfo info;
  info.type = "ews";
  info.description =
      "Microsoft Exchange through Exchange Web Services (on-premises Exchange; Exchange Online retires EWS in 2027)";
  info.keys = ewsKeys();
  info.can_be_destination = true;
  info.aliases = {"exchange"};
  info.create = [](const ConnectorSpec& spec) -> std::unique_ptr<Connector> {
    return std::make_unique<EwsConnector>(EwsConfig::fromSettings(spec.settings));
  };
  info.discover = discoverEws;
  return info;
}

CALSYNC_REGISTER_CONNECTOR(ews, ewsConnectorInfo());

}  // namespace calsync::ews
