// Turning the many spellings of a WebDAV href into one path, so ids compare equal no matter
// whether a server wrote "%40" or "@", a full URL or a path, raw UTF-8 or percent-escapes.
#pragma once

#include <string>
#include <string_view>

namespace calsync::caldav {

// Percent-decodes what a path may hold literally, percent-encodes (upper-case hex) the rest.
std::string canonicalPath(std::string_view path);

// The canonical path of `href` (absolute URL, absolute or relative path) resolved against
// `base_url`.
std::string hrefPath(const std::string& base_url, const std::string& href);

// Paths naming the same collection, ignoring one trailing '/'.
bool samePath(std::string_view a, std::string_view b);

std::string withTrailingSlash(std::string path);

// The resource name (without ".ics") a created event gets: deterministic, so a writer that
// lost its mapping finds its copy again by UID. A UID made of [A-Za-z0-9._@-] (not starting
// with '.', at most 200 characters) is used as it is; any other becomes "sha256-<hex of the
// UID>". Percent-encoding would not do: servers refuse "%2F" and names starting with '.',
// and disagree on how non-ASCII names are spelled.
std::string uidResourceName(const std::string& uid);

}  // namespace calsync::caldav
