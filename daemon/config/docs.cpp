#include "daemon/config/docs.h"

#include <sstream>

#include "daemon/config/schema.h"
#include "daemon/config/value_check.h"

namespace calsync::config {
namespace {

struct SectionDoc {
  std::string name;
  std::string summary;
};

const std::vector<SectionDoc> kDaemonSections{
    {"daemon", "What the process runs, where it keeps its data, and how it logs."},
    {"agent", "The agent: its identity at the master, how often and how far it reads its sources."},
    {"master", "The master: its API endpoint, credentials, store and conflict policy."},
};

const char* kDestinationSummary =
    "The one calendar everything is consolidated into; required in mode = standalone. Its keys are "
    "type, calendar and the keys of its connector type (see Connector types).";
const char* kSourceSummary =
    "One section per calendar source; NAME (letters, digits, '-' and '_') identifies the source for "
    "good. Its keys are the common keys below and the keys of its connector type (see Connector "
    "types).";

std::string rangeOf(const KeySpec& spec) {
  if (spec.type == KeyType::Enum) {
    std::string text;
    for (const auto& choice : spec.choices) text += (text.empty() ? "" : " | ") + choice;
    return text;
  }
  if (spec.type != KeyType::Int && spec.type != KeyType::Duration) return "";
  auto show = [&](std::int64_t v) { return spec.type == KeyType::Duration ? formatDuration(v) : std::to_string(v); };
  if (spec.min != INT64_MIN && spec.max != INT64_MAX) return show(spec.min) + ".." + show(spec.max);
  if (spec.min != INT64_MIN) return ">= " + show(spec.min);
  if (spec.max != INT64_MAX) return "<= " + show(spec.max);
  return "";
}

// Connector authors do not all end descriptions with a full stop; the docs add text after them.
std::string sentence(const std::string& text) {
  if (text.empty() || text.back() == '.' || text.back() == '!' || text.back() == '?') return text;
  return text + ".";
}

std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word;
  std::string line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// Each '\n'-separated paragraph wrapped on its own, paragraphs separated by a bare "#".
std::string commentBlock(const std::string& text) {
  std::string out;
  std::istringstream paragraphs(text);
  std::string paragraph;
  while (std::getline(paragraphs, paragraph)) {
    if (!out.empty()) out += "#\n";
    for (const auto& line : wrap(paragraph, 94)) out += "# " + line + "\n";
  }
  return out;
}

std::vector<std::string> destinationTypes(const ConnectorRegistry& registry) {
  std::vector<std::string> types;
  for (const auto& type : registry.types()) {
    if (registry.find(type)->can_be_destination) types.push_back(type);
  }
  return types;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// ---- sample INI ----

// Zabbix's stanza: the option, its description, then the facts an admin checks.
std::string stanza(const KeySpec& spec) {
  std::string out = "### Option: " + spec.key + "\n";
  for (const auto& line : wrap(sentence(spec.description), 92)) out += "#\t" + line + "\n";
  if (spec.type == KeyType::Secret) {
    out += "#\tWrite it inline, as env:NAME, or as " + spec.key + "_file = /path/to/file.\n";
  }
  out += "#\n";
  out += std::string("# Mandatory: ") + (spec.required ? "yes" : "no") + "\n";
  out += std::string("# Type: ") + toString(spec.type) + "\n";
  if (const std::string range = rangeOf(spec); !range.empty()) out += "# Range: " + range + "\n";
  if (!spec.reloadable) out += "# Change needs: restart\n";
  out += "# Default:\n";
  out += "# " + spec.key + " =" + (spec.default_value.empty() ? "" : " " + spec.default_value) + "\n\n";
  return out;
}

std::string banner(const std::string& title) { return "############ " + title + " ############\n"; }

const char* kSampleIntro =
    "calsyncd.ini: configuration of the calsync daemon. Generated from the schema by "
    "calsync-gen-config-docs; every key is listed, commented out, with its default. Uncomment and "
    "change what you need; docs/config.md describes the same keys.\n"
    "Format: [section] headers and key = value lines. Comments start with ';' or '#', also after a "
    "value when a space precedes them; quote a value that contains them (\"#ff0000\").\n"
    "Files: this file, then conf.d/*.ini beside it in file-name order; a later file overrides keys "
    "set earlier, and a later [destination] or [source.NAME] that sets type replaces that section "
    "whole. Unknown sections and keys are errors: calsyncd --test-config lists them with "
    "file:line.\n"
    "Durations: a number with an optional unit s, m, h, d or w (45, 30m, 2h, 30d, 1w). Booleans: "
    "true/false, yes/no, on/off, 1/0. Lists: comma-separated.\n"
    "Secrets: inline, env:NAME (read from the environment), or KEY_file = PATH (the file's content "
    "without its trailing newline; keep it chmod 600).\n"
    "Relative paths are relative to the directory of the file that sets them.";

// ---- markdown ----

std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string code(const std::string& text) { return text.empty() ? "" : "`" + cell(text) + "`"; }

std::string table(const std::vector<KeySpec>& keys) {
  std::string out = "| Key | Type | Default | Range | Required | Reload | Description |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const KeySpec& spec : keys) {
    std::string description = sentence(spec.description);
    if (spec.type == KeyType::Secret) {
      description += " Inline, `env:NAME`, or `" + spec.key + "_file = PATH`.";
    }
    out += "| `" + spec.key + "` | " + toString(spec.type) + " | " + code(spec.default_value) + " | " +
           cell(rangeOf(spec)) + " | " + (spec.required ? "yes" : "") + " | " + (spec.reloadable ? "yes" : "restart") +
           " | " + cell(description) + " |\n";
  }
  return out;
}

const char* kMarkdownIntro =
    "calsyncd reads one INI file — by default `/etc/calsync/calsyncd.ini` on Linux, "
    "`/Library/Application Support/calsync/calsyncd.ini` on macOS and "
    "`%ProgramData%\\calsync\\calsyncd.ini` on Windows — then every `conf.d/*.ini` in the same "
    "directory, in file-name order. A key set in a later file overrides the same key set earlier; "
    "a `[destination]` or `[source.NAME]` section that sets `type` in a later file replaces that "
    "section whole (this is how `POST /sync/config/destination/…` switches the destination through a "
    "drop-in). "
    "`calsyncd --test-config` checks the files and lists every problem with its file and line.\n\n"
    "## Format\n\n"
    "- `[section]` headers and `key = value` lines; keys are lowercase. Values are trimmed; "
    "`\"quotes\"` around a value are removed.\n"
    "- Comments: lines starting with `;` or `#`, and `;` or `#` after a space at the end of a line. "
    "Quote a value that contains them (`color = \"#ff0000\"`).\n"
    "- Strict: an unknown section or key, a key given twice in one file, a line that is not a "
    "header, key or comment, a value of the wrong type or out of range, and a missing required key "
    "are all errors.\n"
    "- Types: *duration* is a number with an optional unit `s`, `m`, `h`, `d` or `w` (`45`, `30m`, "
    "`2h`, `30d`, `1w`); *boolean* is `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`; *list* is "
    "comma-separated; *host:port* takes `[addr]:port` for IPv6; *url* is `http://` or `https://`.\n"
    "- Secrets are written inline, as `env:NAME` (taken from the environment), or as "
    "`KEY_file = PATH` (the file's content without its trailing newline; keep it `chmod 600`). "
    "They never appear in logs or error messages.\n"
    "- Relative paths are relative to the directory of the file that sets them.\n"
    "- Reload: keys marked *restart* take effect after a restart; the rest on SIGHUP.\n"
    "- Requirements by mode: `agent` needs `[agent] master_url` and at least one source; `master` "
    "needs `tls_cert` and `tls_key` unless `allow_plain_http = true`; `standalone` needs a "
    "`[destination]` and at least one source.\n";

}  // namespace

std::string sampleIni(const ConnectorRegistry& registry) {
  std::string out = commentBlock(kSampleIntro) + "\n";
  for (const SectionDoc& section : kDaemonSections) {
    out += banner("[" + section.name + "]") + commentBlock(section.summary) + "[" + section.name + "]\n\n";
    for (const KeySpec& spec : sectionSchema(section.name)) out += stanza(spec);
  }

  out += banner("[destination]") + commentBlock(kDestinationSummary);
  out += "# Types that can be the destination: " + joined(destinationTypes(registry), ", ") + ".\n#\n";
  out += "#[destination]\n\n";
  for (const KeySpec& spec : sectionSchema("destination")) out += stanza(spec);

  out += banner("[source.NAME]") + commentBlock(kSourceSummary) + "#\n#[source.NAME]\n\n";
  for (const KeySpec& spec : sectionSchema("source")) out += stanza(spec);

  for (const std::string& type : registry.types()) {
    const ConnectorInfo& info = *registry.find(type);
    out += banner("Connector type: " + type) + commentBlock(sentence(info.description));
    out += std::string("# Can be the destination: ") + (info.can_be_destination ? "yes" : "no") + "\n#\n";
    out += "#[source." + type + "-example]\n#type = " + type + "\n\n";
    for (const KeySpec& spec : info.keys) out += stanza(spec);
  }
  return out;
}

std::string markdownDocs(const ConnectorRegistry& registry) {
  std::string out = "# calsyncd configuration\n\n";
  out += "<!-- Generated from the schema by calsync-gen-config-docs (build target config-docs). "
         "Do not edit by hand. -->\n\n";
  out += kMarkdownIntro;
  out += "\n## Sections\n";
  for (const SectionDoc& section : kDaemonSections) {
    out += "\n### [" + section.name + "]\n\n" + section.summary + "\n\n" + table(sectionSchema(section.name));
  }
  out += "\n### [destination]\n\n" + std::string(kDestinationSummary) + " Types that can be the destination: " +
         joined(destinationTypes(registry), ", ") + ".\n\n" + table(sectionSchema("destination"));
  out += "\n### [source.NAME]\n\n" + std::string(kSourceSummary) + "\n\n" + table(sectionSchema("source"));

  out += "\n## Connector types\n";
  for (const std::string& type : registry.types()) {
    const ConnectorInfo& info = *registry.find(type);
    out += "\n### `" + type + "`\n\n" + sentence(info.description) + "\n\nCan be the destination: " +
           (info.can_be_destination ? "yes" : "no") + ".\n\n";
    out += info.keys.empty() ? std::string("No keys besides `type`.\n") : table(info.keys);
  }
  return out;
}

}  // namespace calsync::config
