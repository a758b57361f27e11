// What the CalDAV connector remembers between pulls of one calendar: an RFC 6578 sync token,
// or, for servers without sync-collection, every member's href and etag.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace calsync::caldav {

struct SyncCursor {
  enum class Mode { SyncToken, Etags };
  Mode mode = Mode::SyncToken;
  std::string token;                          // Mode::SyncToken
  std::map<std::string, std::string> etags;   // Mode::Etags: canonical path -> etag

  // Line-oriented text: a version line naming the mode, then the token or "path<TAB>etag"
  // lines, with '%', TAB, CR and LF percent-escaped.
  std::string encode() const;
  // nullopt for text that encode() did not produce (the caller then starts over).
  static std::optional<SyncCursor> decode(const std::string& text);
};

}  // namespace calsync::caldav
