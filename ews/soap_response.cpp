#include "ews/soap_response.h"

#include <algorithm>
#include <map>

#include "ews/soap_xml.h"

namespace calsync::ews {
namespace {

std::optional<std::int64_t> backOffHint(const pugi::xml_node& holder) {
  pugi::xml_node message_xml = child(holder, "MessageXml");
  for (pugi::xml_node value = message_xml.first_child(); value; value = value.next_sibling()) {
    if (localName(value) != "Value" || std::string_view(value.attribute("Name").value()) != "BackOffMilliseconds") continue;
    try {
      std::size_t used = 0;
      std::string text = value.child_value();
      long long ms = std::stoll(text, &used);
      if (used == text.size() && ms >= 0) return ms;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

ResponseMessage readFault(const pugi::xml_node& fault) {
  ResponseMessage message;
  message.node = fault;
  message.response_class = "Error";
  pugi::xml_node detail = child(fault, "detail");
  message.code = childText(detail, "ResponseCode");
  if (message.code.empty()) message.code = std::string(localName(std::string_view(childText(fault, "faultcode"))));
  message.text = childText(detail, "Message");
  if (message.text.empty()) message.text = childText(fault, "faultstring");
  message.back_off_ms = backOffHint(detail);
  return message;
}

}  // namespace

std::int64_t backoffSeconds(std::int64_t back_off_ms) { return std::max<std::int64_t>(1, (back_off_ms + 999) / 1000); }

ErrorKind kindForResponseCode(const std::string& code) {
  static const std::map<std::string, ErrorKind> kinds = {
      {"ErrorServerBusy", ErrorKind::Throttled},
      {"ErrorExceededConnectionCount", ErrorKind::Throttled},
      {"ErrorExceededSubscriptionCount", ErrorKind::Throttled},
      {"ErrorExceededFindCountLimit", ErrorKind::Throttled},
      {"ErrorTooManyObjectsOpened", ErrorKind::Throttled},
      {"ErrorTimeoutExpired", ErrorKind::Network},
      {"ErrorIrresolvableConflict", ErrorKind::Conflict},
      {"ErrorStaleObject", ErrorKind::Conflict},
      {"ErrorInvalidChangeKey", ErrorKind::Conflict},
      {"ErrorItemNotFound", ErrorKind::NotFound},
      {"ErrorFolderNotFound", ErrorKind::NotFound},
      {"ErrorSyncFolderNotFound", ErrorKind::NotFound},
      {"ErrorNonExistentMailbox", ErrorKind::NotFound},
      {"ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", ErrorKind::NotFound},
      {"ErrorCalendarOccurrenceIsDeletedFromRecurrence", ErrorKind::NotFound},
      {"ErrorAccessDenied", ErrorKind::Permission},
      {"ErrorImpersonateUserDenied", ErrorKind::Permission},
      {"ErrorImpersonationDenied", ErrorKind::Permission},
      {"ErrorInsufficientPermissions", ErrorKind::Permission},
      {"ErrorNoPermission", ErrorKind::Permission},
      {"ErrorQuotaExceeded", ErrorKind::Permission},
      {"ErrorInvalidServerVersion", ErrorKind::Config},
      {"ErrorInvalidSmtpAddress", ErrorKind::Config},
      {"ErrorCorruptData", ErrorKind::BadData},
      {"ErrorItemCorrupt", ErrorKind::BadData},
      {"ErrorInvalidRecurrence", ErrorKind::BadData},
      {"ErrorCalendarInvalidRecurrence", ErrorKind::BadData},
      {"ErrorCalendarEndDateIsEarlierThanStartDate", ErrorKind::BadData},
      {"ErrorOccurrenceCrossingBoundary", ErrorKind::BadData},
      {"ErrorCalendarDurationIsTooLong", ErrorKind::BadData},
  };
  auto found = kinds.find(code);
  return found == kinds.end() ? ErrorKind::Protocol : found->second;
}

ConnectorError errorFor(const ResponseMessage& message, const std::string& context,
                        std::int64_t fallback_backoff_seconds) {
  ErrorKind kind = kindForResponseCode(message.code);
  std::string text = context + ": " + (message.code.empty() ? std::string("error without a code") : message.code);
  if (!message.text.empty()) text += " (" + message.text + ")";
  // HTTP 200 can carry ErrorInternalServerError wrapping a busy server (EWS throttling docs).
  if (message.code == "ErrorInternalServerError" && message.back_off_ms) kind = ErrorKind::Throttled;
  if (kind == ErrorKind::Throttled) {
    std::int64_t wait = message.back_off_ms ? backoffSeconds(*message.back_off_ms) : fallback_backoff_seconds;
    return ConnectorError(kind, text, wait);
  }
  return ConnectorError(kind, text);
}

SoapResponse readResponse(const std::string& body, const std::string& operation, const std::string& context) {
  SoapResponse response;
  response.document = std::make_unique<pugi::xml_document>();
  if (auto problem = parseUntrusted(body, *response.document)) {
    throw ConnectorError(ErrorKind::Protocol, context + ": " + *problem);
  }
  pugi::xml_node envelope = response.document->document_element();
  if (localName(envelope) != "Envelope") {
    throw ConnectorError(ErrorKind::Protocol, context + ": not a SOAP envelope but <" + envelope.name() + ">");
  }
  if (std::string ns = namespaceOf(envelope); ns != kSoapNs) {
    throw ConnectorError(ErrorKind::Protocol, context + ": SOAP envelope in the wrong namespace '" + ns + "'");
  }
  pugi::xml_node soap_body;
  for (pugi::xml_node node = envelope.first_child(); node; node = node.next_sibling()) {
    if (is(node, kSoapNs, "Body")) soap_body = node;
  }
  if (!soap_body) throw ConnectorError(ErrorKind::Protocol, context + ": SOAP envelope without a Body");
  pugi::xml_node content = soap_body.find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
  if (is(content, kSoapNs, "Fault")) {
    response.fault = readFault(content);
    return response;
  }
  if (!is(content, kMessagesNs, operation + "Response")) {
    throw ConnectorError(ErrorKind::Protocol, context + ": expected " + operation + "Response in the messages namespace, got <" +
                                                  (content ? std::string(content.name()) : std::string("nothing")) + ">" +
                                                  (content ? " in '" + namespaceOf(content) + "'" : std::string()));
  }
  response.operation = content;
  pugi::xml_node list = child(content, "ResponseMessages");
  if (!list) throw ConnectorError(ErrorKind::Protocol, context + ": " + operation + "Response without ResponseMessages");
  for (pugi::xml_node node = list.first_child(); node; node = node.next_sibling()) {
    if (node.type() != pugi::node_element) continue;
    if (!is(node, kMessagesNs, operation + "ResponseMessage")) {
      throw ConnectorError(ErrorKind::Protocol, context + ": unexpected <" + std::string(node.name()) + "> among the response messages");
    }
    ResponseMessage message;
    message.node = node;
    message.response_class = node.attribute("ResponseClass").value();
    message.code = childText(node, "ResponseCode");
    message.text = childText(node, "MessageText");
    message.back_off_ms = backOffHint(node);
    if (message.response_class != "Success" && message.response_class != "Warning" && message.response_class != "Error") {
      throw ConnectorError(ErrorKind::Protocol, context + ": response message with ResponseClass '" +
                                                    message.response_class + "'");
    }
    response.messages.push_back(std::move(message));
  }
  return response;
}

}  // namespace calsync::ews
