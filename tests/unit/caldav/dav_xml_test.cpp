#include <gtest/gtest.h>

#include "caldav/dav_xml.h"
#include "core/errors.h"

namespace calsync::caldav {
namespace {

TEST(ParseMultiStatus, ReadsPropertiesWhateverThePrefixes) {
  const std::string xml = R"(<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:ic="http://apple.com/ns/ical/">
  <response>
    <href>/alice/work/</href>
    <propstat>
      <prop>
        <resourcetype><collection/><cal:calendar/></resourcetype>
        <displayname>Work &amp; more</displayname>
        <ic:calendar-color>#FF0000FF</ic:calendar-color>
        <cal:supported-calendar-component-set><cal:comp name="VEVENT"/><cal:comp name="VTODO"/></cal:supported-calendar-component-set>
        <current-user-privilege-set><privilege><read/></privilege><privilege><write/></privilege></current-user-privilege-set>
      </prop>
      <status>HTTP/1.1 200 OK</status>
    </propstat>
    <propstat>
      <prop><cal:calendar-description/></prop>
      <status>HTTP/1.1 404 Not Found</status>
    </propstat>
  </response>
  <response>
    <href>/alice/work/gone.ics</href>
    <status>HTTP/1.1 404 Not Found</status>
  </response>
  <sync-token>tok-1</sync-token>
</multistatus>)";
  auto result = parseMultiStatus(xml);
  ASSERT_EQ(result.responses.size(), 2u);
  const auto& calendar = result.responses[0];
  EXPECT_EQ(calendar.href, "/alice/work/");
  EXPECT_TRUE(calendar.hasResourceType("{urn:ietf:params:xml:ns:caldav}calendar"));
  EXPECT_TRUE(calendar.hasResourceType("{DAV:}collection"));
  EXPECT_EQ(calendar.display_name.value_or(""), "Work & more");
  EXPECT_EQ(calendar.calendar_color.value_or(""), "#FF0000FF");
  EXPECT_FALSE(calendar.calendar_description);
  ASSERT_EQ(calendar.failed_props.size(), 1u);
  EXPECT_EQ(calendar.failed_props[0].first, "{urn:ietf:params:xml:ns:caldav}calendar-description");
  EXPECT_EQ(calendar.failed_props[0].second, 404);
  ASSERT_TRUE(calendar.supported_components);
  EXPECT_EQ(*calendar.supported_components, (std::vector<std::string>{"VEVENT", "VTODO"}));
  ASSERT_TRUE(calendar.privileges);
  EXPECT_EQ(*calendar.privileges, (std::vector<std::string>{"{DAV:}read", "{DAV:}write"}));
  EXPECT_EQ(result.responses[1].status, 404);
  EXPECT_EQ(result.sync_token.value_or(""), "tok-1");
}

TEST(ParseMultiStatus, CalendarDataInCdataAndEtag) {
  const std::string xml = R"(<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:response><D:href>/c/x.ics</D:href><D:propstat><D:prop><D:getetag> "e1" </D:getetag>
<C:calendar-data><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR
]]></C:calendar-data></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>)";
  auto result = parseMultiStatus(xml);
  ASSERT_EQ(result.responses.size(), 1u);
  EXPECT_EQ(result.responses[0].etag.value_or(""), "\"e1\"");
  EXPECT_EQ(result.responses[0].calendar_data.value_or(""), "BEGIN:VCALENDAR\nEND:VCALENDAR\n");
}

TEST(ParseMultiStatus, ElementsOfTheWrongNamespaceAreNotMistaken) {
  const std::string xml = R"(<D:multistatus xmlns:D="DAV:" xmlns:X="urn:other">
<D:response><D:href>/c/</D:href><D:propstat><D:prop><X:getetag>"nope"</X:getetag></D:prop>
<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>)";
  auto result = parseMultiStatus(xml);
  ASSERT_EQ(result.responses.size(), 1u);
  EXPECT_FALSE(result.responses[0].etag);
}

TEST(ParseMultiStatus, RefusesDoctypeGarbageAndOtherRoots) {
  const std::string with_doctype = R"(<?xml version="1.0"?>
<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<D:multistatus xmlns:D="DAV:"><D:response><D:href>&lol2;</D:href></D:response></D:multistatus>)";
  for (const std::string& xml : {with_doctype, std::string("<D:multistatus xmlns:D=\"DAV:\"><D:response>"),
                                 std::string("not xml at all"), std::string("<D:error xmlns:D=\"DAV:\"/>"),
                                 std::string("<D:multistatus xmlns:D=\"DAV:\"><D:response/></D:multistatus>")}) {
    try {
      parseMultiStatus(xml);
      ADD_FAILURE() << "accepted: " << xml;
    } catch (const ConnectorError& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Protocol);
    }
  }
}

TEST(ParseErrorBody, NamesThePreconditions) {
  auto errors = parseErrorBody(R"(<?xml version="1.0"?><error xmlns="DAV:"><valid-sync-token/></error>)");
  EXPECT_EQ(errors, (std::vector<std::string>{"{DAV:}valid-sync-token"}));
  auto caldav = parseErrorBody(
      R"(<d:error xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><c:valid-calendar-data/></d:error>)");
  EXPECT_EQ(caldav, (std::vector<std::string>{"{urn:ietf:params:xml:ns:caldav}valid-calendar-data"}));
  EXPECT_TRUE(parseErrorBody("").empty());
  EXPECT_TRUE(parseErrorBody("<html>Forbidden</html>").empty());
  EXPECT_TRUE(parseErrorBody("<<<").empty());
}

}  // namespace
}  // namespace calsync::caldav
