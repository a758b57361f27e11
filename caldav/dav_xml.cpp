#include "caldav/dav_xml.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdlib>

#include "core/errors.h"

namespace calsync::caldav {
namespace {

std::string_view localName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// pugixml knows nothing of namespaces: find the xmlns declaration for the node's prefix.
std::string namespaceOf(const pugi::xml_node& node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  std::string attribute = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  for (pugi::xml_node scope = node; scope && scope.type() == pugi::node_element; scope = scope.parent()) {
    if (auto declaration = scope.attribute(attribute.c_str())) return declaration.value();
  }
  return {};
}

std::string clarkOf(const pugi::xml_node& node) { return clark(namespaceOf(node), localName(node)); }

bool is(const pugi::xml_node& node, std::string_view ns, std::string_view local) {
  return node.type() == pugi::node_element && localName(node) == local && namespaceOf(node) == ns;
}

std::vector<pugi::xml_node> childrenNamed(const pugi::xml_node& parent, std::string_view ns, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (auto child : parent.children()) {
    if (is(child, ns, local)) out.push_back(child);
  }
  return out;
}

pugi::xml_node childNamed(const pugi::xml_node& parent, std::string_view ns, std::string_view local) {
  for (auto child : parent.children()) {
    if (is(child, ns, local)) return child;
  }
  return {};
}

// All character data directly inside `node` (text and CDATA sections may alternate).
std::string textOf(const pugi::xml_node& node) {
  std::string out;
  for (auto child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) out += child.value();
  }
  return out;
}

std::string trimmed(std::string text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// "HTTP/1.1 404 Not Found" -> 404; 0 when unreadable.
int statusCode(const std::string& status_line) {
  auto space = status_line.find(' ');
  if (space == std::string::npos) return 0;
  return std::atoi(status_line.c_str() + space + 1);
}

std::vector<std::string> elementChildren(const pugi::xml_node& node) {
  std::vector<std::string> out;
  for (auto child : node.children()) {
    if (child.type() == pugi::node_element) out.push_back(clarkOf(child));
  }
  return out;
}

void readProperty(const pugi::xml_node& prop, DavResponse& out) {
  if (is(prop, kDavNs, "getetag")) {
    out.etag = trimmed(textOf(prop));
  } else if (is(prop, kCalDavNs, "calendar-data")) {
    out.calendar_data = textOf(prop);
  } else if (is(prop, kDavNs, "resourcetype")) {
    out.resource_types = elementChildren(prop);
  } else if (is(prop, kDavNs, "displayname")) {
    out.display_name = trimmed(textOf(prop));
  } else if (is(prop, kAppleNs, "calendar-color")) {
    out.calendar_color = trimmed(textOf(prop));
  } else if (is(prop, kCalDavNs, "calendar-description")) {
    out.calendar_description = textOf(prop);
  } else if (is(prop, kDavNs, "current-user-privilege-set")) {
    std::vector<std::string> privileges;
    for (auto privilege : childrenNamed(prop, kDavNs, "privilege")) {
      for (const auto& name : elementChildren(privilege)) privileges.push_back(name);
    }
    out.privileges = std::move(privileges);
  } else if (is(prop, kCalDavNs, "supported-calendar-component-set")) {
    std::vector<std::string> components;
    for (auto comp : childrenNamed(prop, kCalDavNs, "comp")) components.emplace_back(comp.attribute("name").value());
    out.supported_components = std::move(components);
  } else if (is(prop, kCalDavNs, "calendar-home-set")) {
    for (auto href : childrenNamed(prop, kDavNs, "href")) out.calendar_home_set.push_back(trimmed(textOf(href)));
  } else if (is(prop, kDavNs, "current-user-principal")) {
    if (auto href = childNamed(prop, kDavNs, "href")) out.current_user_principal = trimmed(textOf(href));
  }
}

void readResponse(const pugi::xml_node& node, MultiStatus& out) {
  DavResponse response;
  if (auto status = childNamed(node, kDavNs, "status")) response.status = statusCode(trimmed(textOf(status)));
  if (auto error = childNamed(node, kDavNs, "error")) response.errors = elementChildren(error);
  for (auto propstat : childrenNamed(node, kDavNs, "propstat")) {
    int status = statusCode(trimmed(textOf(childNamed(propstat, kDavNs, "status"))));
    for (auto prop : childrenNamed(propstat, kDavNs, "prop")) {
      for (auto property : prop.children()) {
        if (property.type() != pugi::node_element) continue;
        if (status >= 200 && status < 300) {
          readProperty(property, response);
        } else {
          response.failed_props.emplace_back(clarkOf(property), status);
        }
      }
    }
  }
  auto hrefs = childrenNamed(node, kDavNs, "href");
  if (hrefs.empty()) throw ConnectorError(ErrorKind::Protocol, "multistatus response without an href");
  // RFC 4918 allows several hrefs sharing one status: give each its own entry.
  for (auto href : hrefs) {
    response.href = trimmed(textOf(href));
    if (response.href.empty()) throw ConnectorError(ErrorKind::Protocol, "multistatus response with an empty href");
    out.responses.push_back(response);
  }
}

bool loadDocument(pugi::xml_document& document, std::string_view xml, std::string& problem) {
  auto result = document.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype);
  if (!result) {
    problem = std::string("malformed XML: ") + result.description() + " at offset " + std::to_string(result.offset);
    return false;
  }
  for (auto child : document.children()) {
    if (child.type() == pugi::node_doctype) {
      problem = "XML with a DOCTYPE is refused";
      return false;
    }
  }
  return true;
}

}  // namespace

std::string clark(std::string_view ns, std::string_view local) {
  return "{" + std::string(ns) + "}" + std::string(local);
}

bool DavResponse::hasResourceType(std::string_view clark_name) const {
  return std::find(resource_types.begin(), resource_types.end(), clark_name) != resource_types.end();
}

MultiStatus parseMultiStatus(std::string_view xml) {
  pugi::xml_document document;
  std::string problem;
  if (!loadDocument(document, xml, problem)) throw ConnectorError(ErrorKind::Protocol, problem);
  auto root = document.document_element();
  if (!is(root, kDavNs, "multistatus")) {
    throw ConnectorError(ErrorKind::Protocol, "expected a DAV:multistatus, got <" + std::string(root.name()) + ">");
  }
  MultiStatus out;
  for (auto child : root.children()) {
    if (is(child, kDavNs, "response")) {
      readResponse(child, out);
    } else if (is(child, kDavNs, "sync-token")) {
      out.sync_token = trimmed(textOf(child));
    }
  }
  return out;
}

std::vector<std::string> parseErrorBody(std::string_view xml) {
  pugi::xml_document document;
  std::string problem;
  if (xml.empty() || !loadDocument(document, xml, problem)) return {};
  auto root = document.document_element();
  if (!is(root, kDavNs, "error")) return {};
  return elementChildren(root);
}

}  // namespace calsync::caldav
