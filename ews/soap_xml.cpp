#include "ews/soap_xml.h"

#include <cstring>

namespace calsync::ews {

std::optional<std::string> parseUntrusted(std::string_view text, pugi::xml_document& doc) {
  // A DOCTYPE may only appear in the prolog and entities only inside it, but '<' cannot occur
  // unescaped in character data, so looking at the whole text costs nothing and misses nothing.
  if (text.find("<!DOCTYPE") != std::string_view::npos || text.find("<!ENTITY") != std::string_view::npos ||
      text.find("<!doctype") != std::string_view::npos) {
    return std::string("the response declares a DOCTYPE or entities, which EWS never does; refused unread");
  }
  if (text.empty()) return std::string("the response is empty");
  // parse_default without parse_doctype/parse_pi: entities other than the five XML ones and
  // character references are not expanded. parse_ws_pcdata keeps whitespace-only bodies exact.
  const unsigned options = pugi::parse_default | pugi::parse_ws_pcdata_single;
  pugi::xml_parse_result result = doc.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
  if (!result) {
    return std::string("the response is not well-formed XML (") + result.description() + " at byte " +
           std::to_string(result.offset) + ")";
  }
  if (!doc.document_element()) return std::string("the response has no root element");
  return std::nullopt;
}

std::string_view localName(std::string_view qualified) {
  auto colon = qualified.find(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

std::string_view localName(const pugi::xml_node& node) { return localName(std::string_view(node.name())); }

std::string namespaceForPrefix(const pugi::xml_node& node, std::string_view prefix) {
  std::string attribute = prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
  for (pugi::xml_node at = node; at; at = at.parent()) {
    if (at.type() != pugi::node_element) continue;
    if (pugi::xml_attribute declared = at.attribute(attribute.c_str())) return declared.value();
  }
  return {};
}

std::string namespaceOf(const pugi::xml_node& node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  return namespaceForPrefix(node, colon == std::string_view::npos ? std::string_view() : name.substr(0, colon));
}

bool is(const pugi::xml_node& node, std::string_view ns, std::string_view local) {
  return node && node.type() == pugi::node_element && localName(node) == local && namespaceOf(node) == ns;
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node node = parent.first_child(); node; node = node.next_sibling()) {
    if (node.type() == pugi::node_element && localName(node) == local) return node;
  }
  return {};
}

std::string childText(const pugi::xml_node& parent, std::string_view local) {
  pugi::xml_node node = child(parent, local);
  return node ? std::string(node.child_value()) : std::string();
}

void appendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;
      default:
        // XML 1.0 cannot carry most control characters at all, not even as references.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;
        out.push_back(c);
    }
  }
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  appendEscaped(out, text);
  return out;
}

}  // namespace calsync::ews
