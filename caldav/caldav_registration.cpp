// Makes "type = caldav" known to the daemon.
#include "caldav/caldav_connector.h"
#include "core/registry.h"
#include "core/settings_access.h"

namespace calsync::caldav {

std::vector<KeySpec> caldavKeys() {
  std::vector<KeySpec> keys;
  keys.push_back(describeKey("url", KeyType::Url, "",
                     "A calendar collection URL, or a calendar home or principal URL to discover calendars under"));
  keys.back().required = true;
  keys.push_back(describeKey("username", KeyType::String, "", "User name for HTTP Basic authentication"));
  keys.push_back(describeKey("password", KeyType::Secret, "", "Password for HTTP Basic authentication"));
  keys.push_back(describeKey("ca_file", KeyType::Path, "", "Extra CA certificates (PEM) to trust besides the system store"));
  keys.push_back(describeKey("verify_tls", KeyType::Bool, "true", "Verify the server's TLS certificate and host name"));
  keys.push_back(describeKey("timeout", KeyType::Duration, "60s", "Give up on a request when the server is silent this long"));
  keys.back().min = 1;
  keys.back().max = 3600;
  return keys;
}

namespace {

ConnectorInfo caldavInfo() {
  ConnectorInfo info;
  info.type = "caldav";
  info.description = "A CalDAV server (RFC 4791), with RFC 6578 sync when available";
  info.keys = caldavKeys();
  info.can_be_destination = true;
  info.create = [](const ConnectorSpec& spec) -> std::unique_ptr<Connector> {
    return std::make_unique<CaldavConnector>(CaldavConfig::fromSettings(spec.settings));
  };
  return info;
}

}  // namespace

CALSYNC_REGISTER_CONNECTOR(caldav, caldavInfo());

}  // namespace calsync::caldav
