#include "caldav/dav_bodies.h"

namespace calsync::caldav {
namespace {

constexpr std::string_view kHeader = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
constexpr std::string_view kNamespaces =
    " xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\" xmlns:A=\"http://apple.com/ns/ical/\"";

}  // namespace

std::string xmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string propfindCalendarsBody() {
  return std::string(kHeader) + "<D:propfind" + std::string(kNamespaces) +
         "><D:prop><D:resourcetype/><D:displayname/><A:calendar-color/><C:calendar-description/>"
         "<D:current-user-privilege-set/><C:supported-calendar-component-set/><C:calendar-home-set/>"
         "<D:current-user-principal/></D:prop></D:propfind>";
}

std::string propfindEtagsBody() {
  return std::string(kHeader) + "<D:propfind" + std::string(kNamespaces) +
         "><D:prop><D:resourcetype/><D:getetag/></D:prop></D:propfind>";
}

std::string syncCollectionBody(const std::string& sync_token) {
  return std::string(kHeader) + "<D:sync-collection" + std::string(kNamespaces) + "><D:sync-token>" +
         xmlEscape(sync_token) + "</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop>" +
         "</D:sync-collection>";
}

std::string multigetBody(const std::vector<std::string>& hrefs) {
  std::string body = std::string(kHeader) + "<C:calendar-multiget" + std::string(kNamespaces) +
                     "><D:prop><D:getetag/><C:calendar-data/></D:prop>";
  for (const auto& href : hrefs) body += "<D:href>" + xmlEscape(href) + "</D:href>";
  return body + "</C:calendar-multiget>";
}

std::string uidQueryBody(const std::string& uid) {
  return std::string(kHeader) + "<C:calendar-query" + std::string(kNamespaces) +
         "><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name=\"VCALENDAR\">"
         "<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"UID\">"
         "<C:text-match collation=\"i;octet\">" +
         xmlEscape(uid) + "</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>";
}

std::string proppatchBody(const std::optional<std::string>& name, const std::optional<std::string>& color,
                          const std::optional<std::string>& description) {
  std::string props;
  if (name) props += "<D:displayname>" + xmlEscape(*name) + "</D:displayname>";
  if (color) props += "<A:calendar-color>" + xmlEscape(*color) + "</A:calendar-color>";
  if (description) props += "<C:calendar-description>" + xmlEscape(*description) + "</C:calendar-description>";
  return std::string(kHeader) + "<D:propertyupdate" + std::string(kNamespaces) + "><D:set><D:prop>" + props +
         "</D:prop></D:set></D:propertyupdate>";
}

}  // namespace calsync::caldav
