// Hostile and broken SOAP answers give clear typed errors, never a half-read result.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "ews/soap_response.h"

namespace calsync::ews {
namespace {

const std::string kGood =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
    "<m:GetItemResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
    "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:ResponseMessages>"
    "<m:GetItemResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:Items>"
    "<t:CalendarItem><t:ItemId Id=\"A\" ChangeKey=\"B\"/></t:CalendarItem></m:Items></m:GetItemResponseMessage>"
    "<m:GetItemResponseMessage ResponseClass=\"Error\"><m:MessageText>gone</m:MessageText>"
    "<m:ResponseCode>ErrorItemNotFound</m:ResponseCode><m:Items/></m:GetItemResponseMessage>"
    "</m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>";

std::string protocolError(const std::string& body, const std::string& operation = "GetItem") {
  try {
    readResponse(body, operation, "test");
  } catch (const ConnectorError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Protocol) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << body.substr(0, 200);
  return {};
}

TEST(EwsSoap, ReadsEveryResponseMessageWithItsClassAndCode) {
  SoapResponse response = readResponse(kGood, "GetItem", "test");
  ASSERT_EQ(response.messages.size(), 2u);
  EXPECT_TRUE(response.messages[0].ok());
  EXPECT_FALSE(response.messages[1].ok());
  EXPECT_EQ(response.messages[1].code, "ErrorItemNotFound");
  EXPECT_EQ(errorFor(response.messages[1], "x").kind(), ErrorKind::NotFound);
}

TEST(EwsSoap, DoctypeAndEntityDeclarationsAreRefusedUnread) {
  const std::string billion_laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>" + kGood.substr(38);
  EXPECT_NE(protocolError(billion_laughs).find("DOCTYPE"), std::string::npos);
  const std::string external = "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + kGood.substr(38);
  EXPECT_NE(protocolError(external).find("DOCTYPE"), std::string::npos);
}

TEST(EwsSoap, TruncatedAnswersAreNotWellFormed) {
  for (std::size_t cut : {kGood.size() / 3, kGood.size() / 2, kGood.size() - 20}) {
    EXPECT_NE(protocolError(kGood.substr(0, cut)).find("well-formed"), std::string::npos) << cut;
  }
  EXPECT_NE(protocolError("").find("empty"), std::string::npos);
}

TEST(EwsSoap, WrongNamespacesAreRefused) {
  std::string https_soap = kGood;
  https_soap.replace(https_soap.find("http://schemas.xmlsoap.org"), 4, "https");
  EXPECT_NE(protocolError(https_soap).find("wrong namespace"), std::string::npos);
  std::string wrong_messages = kGood;
  wrong_messages.replace(wrong_messages.find("services/2006/messages"), 22, "services/2099/messages");
  EXPECT_NE(protocolError(wrong_messages).find("messages namespace"), std::string::npos);
  EXPECT_NE(protocolError(kGood, "FindItem").find("expected FindItemResponse"), std::string::npos);
  EXPECT_NE(protocolError("<html><body>Login</body></html>").find("not a SOAP envelope"), std::string::npos);
}

TEST(EwsSoap, FaultsAreReadWithTheirBackoffHint) {
  const std::string busy =
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
      "<faultcode xmlns:a=\"http://schemas.microsoft.com/exchange/services/2006/types\">a:ErrorServerBusy</faultcode>"
      "<faultstring xml:lang=\"en-US\">The server cannot service this request right now. Try again later.</faultstring>"
      "<detail><e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">ErrorServerBusy"
      "</e:ResponseCode><e:Message xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">busy</e:Message>"
      "<t:MessageXml xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
      "<t:Value Name=\"BackOffMilliseconds\">30000</t:Value></t:MessageXml></detail></s:Fault></s:Body></s:Envelope>";
  SoapResponse response = readResponse(busy, "GetItem", "test");
  ASSERT_TRUE(response.fault.has_value());
  EXPECT_EQ(response.fault->code, "ErrorServerBusy");
  ASSERT_TRUE(response.fault->back_off_ms.has_value());
  EXPECT_EQ(*response.fault->back_off_ms, 30000);
  ConnectorError error = errorFor(*response.fault, "x");
  EXPECT_EQ(error.kind(), ErrorKind::Throttled);
  EXPECT_EQ(error.retryAfterSeconds(), 30);

  ResponseMessage no_hint;
  no_hint.code = "ErrorServerBusy";
  EXPECT_EQ(errorFor(no_hint, "x", 17).retryAfterSeconds(), 17);
}

TEST(EwsSoap, ResponseCodesMapToTheEnginesKinds) {
  EXPECT_EQ(kindForResponseCode("ErrorIrresolvableConflict"), ErrorKind::Conflict);
  EXPECT_EQ(kindForResponseCode("ErrorAccessDenied"), ErrorKind::Permission);
  EXPECT_EQ(kindForResponseCode("ErrorFolderNotFound"), ErrorKind::NotFound);
  EXPECT_EQ(kindForResponseCode("ErrorSchemaValidation"), ErrorKind::Protocol);
  EXPECT_EQ(kindForResponseCode("ErrorExceededConnectionCount"), ErrorKind::Throttled);
}

}  // namespace
}  // namespace calsync::ews
