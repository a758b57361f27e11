// The XML layer of the EWS connector: the namespaces EWS speaks, a parser that refuses
// hostile documents before reading them, and small helpers to walk pugixml trees by
// namespace and local name (pugixml itself knows nothing of namespaces).
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calsync::ews {

// SOAP 1.1. Microsoft's samples often write it with https://, which is wrong; only http:// counts.
inline constexpr std::string_view kSoapNs = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view kMessagesNs = "http://schemas.microsoft.com/exchange/services/2006/messages";
inline constexpr std::string_view kTypesNs = "http://schemas.microsoft.com/exchange/services/2006/types";
inline constexpr std::string_view kErrorsNs = "http://schemas.microsoft.com/exchange/services/2006/errors";

// Parses `text` into `doc`. Refuses, before parsing, any document with a DOCTYPE or an entity
// declaration (entity expansion and external entities have no place in EWS), and then any
// document that is not well-formed XML (a truncated answer). Returns the reason, or nullopt.
std::optional<std::string> parseUntrusted(std::string_view text, pugi::xml_document& doc);

// The part of a qualified name after the prefix: "t:Subject" -> "Subject".
std::string_view localName(const pugi::xml_node& node);
std::string_view localName(std::string_view qualified);
// The namespace URI the node's prefix (or the default namespace) is bound to; empty if none.
std::string namespaceOf(const pugi::xml_node& node);
// The URI a prefix is bound to where `node` sits.
std::string namespaceForPrefix(const pugi::xml_node& node, std::string_view prefix);
bool is(const pugi::xml_node& node, std::string_view ns, std::string_view local);

// First child element with this local name (any prefix); empty node when none.
pugi::xml_node child(const pugi::xml_node& parent, std::string_view local);
// The text of child `local`, or "" when it is absent.
std::string childText(const pugi::xml_node& parent, std::string_view local);

// Text escaped for XML character data and attribute values.
std::string escape(std::string_view text);
void appendEscaped(std::string& out, std::string_view text);

}  // namespace calsync::ews
