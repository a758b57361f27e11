#include "dav_calendar.h"

#include "ical/ical_codec.h"
#include "net/http_client.h"

namespace calsync::testing {
namespace {

net::HttpClient client(const std::string& user) {
  net::HttpOptions options;
  options.username = user;
  options.password = "x";
  options.timeout_seconds = 10;
  return net::HttpClient(options);
}

std::string unescapeXml(std::string data) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"&#13;", "\r"}, {"&lt;", "<"}, {"&gt;", ">"},
                          {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
    for (std::size_t p = data.find(from); p != std::string::npos; p = data.find(from, p + to.size())) {
      data.replace(p, from.size(), to);
    }
  }
  return data;
}

// Text between the first `open` (a tag name suffix like "href>") after `from` and the next "</".
std::string between(const std::string& text, const std::string& open) {
  const std::size_t a = text.find(open);
  if (a == std::string::npos) return "";
  const std::size_t b = text.find("</", a);
  return text.substr(a + open.size(), b - a - open.size());
}

std::string origin(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

}  // namespace

std::map<std::string, DavEvent> DavCalendar::events() const {
  net::HttpRequest request;
  request.method = "REPORT";
  request.url = url_;
  request.headers = {{"Depth", "1"}, {"Content-Type", "application/xml; charset=utf-8"}};
  request.body =
      "<?xml version=\"1.0\"?><C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
      "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
      "<C:filter><C:comp-filter name=\"VCALENDAR\"/></C:filter></C:calendar-query>";
  const auto response = client(user_).send(request);
  std::map<std::string, DavEvent> out;
  if (response.status != 207) return out;
  const std::string& body = response.body;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t start = body.find("response>", pos);
    if (start == std::string::npos) break;
    const std::size_t stop = body.find("response>", start + 9);
    const std::string block = body.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
    pos = stop == std::string::npos ? body.size() : stop + 9;
    DavEvent e;
    e.href = between(block, "href>");
    e.etag = unescapeXml(between(block, "getetag>"));
    e.data = unescapeXml(between(block, "calendar-data>"));
    if (e.data.empty()) continue;
    auto parsed = ical::parse(e.data);
    if (parsed.objects.size() != 1) continue;
    e.object = parsed.objects.front();
    e.url = origin(url_) + e.href;
    out[e.href] = e;
  }
  return out;
}

std::optional<DavEvent> DavCalendar::byUid(const std::string& uid) const {
  for (const auto& [href, e] : events()) {
    if (e.object.uid == uid) return e;
  }
  return std::nullopt;
}

std::optional<DavEvent> DavCalendar::copyOf(const std::string& source_uid) const {
  const std::string suffix = "/" + source_uid;
  for (const auto& [href, e] : events()) {
    const std::string& o = e.object.origin;
    if (o.size() >= suffix.size() && o.compare(o.size() - suffix.size(), suffix.size(), suffix) == 0) return e;
  }
  return std::nullopt;
}

int DavCalendar::create(const std::string& uid, const std::string& vevent_properties) const {
  const std::string body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//round-trip//EN\r\nBEGIN:VEVENT\r\nUID:" +
                           uid + "\r\nDTSTAMP:20260101T000000Z\r\n" + vevent_properties +
                           "END:VEVENT\r\nEND:VCALENDAR\r\n";
  return client(user_).send({"PUT", url_ + uid + ".ics", {{"Content-Type", "text/calendar; charset=utf-8"}}, body})
      .status;
}

int DavCalendar::editLine(const DavEvent& event, const std::string& property, const std::string& line) const {
  // Unfold first so a folded property is one line.
  std::string text;
  for (std::size_t i = 0; i < event.data.size(); ++i) {
    if (event.data.compare(i, 3, "\r\n ") == 0 || event.data.compare(i, 3, "\r\n\t") == 0) {
      i += 2;
      continue;
    }
    text.push_back(event.data[i]);
  }
  const std::size_t at = text.find("\r\n" + property);
  if (at != std::string::npos) {
    const std::size_t end = text.find("\r\n", at + 2);
    text.replace(at + 2, end - at - 2, line);
  } else {
    const std::size_t begin = text.find("BEGIN:VEVENT\r\n");
    text.insert(begin + 14, line + "\r\n");
  }
  return client(user_)
      .send({"PUT", event.url, {{"Content-Type", "text/calendar; charset=utf-8"}, {"If-Match", event.etag}}, text})
      .status;
}

int DavCalendar::remove(const DavEvent& event) const {
  return client(user_).send({"DELETE", event.url, {{"If-Match", event.etag}}, ""}).status;
}

std::string propertyValue(const std::string& ical, const std::string& name) {
  const std::size_t at = ical.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  const std::size_t start = at + 3 + name.size();
  std::string value;
  for (std::size_t i = start; i < ical.size(); ++i) {
    if (ical.compare(i, 2, "\r\n") == 0) {
      if (i + 2 < ical.size() && (ical[i + 2] == ' ' || ical[i + 2] == '\t')) {
        i += 2;
        continue;
      }
      break;
    }
    value.push_back(ical[i]);
  }
  return value;
}

}  // namespace calsync::testing
