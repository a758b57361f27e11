// Reading WebDAV/CalDAV XML answers (RFC 4918 multistatus, DAV:error bodies) into plain structs.
// Element names are in Clark notation, "{namespace}local", so prefixes never matter.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calsync::caldav {

inline constexpr std::string_view kDavNs = "DAV:";
inline constexpr std::string_view kCalDavNs = "urn:ietf:params:xml:ns:caldav";
inline constexpr std::string_view kAppleNs = "http://apple.com/ns/ical/";

// One href of a multistatus with the properties we use. Properties count only when they
// came in a propstat with a 2xx status; the others are listed in `failed_props`.
struct DavResponse {
  std::string href;                       // as the server wrote it
  int status = 0;                         // the response-level status, 0 when absent
  std::optional<std::string> etag;
  std::optional<std::string> calendar_data;
  std::vector<std::string> resource_types;    // e.g. "{DAV:}collection"
  std::optional<std::string> display_name;
  std::optional<std::string> calendar_color;
  std::optional<std::string> calendar_description;
  std::optional<std::vector<std::string>> privileges;            // current-user-privilege-set
  std::optional<std::vector<std::string>> supported_components;  // "VEVENT", "VTODO", ...
  std::vector<std::string> calendar_home_set;  // hrefs
  std::optional<std::string> current_user_principal;  // href
  std::vector<std::pair<std::string, int>> failed_props;  // property -> status
  std::vector<std::string> errors;        // children of the response's DAV:error

  bool hasResourceType(std::string_view clark_name) const;
};

struct MultiStatus {
  std::vector<DavResponse> responses;
  std::optional<std::string> sync_token;  // RFC 6578, top level
};

// Throws ConnectorError(Protocol) for anything but a well-formed DAV:multistatus, including
// any document with a DOCTYPE (no entity tricks get near the parser).
MultiStatus parseMultiStatus(std::string_view xml);

// The children of a top-level DAV:error element (RFC 4918 16), e.g.
// "{DAV:}valid-sync-token". Empty when `xml` is not such a document; never throws.
std::vector<std::string> parseErrorBody(std::string_view xml);

// "{ns}local"
std::string clark(std::string_view ns, std::string_view local);

}  // namespace calsync::caldav
