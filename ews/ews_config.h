// What an [source.X] or [destination] section of type ews says, and the keys it accepts.
#pragma once

#include <string>
#include <vector>

#include "core/key_spec.h"

namespace calsync::ews {

enum class AuthMethod { Basic, Ntlm, OAuth2 };

struct EwsConfig {
  std::string url;                       // https://host/EWS/Exchange.asmx
  AuthMethod auth = AuthMethod::Basic;
  std::string username;                  // Basic/NTLM; "DOMAIN\user" or "user@domain" for NTLM
  std::string password;
  std::string token;                     // OAuth2 bearer token
  std::string mailbox;                   // another mailbox's address (delegate access); empty = own
  bool include_subfolders = true;        // list the default calendar's subfolders too
  std::string server_version = "Exchange2013_SP1";
  std::string time_zone = "UTC";         // zone all-day events are written in (IANA or Windows id)
  std::string ca_file;
  bool verify_tls = true;
  std::string proxy;                     // host:port
  std::string proxy_username;
  std::string proxy_password;
  int timeout_seconds = 60;
  int max_connections = 4;               // per endpoint URL, shared by every connector using it

  // Tunables with no INI key (tests shrink them).
  int view_page_size = 500;              // CalendarView MaxEntriesReturned
  int sync_page_size = 512;              // SyncFolderItems MaxChangesReturned (1..512)
  int get_item_batch = 25;               // items per GetItem
  int max_view_days = 730;               // Exchange refuses CalendarViews over two years
  int inline_backoff_limit_ms = 2000;    // wait out a server backoff hint up to this long
  int inline_backoff_attempts = 2;
  int fallback_backoff_seconds = 30;     // when a busy answer carries no hint

  // From a validated section; throws ConnectorError(Config).
  static EwsConfig fromSettings(const Settings& settings);
};

std::vector<KeySpec> ewsKeys();

}  // namespace calsync::ews
