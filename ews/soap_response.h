// Reading a SOAP answer from EWS: the envelope is checked (namespaces included), a fault or
// an error response message becomes a typed ConnectorError, and the response messages of a
// batch are handed out one by one, each with its class and code.
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.h"

namespace calsync::ews {

struct ResponseMessage {
  pugi::xml_node node;                 // <m:XxxResponseMessage>
  std::string response_class;          // Success | Warning | Error
  std::string code;                    // NoError, ErrorItemNotFound, ...
  std::string text;                    // MessageText, for humans
  std::optional<std::int64_t> back_off_ms;  // MessageXml BackOffMilliseconds, when given
  bool ok() const { return response_class != "Error"; }
};

struct SoapResponse {
  std::unique_ptr<pugi::xml_document> document;
  std::optional<ResponseMessage> fault;  // a SOAP fault, read like an error message
  pugi::xml_node operation;            // <m:XxxResponse>; empty for a fault
  std::vector<ResponseMessage> messages;
};

// Parses an HTTP 200 (or 500 with a fault) body as the answer to `operation` ("GetItem").
// Throws ConnectorError(Protocol) for anything malformed: hostile XML, truncation, wrong
// namespaces, another operation's answer. A SOAP fault is returned in `fault`.
SoapResponse readResponse(const std::string& body, const std::string& operation, const std::string& context);

// What an error response code means to the engine.
ErrorKind kindForResponseCode(const std::string& code);
// The error a failed response message stands for; Throttled carries the server's backoff.
ConnectorError errorFor(const ResponseMessage& message, const std::string& context,
                        std::int64_t fallback_backoff_seconds = 30);
// Seconds to wait for a BackOffMilliseconds hint, rounded up, at least 1.
std::int64_t backoffSeconds(std::int64_t back_off_ms);

}  // namespace calsync::ews
