// Stable content hashes: equal content gives equal hashes across runs, machines and versions
// of calsync, so an unchanged event never becomes a change.
#pragma once

#include <string>
#include <string_view>

#include "core/event.h"

namespace calsync {

// Text with line endings unified and trailing blanks removed (per line and at the end):
// clients and servers disagree on CRLF versus LF and pad text differently without changing it.
std::string normalizeText(const std::string& text);

// SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256Hex(std::string_view data);

// The canonical text an event is hashed over: every content field in a fixed order, text
// with line endings unified and trailing blanks removed, unordered sets (attendees,
// categories, EXDATEs, reminders, extra properties) sorted. Leaves out what servers change
// on their own: DTSTAMP, LAST-MODIFIED, CREATED, SEQUENCE, etags and ids.
std::string canonicalForm(const Event& event);

// Hash of one event.
std::string contentHash(const Event& event);
// Hash of a calendar object: its components in RECURRENCE-ID order and its origin marker.
// VTIMEZONE text is left out: servers re-serialize it freely, and events name their zone.
std::string contentHash(const CalendarObject& object);

}  // namespace calsync
