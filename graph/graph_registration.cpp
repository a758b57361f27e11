// Makes "type = graph" known to the daemon and to `calsyncctl discover graph`.
#include <cctype>

#include "core/registry.h"
#include "graph/graph_connector.h"

namespace calsync::graph {
namespace {

std::string sectionNameFor(const std::string& name, const std::string& fallback) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) && c < 128) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? fallback : "graph-" + out;
}

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
    found.section_name = sectionNameFor(entry.calendar.name, "graph-" + std::to_string(++index));
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
  return report;
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
  return info;
}

}  // namespace

CALSYNC_REGISTER_CONNECTOR(graph, graphInfo());

}  // namespace calsync::graph
