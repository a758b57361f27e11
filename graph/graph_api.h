// HTTP to Microsoft Graph with what every call needs: the bearer token (refreshed once on 401),
// Prefer: IdType="ImmutableId" on every request (ids that survive moves between folders),
// Graph's error bodies as typed ConnectorErrors, and bounded waits on 429/503 with Retry-After.
// Links Graph hands back (nextLink, deltaLink) are followed only on the configured origin, so
// the token never goes anywhere else.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "graph/graph_config.h"
#include "net/http_client.h"
#include "oauth/access_token_source.h"
#include "oauth/bearer_client.h"
#include "oauth/json_access.h"

namespace calsync::graph {

struct GraphError {
  std::string code;      // "ErrorItemNotFound", "syncStateNotFound", ...
  std::string message;
};
GraphError graphErrorOf(const net::HttpResponse& response);

class GraphApi {
 public:
  GraphApi(const GraphConfig& config, std::shared_ptr<oauth::AccessTokenSource> tokens);

  // `target` is a path relative to api_url (with its query) or an absolute link from Graph.
  // `page_size` > 0 adds Prefer: odata.maxpagesize.
  net::HttpResponse send(const std::string& method, const std::string& target, const std::string& body = {},
                         const std::string& if_match = {}, int page_size = 0);
  json::Object::Ptr getJson(const std::string& target, const std::string& context, int page_size = 0);
  ConnectorError errorFor(const net::HttpResponse& response, const std::string& context) const;

  void setSleeper(std::function<void(std::int64_t milliseconds)> sleeper) { client_.setSleeper(std::move(sleeper)); }

 private:
  std::string urlFor(const std::string& target) const;

  const GraphConfig& config_;
  oauth::BearerClient client_;
  std::string origin_;
};

}  // namespace calsync::graph
