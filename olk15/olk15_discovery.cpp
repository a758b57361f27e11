#include "olk15/olk15_discovery.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/errors.h"
#include "olk15/olk15_connector.h"
#include "olk15/profiles.h"

namespace calsync::olk15 {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::string> list(const ConnectorSpec& spec, const std::string& key) {
  std::vector<std::string> out;
  auto it = spec.settings.find(key);
  if (it == spec.settings.end()) return out;
  std::istringstream in(it->second);
  for (std::string item; std::getline(in, item, ',');) {
    const auto a = item.find_first_not_of(" \t");
    const auto b = item.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(lower(item.substr(a, b - a + 1)));
  }
  return out;
}

std::string domainOf(const std::string& account) {
  const auto at = account.rfind('@');
  return at == std::string::npos ? "" : lower(account.substr(at + 1));
}

bool domainMatches(const std::string& domain, const std::string& work) {
  // "example.com" also covers "eu.example.com".
  return domain == work || (domain.size() > work.size() && domain.compare(domain.size() - work.size(), work.size(), work) == 0 &&
                            domain[domain.size() - work.size() - 1] == '.');
}

void judge(DiscoveredCalendar& d, const std::string& folder_name, const DiscoveryRules& rules) {
  const std::size_t count = d.event_count.value_or(0);
  const std::string haystack = lower(folder_name + " " + d.calendar.name);
  for (const auto& term : rules.system_terms) {
    if (!term.empty() && haystack.find(term) != std::string::npos) {
      d.suggested = false;
      d.reason = "looks like a system calendar (\"" + term + "\")";
      return;
    }
  }
  if (count < rules.min_events) {
    d.suggested = false;
    d.reason = std::to_string(count) + " event(s), fewer than min_events (" + std::to_string(rules.min_events) + ")";
    return;
  }
  if (count > rules.max_events) {
    d.suggested = false;
    d.reason = std::to_string(count) + " events, more than max_events (" + std::to_string(rules.max_events) + ")";
    return;
  }
  const std::string domain = domainOf(d.account);
  if (!rules.work_domains.empty()) {
    const bool work = std::any_of(rules.work_domains.begin(), rules.work_domains.end(),
                                  [&](const std::string& w) { return domainMatches(domain, w); });
    if (!work) {
      d.suggested = false;
      d.reason = domain.empty() ? "not an account of a work domain" : "account domain " + domain + " is not a work domain";
      return;
    }
    d.suggested = true;
    d.reason = "work account (" + domain + "), " + std::to_string(count) + " events";
    return;
  }
  d.suggested = true;
  d.reason = std::to_string(count) + " events";
}

std::size_t sizeSetting(const ConnectorSpec& spec, const std::string& key, std::size_t fallback) {
  auto it = spec.settings.find(key);
  if (it == spec.settings.end() || it->second.empty()) return fallback;
  try {
    const long long v = std::stoll(it->second);
    return v < 0 ? 0 : static_cast<std::size_t>(v);
  } catch (const std::exception&) {
    throw ConnectorError(ErrorKind::Config, "'" + key + "' must be a number");
  }
}

}  // namespace

DiscoveryRules discoveryRulesFrom(const ConnectorSpec& spec) {
  DiscoveryRules rules;
  rules.work_domains = list(spec, "work_domains");
  rules.system_terms = list(spec, "system_terms");
  if (!spec.settings.count("system_terms")) {
    rules.system_terms = {"holiday", "birthday", "feiertag", "geburtstag", "jours fériés", "anniversaire"};
  }
  rules.min_events = sizeSetting(spec, "min_events", 1);
  rules.max_events = sizeSetting(spec, "max_events", 50000);
  return rules;
}

DiscoveryReport discoverOutlookMac(const ConnectorSpec& spec) {
  DiscoveryReport report;
  const DiscoveryRules rules = discoveryRulesFrom(spec);
  const Olk15Options base = optionsFrom(spec);

  std::vector<Profile> profiles;
  try {
    // A single profile when the settings name one; else every profile under the root.
    if (!base.profile.empty() || (!base.profile_root.empty() && findProfiles(base.profile_root).empty())) {
      profiles.push_back(resolveProfile(base.profile_root, base.profile));
    } else {
      const fs::path root = base.profile_root.empty() ? defaultProfilesRoot() : fs::path(base.profile_root);
      profiles = findProfiles(root);
      if (profiles.empty()) {
        report.notes.push_back("no Outlook for Mac profile (Outlook 15 Profiles/*/Data) found under " + root.string());
      }
    }
  } catch (const ConnectorError& e) {
    report.notes.push_back(e.what());
  }

  for (const Profile& profile : profiles) {
    Olk15Options options = base;
    options.profile_root = profile.dir.string();
    options.profile.clear();
    options.state_dir.clear();  // discovery leaves no state behind
    Olk15Connector connector(options);
    std::vector<Calendar> calendars;
    try {
      calendars = connector.listCalendars();
    } catch (const ConnectorError& e) {
      report.notes.push_back("profile '" + profile.name + "': " + e.what());
      continue;
    }
    const StoreListing& listing = *connector.lastListing();
    report.notes.push_back("profile '" + profile.name + "' (" + profile.dir.string() + "): " +
                           std::to_string(listing.calendars.size()) + " calendar(s), " +
                           std::to_string(listing.rows.size()) + " event(s), read from the " + toString(listing.source) +
                           (listing.schema_version ? ", schema version " + std::to_string(listing.schema_version >> 16) : ""));
    for (const auto& w : listing.warnings) report.notes.push_back("profile '" + profile.name + "': " + w.where + ": " + w.message);
    for (const CalendarFolder& folder : listing.calendars) {
      DiscoveredCalendar d;
      const std::string id = calendarIdFor(folder.folder_id);
      for (const auto& c : calendars) {
        if (c.id == id) d.calendar = c;
      }
      d.account = folder.account;
      d.event_count = folder.event_count;
      judge(d, folder.name, rules);
      d.section_name = "outlook-" + sectionSlug(folder.account.substr(0, folder.account.find('@')));
      if (folder.special_type != 4) {
        d.section_name +=
            "-" + sectionSlug(folder.name.empty() ? "folder-" + std::to_string(folder.folder_id) : folder.name);
      }
      d.settings["profile_root"] = profile.dir.string();
      d.settings["calendars"] = id;
      report.calendars.push_back(std::move(d));
    }
  }
  makeSectionNamesUnique(report.calendars);
  return report;
}

}  // namespace calsync::olk15
