// Turns the seed system's outlook_config.json into calsyncd.ini text. The seed publishes no
// schema, so this accepts the shapes such a file plausibly has (docs/calsyncctl.md lists them):
// master URL, agent id/name, the calendars to sync, work_domains, the sync interval and window,
// the Outlook profile, a destination. Every key it does not map is reported by its JSON path,
// never dropped silently; secret values are never copied: their keys become env:NAME
// placeholders and the result says which variables to set.
#pragma once

#include <string>
#include <vector>

namespace calsync::ctl {

struct ImportIssue {
  std::string path;     // "calendars[2].color"
  std::string reason;   // why it was not mapped (never the value)
};

struct SecretPlaceholder {
  std::string path;       // where the secret was in the JSON
  std::string setting;    // "[agent] enroll_token"
  std::string variable;   // "CALSYNC_ENROLL_TOKEN"
};

struct ImportResult {
  std::string ini;                          // the configuration, with a header comment
  std::vector<ImportIssue> unmapped;
  std::vector<SecretPlaceholder> secrets;
  std::vector<std::string> notes;           // choices made on the admin's behalf
};

// Throws std::invalid_argument when `json_text` is not a JSON object. `source_label` names
// the input in the header comment.
ImportResult importOutlookConfig(const std::string& json_text, const std::string& source_label);

}  // namespace calsync::ctl
