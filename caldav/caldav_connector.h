// The CalDAV connector (RFC 4791 with RFC 6578 sync): a calendar server as a source or as
// the destination. Calendar ids are collection paths, native ids are resource paths.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/connector.h"
#include "core/key_spec.h"
#include "net/http_client.h"

namespace calsync::caldav {

struct DavResponse;

struct CaldavConfig {
  std::string url;                  // a calendar collection, a calendar home or a principal
  std::string username;
  std::string password;
  std::string ca_file;
  bool verify_tls = true;
  int timeout_seconds = 60;
  // false: always use ETag listings instead of sync-collection (servers with a broken
  // RFC 6578, and tests of that path).
  bool use_sync_collection = true;
  std::size_t multiget_batch = 100;

  // From a validated [source.X]/[destination] section; throws ConnectorError(Config).
  static CaldavConfig fromSettings(const Settings& settings);
};

// The keys a caldav section accepts besides `type`.
std::vector<KeySpec> caldavKeys();

class CaldavConnector : public Connector {
 public:
  explicit CaldavConnector(CaldavConfig config);
  ~CaldavConnector() override;

  Capabilities capabilities() const override;
  std::vector<Calendar> listCalendars() override;
  ChangeSet pull(const CalendarId& calendar, const Window& window, const Cursor& cursor) override;
  std::optional<CalendarObject> findByUid(const CalendarId& calendar, const std::string& uid) override;
  WriteResult apply(const EventChange& change) override;
  void apply(const CalendarChange& change) override;

 private:
  struct SyncListing;
  struct Fetched;

  std::string urlFor(const std::string& path) const;
  net::HttpResponse send(const std::string& method, const std::string& url, net::Headers headers,
                         std::string body = {});
  std::vector<DavResponse> propfind(const std::string& url, int depth, const std::string& body);

  SyncListing syncCollection(const std::string& calendar, const std::string& token);
  std::map<std::string, std::string> etagListing(const std::string& calendar);
  Fetched fetch(const std::string& calendar, const std::vector<std::string>& paths);
  ChangeSet pullWithSyncToken(const std::string& calendar, const std::string& token);
  ChangeSet pullWithEtags(const std::string& calendar, const std::map<std::string, std::string>* previous);

  [[noreturn]] void throwWriteError(const net::HttpResponse& response, const std::string& context) const;

  CaldavConfig config_;
  std::string origin_;              // scheme://host[:port] of config_.url
  std::string base_path_;           // canonical path of config_.url
  std::unique_ptr<net::HttpClient> http_;
};

}  // namespace calsync::caldav
