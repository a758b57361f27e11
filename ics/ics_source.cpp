#include "ics/ics_source.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "ical/ical_codec.h"

namespace calsync::ics {
namespace {

namespace fs = std::filesystem;

bool hasIcsExtension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".ics";
}

std::string readFile(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) throw ConnectorError(ErrorKind::NotFound, "cannot read " + file.string() + ": " + ec.message());
  if (size > ical::kMaxInputBytes) {
    throw ConnectorError(ErrorKind::BadData, file.string() + " is larger than the " +
                                                 std::to_string(ical::kMaxInputBytes >> 20) + " MiB limit");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConnectorError(ErrorKind::Permission, "cannot open " + file.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw ConnectorError(ErrorKind::BadData, "error while reading " + file.string());
  return bytes.str();
}

class PathSource : public IcsSource {
 public:
  explicit PathSource(fs::path path) : path_(std::move(path)) {}

  std::vector<CalendarId> calendarIds() override {
    std::error_code ec;
    const fs::file_status status = fs::status(path_, ec);
    if (ec || !fs::exists(status)) throw ConnectorError(ErrorKind::NotFound, path_.string() + " does not exist");
    if (fs::is_regular_file(status)) return {path_.filename().string()};
    if (!fs::is_directory(status)) throw ConnectorError(ErrorKind::BadData, path_.string() + " is neither a file nor a folder");
    std::vector<CalendarId> ids;
    fs::directory_iterator it(path_, ec);
    if (ec) throw ConnectorError(ErrorKind::Permission, "cannot list " + path_.string() + ": " + ec.message());
    for (const auto& entry : it) {
      if (hasIcsExtension(entry.path()) && entry.is_regular_file(ec)) ids.push_back(entry.path().filename().string());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  IcsDocument read(const CalendarId& id) override {
    const fs::path file = fileFor(id);
    return IcsDocument{fs::path(id).stem().string(), id, readFile(file)};
  }

 private:
  // Only names this source lists are readable: an id can never reach outside the folder.
  fs::path fileFor(const CalendarId& id) {
    const std::vector<CalendarId> ids = calendarIds();
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      throw ConnectorError(ErrorKind::NotFound, "no calendar '" + id + "' in " + path_.string());
    }
    std::error_code ec;
    return fs::is_directory(path_, ec) ? path_ / id : path_;
  }

  fs::path path_;
};

// Subscription URLs often carry a private token, so messages name only scheme and host.
std::string describe(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "the subscription URL";
  const std::size_t host_end = url.find_first_of("/?#", scheme_end + 3);
  std::string host = url.substr(scheme_end + 3, host_end == std::string::npos ? std::string::npos : host_end - scheme_end - 3);
  const std::size_t at = host.rfind('@');
  if (at != std::string::npos) host.erase(0, at + 1);
  return url.substr(0, scheme_end) + "://" + host + "/...";
}

class UrlSource : public IcsSource {
 public:
  UrlSource(std::string url, const net::HttpOptions& options) : url_(std::move(url)), client_(options) {}

  std::vector<CalendarId> calendarIds() override { return {kSubscriptionId}; }

  IcsDocument read(const CalendarId& id) override {
    if (id != kSubscriptionId) throw ConnectorError(ErrorKind::NotFound, "no calendar '" + id + "' in a subscription");
    net::HttpRequest request;
    request.url = url_;
    request.headers.emplace_back("Accept", "text/calendar, */*;q=0.5");
    const net::HttpResponse response = client_.send(request);
    const std::string context = "fetching " + describe(url_);
    if (response.status >= 400) throw net::errorForStatus(response, context);
    if (response.status < 200 || response.status >= 300) {
      throw ConnectorError(ErrorKind::Protocol, context + ": unexpected HTTP status " + std::to_string(response.status));
    }
    return IcsDocument{kSubscriptionId, kSubscriptionId, response.body};
  }

 private:
  std::string url_;
  net::HttpClient client_;
};

}  // namespace

std::unique_ptr<IcsSource> makePathSource(const std::string& path) { return std::make_unique<PathSource>(path); }

std::unique_ptr<IcsSource> makeUrlSource(const std::string& url, const net::HttpOptions& options) {
  // webcal:// is what calendar sites hand out for subscriptions; it means https.
  const std::string fetched = url.rfind("webcal://", 0) == 0 ? "https://" + url.substr(9) : url;
  return std::make_unique<UrlSource>(fetched, options);
}

}  // namespace calsync::ics
