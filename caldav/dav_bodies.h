// The XML request bodies the CalDAV connector sends.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calsync::caldav {

std::string xmlEscape(std::string_view text);

// PROPFIND for discovery: resource type, names, colour, privileges, home set, principal.
std::string propfindCalendarsBody();
// PROPFIND Depth 1 for the ETag listing of a collection's members.
std::string propfindEtagsBody();
// RFC 6578 sync-collection, sync-level 1, asking for etags; empty token = initial sync.
std::string syncCollectionBody(const std::string& sync_token);
// RFC 4791 calendar-multiget for etag and calendar-data of `hrefs`.
std::string multigetBody(const std::vector<std::string>& hrefs);
// RFC 4791 calendar-query for the VEVENT resources whose UID is exactly `uid`.
std::string uidQueryBody(const std::string& uid);
// PROPPATCH setting the given metadata; nullopt leaves a property alone.
std::string proppatchBody(const std::optional<std::string>& name, const std::optional<std::string>& color,
                          const std::optional<std::string>& description);

}  // namespace calsync::caldav
