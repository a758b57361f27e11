// `calsyncctl discover olk15` (alias outlook-mac), like the seed's check_outlook_calendars:
// every calendar of every Outlook for Mac profile with its account, its event count and
// whether it looks like a work calendar worth syncing, plus a ready [source.NAME] section.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/discovery.h"
#include "core/registry.h"

namespace calsync::olk15 {

struct DiscoveryRules {
  std::vector<std::string> work_domains;   // empty: any account may be a work account
  std::vector<std::string> system_terms;   // words that mark a holiday/birthday-style calendar
  std::size_t min_events = 1;
  std::size_t max_events = 50000;
};

DiscoveryRules discoveryRulesFrom(const ConnectorSpec& spec);

// Lists what the profiles named by `spec` (profile_root, profile; empty = every profile under
// the default root) hold. Problems with one profile (New Outlook, no access) become notes.
DiscoveryReport discoverOutlookMac(const ConnectorSpec& spec);

}  // namespace calsync::olk15
