// Reading a CalDAV calendar: RFC 6578 sync-collection when the server has it, an ETag
// listing (PROPFIND Depth 1) when it does not, calendar-multiget for the data either way.
#include <algorithm>
#include <set>

#include "caldav/caldav_connector.h"
#include "caldav/dav_bodies.h"
#include "caldav/dav_xml.h"
#include "caldav/href.h"
#include "caldav/resource_reader.h"
#include "caldav/sync_cursor.h"
#include "core/log.h"
#include "net/url.h"

namespace calsync::caldav {
namespace {

constexpr std::string_view kLog = "caldav";
constexpr int kMaxTruncatedRounds = 1000;

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool successful(int status) { return status >= 200 && status < 300; }

MultiStatus parseOrThrow(const net::HttpResponse& response, const std::string& context) {
  try {
    return parseMultiStatus(response.body);
  } catch (const ConnectorError& error) {
    throw ConnectorError(ErrorKind::Protocol, context + ": " + error.what());
  }
}

}  // namespace

struct CaldavConnector::SyncListing {
  enum class Outcome { Ok, InvalidToken, NotSupported };
  Outcome outcome = Outcome::Ok;
  std::map<std::string, std::string> changed;  // path -> etag the report gave
  std::set<std::string> removed;
  std::string token;
};

struct CaldavConnector::Fetched {
  std::vector<CalendarObject> objects;
  std::map<std::string, std::string> etags;    // path -> etag of the data fetched
  std::vector<std::string> unusable;           // exist, but could not be read
  std::vector<std::string> gone;               // deleted between listing and fetching
  std::vector<ReadWarning> warnings;
};

ChangeSet CaldavConnector::pull(const CalendarId& calendar, const Window& /*window*/, const Cursor& cursor) {
  // CalDAV sync has no window: everything comes back and the engine filters by window.
  const std::string path = withTrailingSlash(canonicalPath(calendar));
  std::optional<SyncCursor> previous;
  if (!cursor.empty()) {
    previous = SyncCursor::decode(cursor);
    if (!previous) log::warn(kLog, "unreadable cursor for " + path + "; reading the whole calendar");
  }
  if (previous && previous->mode == SyncCursor::Mode::Etags) return pullWithEtags(path, &previous->etags);
  if (!config_.use_sync_collection) return pullWithEtags(path, nullptr);
  return pullWithSyncToken(path, previous ? previous->token : std::string());
}

ChangeSet CaldavConnector::pullWithSyncToken(const std::string& calendar, const std::string& token) {
  std::string from = token;
  SyncListing listing = syncCollection(calendar, from);
  if (listing.outcome == SyncListing::Outcome::InvalidToken && !from.empty()) {
    log::info(kLog, "sync token for " + calendar + " no longer valid; reading the whole calendar");
    from.clear();
    listing = syncCollection(calendar, from);
  }
  if (listing.outcome == SyncListing::Outcome::InvalidToken) {
    throw ConnectorError(ErrorKind::Protocol, "REPORT sync-collection " + calendar + ": the initial sync was refused");
  }
  if (listing.outcome == SyncListing::Outcome::NotSupported) {
    log::info(kLog, "no usable sync-collection on " + calendar + "; using ETag listings");
    return pullWithEtags(calendar, nullptr);
  }

  const bool full = from.empty();
  std::vector<std::string> paths;
  for (const auto& [path, etag] : listing.changed) paths.push_back(path);
  Fetched fetched = fetch(calendar, paths);

  ChangeSet changes;
  changes.complete = full;
  changes.upserts = std::move(fetched.objects);
  // Unreadable resources still exist: listing them here keeps the engine from deleting them.
  changes.out_of_window = std::move(fetched.unusable);
  changes.warnings = std::move(fetched.warnings);
  if (!full) {
    changes.removed.assign(listing.removed.begin(), listing.removed.end());
    changes.removed.insert(changes.removed.end(), fetched.gone.begin(), fetched.gone.end());
  }
  changes.cursor = SyncCursor{SyncCursor::Mode::SyncToken, listing.token, {}}.encode();
  return changes;
}

ChangeSet CaldavConnector::pullWithEtags(const std::string& calendar,
                                         const std::map<std::string, std::string>* previous) {
  auto listing = etagListing(calendar);
  std::vector<std::string> wanted;
  for (const auto& [path, etag] : listing) {
    auto known = previous ? previous->find(path) : std::map<std::string, std::string>::const_iterator{};
    if (!previous || known == previous->end() || known->second != etag || etag.empty()) wanted.push_back(path);
  }
  Fetched fetched = fetch(calendar, wanted);

  ChangeSet changes;
  // Only the first listing is everything; later ones carry just the changes, so deletions
  // are reported explicitly instead of being implied by absence.
  changes.complete = previous == nullptr;
  changes.upserts = std::move(fetched.objects);
  changes.out_of_window = std::move(fetched.unusable);
  changes.warnings = std::move(fetched.warnings);
  if (previous) {
    for (const auto& [path, etag] : *previous) {
      if (!listing.count(path)) changes.removed.push_back(path);
    }
    changes.removed.insert(changes.removed.end(), fetched.gone.begin(), fetched.gone.end());
  }
  for (const auto& path : fetched.gone) listing.erase(path);
  for (const auto& [path, etag] : fetched.etags) listing[path] = etag;
  SyncCursor cursor;
  cursor.mode = SyncCursor::Mode::Etags;
  cursor.etags = std::move(listing);
  changes.cursor = cursor.encode();
  return changes;
}

CaldavConnector::SyncListing CaldavConnector::syncCollection(const std::string& calendar, const std::string& token) {
  const std::string url = urlFor(calendar);
  const std::string context = "REPORT sync-collection " + net::redactUrl(url);
  net::Headers headers = {{"Content-Type", "application/xml; charset=utf-8"}, {"Depth", "0"}};
  SyncListing listing;
  std::string current = token;
  for (int round = 0;; ++round) {
    if (round == kMaxTruncatedRounds) throw ConnectorError(ErrorKind::Protocol, context + ": never finished");
    auto response = send("REPORT", url, headers, syncCollectionBody(current));
    if (response.status != 207) {
      auto errors = parseErrorBody(response.body);
      // The precondition element decides, not the status: servers use 403, 409 or 507.
      if (contains(errors, clark(kDavNs, "valid-sync-token"))) {
        if (round > 0) throw ConnectorError(ErrorKind::Protocol, context + ": the server refused its own sync token");
        listing.outcome = SyncListing::Outcome::InvalidToken;
        return listing;
      }
      const int status = response.status;
      bool unsupported = status == 400 || status == 403 || status == 405 || status == 415 || status == 501 ||
                         contains(errors, clark(kDavNs, "supported-report"));
      if (unsupported && round == 0) {
        listing.outcome = SyncListing::Outcome::NotSupported;
        return listing;
      }
      throw net::errorForStatus(response, context);
    }
    MultiStatus result = parseOrThrow(response, context);
    if (!result.sync_token || result.sync_token->empty()) {
      // A multistatus without a token is not a sync-collection answer.
      if (round > 0) throw ConnectorError(ErrorKind::Protocol, context + ": truncated answer without a sync token");
      listing.outcome = SyncListing::Outcome::NotSupported;
      return listing;
    }
    bool truncated = false;
    for (const auto& member : result.responses) {
      std::string path = hrefPath(url, member.href);
      if (samePath(path, calendar)) {
        truncated = truncated || member.status == 507;
        continue;
      }
      if (member.status == 404) {
        listing.removed.insert(path);
        listing.changed.erase(path);
        continue;
      }
      if (member.status != 0 && !successful(member.status)) {
        throw ConnectorError(ErrorKind::Protocol, context + ": member " + path + " reported with status " +
                                                      std::to_string(member.status));
      }
      if (member.hasResourceType(clark(kDavNs, "collection"))) continue;
      listing.changed[path] = member.etag.value_or("");
      listing.removed.erase(path);
    }
    listing.token = *result.sync_token;
    if (!truncated) return listing;
    if (listing.token == current) throw ConnectorError(ErrorKind::Protocol, context + ": truncated without progress");
    log::debug(kLog, context + ": truncated answer, continuing");
    current = listing.token;
  }
}

std::map<std::string, std::string> CaldavConnector::etagListing(const std::string& calendar) {
  const std::string url = urlFor(calendar);
  std::map<std::string, std::string> listing;
  for (const auto& member : propfind(url, 1, propfindEtagsBody())) {
    std::string path = hrefPath(url, member.href);
    if (samePath(path, calendar) || member.status == 404) continue;
    if (member.status != 0 && !successful(member.status)) {
      throw ConnectorError(ErrorKind::Protocol, "PROPFIND " + net::redactUrl(url) + ": member " + path +
                                                    " reported with status " + std::to_string(member.status));
    }
    if (member.hasResourceType(clark(kDavNs, "collection"))) continue;
    listing[path] = member.etag.value_or("");
  }
  return listing;
}

CaldavConnector::Fetched CaldavConnector::fetch(const std::string& calendar, const std::vector<std::string>& paths) {
  const std::string url = urlFor(calendar);
  const std::string context = "REPORT calendar-multiget " + net::redactUrl(url);
  net::Headers headers = {{"Content-Type", "application/xml; charset=utf-8"}};
  Fetched fetched;
  for (std::size_t first = 0; first < paths.size(); first += config_.multiget_batch) {
    std::vector<std::string> batch(paths.begin() + static_cast<std::ptrdiff_t>(first),
                                   paths.begin() + static_cast<std::ptrdiff_t>(std::min(paths.size(), first + config_.multiget_batch)));
    auto response = send("REPORT", url, headers, multigetBody(batch));
    if (response.status != 207) throw net::errorForStatus(response, context);
    MultiStatus result = parseOrThrow(response, context);
    std::set<std::string> pending(batch.begin(), batch.end());
    for (const auto& member : result.responses) {
      std::string path = hrefPath(url, member.href);
      if (!pending.erase(path)) continue;  // not asked for, or said twice
      if (member.status == 404) {
        fetched.gone.push_back(path);
        continue;
      }
      if (!member.calendar_data) {
        fetched.warnings.push_back({path, "the server sent no calendar data for it"});
        fetched.unusable.push_back(path);
        continue;
      }
      std::string etag = member.etag.value_or("");
      auto read = readResource(path, etag, *member.calendar_data);
      fetched.etags[path] = etag;
      if (read.object) {
        fetched.objects.push_back(std::move(*read.object));
      } else if (!read.not_an_event) {
        fetched.warnings.push_back({path, read.problem});
        fetched.unusable.push_back(path);
      }
    }
    if (!pending.empty()) {
      throw ConnectorError(ErrorKind::Protocol, context + ": the answer left out " + std::to_string(pending.size()) +
                                                    " of the requested resources, e.g. " + *pending.begin());
    }
  }
  return fetched;
}

}  // namespace calsync::caldav
