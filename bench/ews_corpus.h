// A realistic EWS GetItem response of N calendar items, for the parse benchmark and its peer.
#pragma once

#include <cstddef>
#include <string>

namespace calsync::bench {

// Singles in four zones, weekly masters with a moved and a deleted occurrence, all-day events,
// meetings with an organizer and attendees, bodies of a few hundred bytes, non-ASCII text:
// the shape of a GetItem answer for an office mailbox.
std::string makeEwsGetItemResponse(std::size_t items);

}  // namespace calsync::bench
