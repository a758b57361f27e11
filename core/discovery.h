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

// A NAME for [source.NAME] from free text (a calendar or account name): lower-case ASCII
// letters and digits, every other run as one '-'; empty when nothing is left.
std::string sectionSlug(const std::string& text);

// Adds -2, -3 ... to section names already given to an earlier calendar of the report, so
// the printed INI never holds the same section twice.
void makeSectionNamesUnique(std::vector<DiscoveredCalendar>& calendars);

}  // namespace calsync
