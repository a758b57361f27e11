// What `calsyncctl discover <type>` reports: the calendars an endpoint exposes, with enough
// context for an admin to pick the ones to sync, and the INI sections that would sync them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/key_spec.h"

namespace calsync {

struct DiscoveredCalendar {
  Calendar calendar;
  std::string account;                      // mailbox or account address, when known
  std::optional<std::size_t> event_count;   // events in the store, when cheap to know
  bool suggested = true;                    // looks like a calendar worth syncing
  std::string reason;                       // why it is (not) suggested, for humans
  std::string section_name;                 // proposed NAME for [source.NAME]
  Settings settings;                        // keys of that section besides `type`
};

struct DiscoveryReport {
  std::vector<DiscoveredCalendar> calendars;
  // Facts about the endpoint as a whole ("only the new Outlook's store is live"), shown
  // above the table.
  std::vector<std::string> notes;
};

}  // namespace calsync
