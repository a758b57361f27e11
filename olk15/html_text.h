// Outlook for Mac keeps event bodies only as HTML (olk15-format.md §3.1, 1F:01). This turns
// that HTML into the plain text a DESCRIPTION carries: tags dropped, block ends and <br> as
// line breaks, list items bulleted, entities decoded, runs of blanks and blank lines folded.
#pragma once

#include <string>
#include <string_view>

namespace calsync::olk15 {

std::string htmlToText(std::string_view html);

// True when `body` looks like markup rather than plain text.
bool looksLikeHtml(std::string_view body);

}  // namespace calsync::olk15
