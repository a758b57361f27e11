// Makes "type = ews" known to the daemon, and answers `calsyncctl discover ews`.
#include <algorithm>
#include <cctype>

#include "core/registry.h"
#include "ews/ews_connector.h"
#include "net/url.h"

namespace calsync::ews {
namespace {

// A [source.NAME] name from a calendar's display name: letters, digits, '-' and '_'.
std::string sectionName(const std::string& display, const std::string& fallback) {
  std::string name;
  for (unsigned char c : display) {
    if (std::isalnum(c)) name.push_back(static_cast<char>(std::tolower(c)));
    else if (!name.empty() && name.back() != '-') name.push_back('-');
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name.empty() ? fallback : name;
}

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
  std::vector<std::string> used_names;
  for (auto& folder : connector.listFolders()) {
    DiscoveredCalendar found;
    found.calendar = folder.calendar;
    found.account = account;
    found.event_count = folder.total_count;
    const bool is_default = folder.calendar.id == kDefaultCalendar;
    found.suggested = is_default;
    found.reason = is_default ? "the mailbox's default calendar" : "a calendar folder below the default calendar";
    if (!folder.calendar.writable) found.reason += "; read-only for this account";
    std::string name = sectionName(folder.calendar.name, is_default ? "calendar" : "ews-calendar");
    std::string unique = name;
    for (int n = 2; std::find(used_names.begin(), used_names.end(), unique) != used_names.end(); ++n) {
      unique = name + "-" + std::to_string(n);
    }
    used_names.push_back(unique);
    found.section_name = unique;
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
