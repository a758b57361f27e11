#include "daemon/ctl/outlook_import.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <stdexcept>

#include "daemon/config/value_check.h"
#include "daemon/ctl/ini_text.h"

namespace calsync::ctl {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Entries = std::vector<std::pair<std::string, std::string>>;

bool isObject(const Var& v) { return v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return v.type() == typeid(Array::Ptr); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Key names that hold credentials in configs like this one; their values are never copied.
bool looksSecret(const std::string& key) {
  const std::string k = lower(key);
  for (const char* word : {"password", "passwd", "secret", "token", "api_key", "apikey", "private_key", "credential"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

std::optional<std::string> scalarText(const Var& v) {
  if (v.isEmpty() || isObject(v) || isArray(v)) return std::nullopt;
  if (v.isBoolean()) return v.convert<bool>() ? "true" : "false";
  if (v.isString() || v.isNumeric()) return v.convert<std::string>();
  return std::nullopt;
}

std::optional<bool> boolValue(const Var& v) {
  if (v.isBoolean()) return v.convert<bool>();
  if (auto text = scalarText(v)) return config::parseBool(*text);
  return std::nullopt;
}

// A number in `unit` seconds, or a duration text ("5m", "1h"; bare digits count in `unit`).
std::optional<std::int64_t> seconds(const Var& v, std::int64_t unit) {
  if (v.isNumeric() && !v.isBoolean()) {
    const double n = v.convert<double>();
    if (n < 0 || n > 1e9) return std::nullopt;
    return static_cast<std::int64_t>(n * static_cast<double>(unit));
  }
  if (!v.isString()) return std::nullopt;
  const std::string text = v.extract<std::string>();
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::stoll(text) * unit;
  }
  return config::parseDuration(text);
}

// Strings from an array, or a comma-separated string.
std::optional<std::vector<std::string>> stringList(const Var& v) {
  std::vector<std::string> out;
  if (isArray(v)) {
    const auto array = v.extract<Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      auto text = scalarText(array->get(static_cast<unsigned>(i)));
      if (!text) return std::nullopt;
      out.push_back(*text);
    }
    return out;
  }
  if (auto text = scalarText(v)) {
    std::string item;
    for (char c : *text + ",") {
      if (c != ',') {
        item += c;
        continue;
      }
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) out.push_back(item);
      item.clear();
    }
    return out;
  }
  return std::nullopt;
}

// Text for a `;` comment line: a line break in a JSON key must not end the comment.
std::string commentText(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text;
}

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The JSON document with a record of which paths were mapped, so that everything else can be
// reported by path.
class JsonTree {
 public:
  explicit JsonTree(Object::Ptr root) : root_(std::move(root)) {}

  std::optional<Var> at(const std::string& path) const {
    Var current = root_;
    std::size_t start = 0;
    while (start <= path.size()) {
      const std::size_t dot = std::min(path.find('.', start), path.size());
      if (!isObject(current)) return std::nullopt;
      const auto object = current.extract<Object::Ptr>();
      const std::string key = path.substr(start, dot - start);
      if (!object->has(key) || object->isNull(key)) return std::nullopt;
      current = object->get(key);
      start = dot + 1;
    }
    return current;
  }

  // The first of `paths` present; the others present too are reported as duplicates. With
  // `mark`, the whole value counts as mapped; without, the caller marks the parts it maps and
  // the rest is reported.
  std::optional<std::pair<std::string, Var>> take(const std::vector<std::string>& paths, bool mark = true) {
    std::optional<std::pair<std::string, Var>> found;
    for (const auto& path : paths) {
      auto value = at(path);
      if (!value) continue;
      if (found) {
        reject(path, "also given as " + found->first + ", whose value was used");
      } else {
        found = std::pair(path, *value);
        if (mark) handle(path);
      }
    }
    return found;
  }

  void handle(const std::string& path) {
    handled_.insert(path);
    mapped_.push_back(path);
  }
  // Paths mapped so far, in order: lets a caller take back what it mapped (journal(from)).
  std::size_t mappedCount() const { return mapped_.size(); }
  std::vector<std::string> mappedSince(std::size_t from) const {
    return {mapped_.begin() + static_cast<std::ptrdiff_t>(from), mapped_.end()};
  }
  void reject(const std::string& path, const std::string& reason) {
    handled_.insert(path);
    rejected_.push_back({path, reason});
  }

  std::vector<ImportIssue> report() const {
    std::vector<ImportIssue> out = rejected_;
    walk(root_, "", out);
    return out;
  }

 private:
  void walk(const Var& value, const std::string& path, std::vector<ImportIssue>& out) const {
    if (!path.empty() && handled_.count(path)) return;
    if (isObject(value)) {
      const auto object = value.extract<Object::Ptr>();
      if (object->size() == 0 && !path.empty()) out.push_back({path, "an empty object; nothing to import"});
      for (const auto& key : object->getNames()) walk(object->get(key), path.empty() ? key : path + "." + key, out);
      return;
    }
    if (isArray(value)) {
      const auto array = value.extract<Array::Ptr>();
      if (array->size() == 0) out.push_back({path, "an empty list; nothing to import"});
      for (std::size_t i = 0; i < array->size(); ++i) walk(array->get(static_cast<unsigned>(i)), path + "[" + std::to_string(i) + "]", out);
      return;
    }
    const std::string key = path.substr(path.find_last_of(".]") == std::string::npos ? 0 : path.find_last_of(".]") + 1);
    out.push_back({path, looksSecret(key) ? "looks like a credential; not copied, and calsync has no place for it"
                                          : "no calsync equivalent known"});
  }

  Object::Ptr root_;
  std::set<std::string> handled_;
  std::vector<std::string> mapped_;
  std::vector<ImportIssue> rejected_;
};

class Importer {
 public:
  explicit Importer(Object::Ptr root) : tree_(std::move(root)) {}

  ImportResult run(const std::string& source_label) {
    mapAgent();
    mapSchedule();
    mapSource();
    mapDestination();
    ImportResult result;
    result.secrets = secrets_;
    result.notes = notes_;
    result.unmapped = tree_.report();
    result.ini = render(source_label, result);
    return result;
  }

 private:
  std::optional<std::string> text(const std::vector<std::string>& paths) {
    auto found = tree_.take(paths);
    if (!found) return std::nullopt;
    auto value = scalarText(found->second);
    if (!value) {
      tree_.reject(found->first, "expected a string or number");
      return std::nullopt;
    }
    return value;
  }

  // A secret's key is mapped to an env:NAME placeholder; its value is never read.
  void secret(const std::vector<std::string>& paths, const std::string& section, const std::string& key,
              const std::string& variable, Entries& into, const std::string& note = "") {
    auto found = tree_.take(paths);
    if (!found) return;
    into.emplace_back(key, "env:" + variable);
    secrets_.push_back({found->first, "[" + section + "] " + key, variable});
    if (!note.empty()) notes_.push_back(found->first + ": " + note);
  }

  void mapAgent() {
    if (auto url = text({"master_url", "master.url", "master.server_url", "server_url", "master_server", "server.url", "api_url"})) {
      std::string value = *url;
      if (value.find("://") == std::string::npos) {
        value = "https://" + value;
        notes_.push_back("the master URL had no scheme; https:// was assumed");
      }
      agent_.emplace_back("master_url", value);
      has_master_ = true;
    }
    if (auto id = text({"agent_id", "agent.id", "agent.agent_id", "machine_id"})) agent_.emplace_back("id", *id);
    if (auto name = text({"agent_name", "agent.name", "machine_name", "computer_name"})) agent_.emplace_back("name", *name);
    secret({"enroll_token", "agent.enroll_token", "api_key", "apikey", "agent.api_key", "master.api_key", "token",
            "auth_token", "agent_token", "agent.token", "master.token"},
           "agent", "enroll_token", "CALSYNC_ENROLL_TOKEN", agent_,
           "calsync agents enrol once with a one-time token from `calsyncctl token create`, not the seed's key: put "
           "a new token in CALSYNC_ENROLL_TOKEN (or enroll_token_file)");
    if (auto ca = text({"ca_file", "ca_bundle", "ca_cert", "master.ca_file", "master.ca_bundle", "ssl_ca"})) {
      agent_.emplace_back("ca_file", *ca);
    }
    if (auto verify = tree_.take({"verify_ssl", "ssl_verify", "verify_tls", "master.verify_ssl", "master.verify_tls"})) {
      const auto on = boolValue(verify->second);
      if (!on || !*on) {
        tree_.reject(verify->first, "calsync always verifies the master's certificate; give a private CA with [agent] ca_file");
      }
    }
    if (auto dir = text({"data_dir", "data_directory", "state_dir"})) daemon_.emplace_back("data_dir", *dir);
    if (auto level = text({"log_level", "logging.level", "loglevel"})) {
      std::string l = lower(*level);
      if (l == "warn") l = "warning";
      if (l == "critical" || l == "fatal") l = "error";
      if (l == "notice") l = "info";
      static const std::set<std::string> levels{"trace", "debug", "info", "warning", "error"};
      if (levels.count(l)) daemon_.emplace_back("log_level", l);
      else tree_.reject("log_level", "'" + *level + "' is no log level calsync knows (trace, debug, info, warning, error)");
    }
  }

  void mapSchedule() {
    struct Duration {
      const char* key;
      std::vector<std::string> paths;
      std::int64_t unit;
    };
    const std::vector<Duration> durations = {
        {"sync_interval", {"sync_interval", "interval", "sync.interval", "sync_interval_seconds", "polling_interval"}, 1},
        {"sync_interval", {"sync_interval_minutes", "interval_minutes", "sync.interval_minutes"}, 60},
        {"window_past", {"window_past", "sync.window_past"}, 86400},
        {"window_past", {"days_back", "past_days", "days_past", "sync_days_past", "window_past_days", "lookback_days",
                         "sync_window.past_days", "sync_window.days_back", "sync.days_back", "sync.past_days"}, 86400},
        {"window_future", {"window_future", "sync.window_future"}, 86400},
        {"window_future", {"days_forward", "days_ahead", "future_days", "days_future", "sync_days_future",
                           "window_future_days", "lookahead_days", "sync_window.future_days", "sync_window.days_forward",
                           "sync.days_forward", "sync.future_days"}, 86400},
    };
    std::set<std::string> done;
    for (const auto& d : durations) {
      auto found = tree_.take(d.paths);
      if (!found) continue;
      if (done.count(d.key)) {
        tree_.reject(found->first, std::string("a second value for [agent] ") + d.key + "; the first one was used");
        continue;
      }
      const auto s = seconds(found->second, d.unit);
      if (!s) {
        tree_.reject(found->first, "expected a number or a duration like 30m");
        continue;
      }
      agent_.emplace_back(d.key, config::formatDuration(*s));
      done.insert(d.key);
    }
  }

  // The calendars to sync: names (strings), objects with a name/id and an enabled flag, or an
  // object of name -> true/false/{...}.
  void mapCalendars() {
    auto found = tree_.take({"calendars", "outlook.calendars", "calendars_to_sync", "sync_calendars", "selected_calendars",
                             "calendar_names", "outlook.selected_calendars"},
                            false);
    if (!found) return;
    const std::string base = found->first;
    std::vector<std::string> chosen;
    std::size_t listed = 0;
    auto consider = [&](const std::string& path, const std::string& name, const Var& entry) {
      ++listed;
      std::string id;
      bool enabled = true;
      if (isObject(entry)) {
        const auto object = entry.extract<Object::Ptr>();
        std::string entry_name = name;
        for (const auto& key : object->getNames()) {
          const std::string k = lower(key);
          const Var value = object->get(key);
          const std::string at = path + "." + key;
          if ((k == "name" || k == "calendar_name" || k == "display_name" || k == "title") && entry_name.empty()) {
            if (auto t = scalarText(value)) entry_name = *t, tree_.handle(at);
          } else if (k == "folder_id" || k == "record_id" || k == "id" || k == "calendar_id") {
            if (value.isNumeric() && !value.isBoolean()) id = "folder-" + value.convert<std::string>();
            else if (auto t = scalarText(value); t && t->starts_with("folder-")) id = *t;
            if (!id.empty()) tree_.handle(at);
            else tree_.reject(at, "not an Outlook for Mac folder id; the calendar is matched by its name");
          } else if (k == "enabled" || k == "sync" || k == "selected" || k == "active" || k == "include") {
            enabled = boolValue(value).value_or(true);
            tree_.handle(at);
          } else if (k == "account" || k == "email" || k == "account_email") {
            tree_.reject(at, "calsync matches calendars by id or name; `calsyncctl discover outlook-mac` shows each "
                             "calendar's account");
          }
        }
        if (entry_name.empty() && id.empty()) {
          tree_.reject(path, "a calendar entry without a name or folder id");
          return;
        }
        if (!enabled) {
          notes_.push_back(path + " (" + (entry_name.empty() ? id : entry_name) + ") is disabled in the seed config: left out");
          return;
        }
        if (id.empty()) id = entry_name;
      } else if (auto flag = boolValue(entry); flag && !name.empty() && entry.isBoolean()) {
        tree_.handle(path);
        if (!*flag) {
          notes_.push_back(path + " is disabled in the seed config: left out");
          return;
        }
        id = name;
      } else if (auto t = scalarText(entry)) {
        tree_.handle(path);
        id = *t;
      } else {
        tree_.reject(path, "expected a calendar name or an object with one");
        return;
      }
      if (id.find(',') != std::string::npos) {
        tree_.reject(path, "a name with a comma cannot be listed in calendars =; use its folder id "
                           "(calsyncctl discover outlook-mac shows it)");
        return;
      }
      chosen.push_back(id);
    };
    if (isArray(found->second)) {
      const auto array = found->second.extract<Array::Ptr>();
      for (std::size_t i = 0; i < array->size(); ++i) {
        consider(base + "[" + std::to_string(i) + "]", "", array->get(static_cast<unsigned>(i)));
      }
    } else if (isObject(found->second)) {
      const auto object = found->second.extract<Object::Ptr>();
      for (const auto& name : object->getNames()) consider(base + "." + name, name, object->get(name));
    } else if (auto names = stringList(found->second)) {
      for (const auto& name : *names) consider(base, name, Var(name));
    } else {
      tree_.reject(base, "expected a list of calendar names");
      return;
    }
    if (!chosen.empty()) {
      source_.emplace_back("calendars", joinList(chosen));
    } else if (listed > 0) {
      // An empty `calendars` means every calendar: never turn "none selected" into that.
      source_.emplace_back("enabled", "false");
      notes_.push_back("no calendar is enabled in " + base + ": [source.outlook] is written with enabled = false");
    }
  }

  void mapSource() {
    const std::size_t first_mapped = tree_.mappedCount();
    std::string refused;   // the path that says which Outlook this is, when calsync cannot read it
    if (auto kind = tree_.take({"outlook.type", "outlook.platform", "outlook.client", "outlook_type", "outlook.version", "platform"})) {
      const std::string k = lower(scalarText(kind->second).value_or(""));
      static const std::set<std::string> mac = {"mac", "macos", "darwin", "osx", "olk15", "legacy", "outlook-mac",
                                                "outlook_mac", "mac_legacy", "legacy_mac", "2016", "2019", "2021"};
      if (!mac.count(k)) {
        refused = kind->first;
        tree_.reject(kind->first,
                     (k == "windows" || k == "win32" || k == "com" || k == "pc")
                         ? "Outlook for Windows is read by the Windows build's Outlook connector, not available here; "
                           "no Outlook source was written"
                     : (k == "new" || k == "new_outlook" || k == "hx")
                         ? "New Outlook keeps no local store calsync can read; use a graph or ews source instead"
                         : "unknown Outlook client '" + k + "'; no Outlook source was written");
      }
    }
    source_.emplace_back("type", "olk15");
    if (auto root = text({"outlook.profile_root", "outlook.profile_path", "outlook.profiles_path", "outlook.data_path",
                          "profile_root", "profile_path", "outlook_profile_path", "outlook_data_path"})) {
      source_.emplace_back("profile_root", *root);
    }
    if (auto profile = text({"outlook.profile", "outlook.profile_name", "outlook_profile", "profile_name", "profile"})) {
      source_.emplace_back("profile", *profile);
    }
    for (const auto& [key, paths] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"work_domains", {"work_domains", "outlook.work_domains", "filters.work_domains", "domains"}},
             {"system_terms", {"system_terms", "exclude_terms", "excluded_terms", "outlook.system_terms", "filters.system_terms"}}}) {
      if (auto found = tree_.take(paths)) {
        if (auto items = stringList(found->second)) source_.emplace_back(key, joinList(*items));
        else tree_.reject(found->first, "expected a list of strings");
      }
    }
    for (const char* key : {"min_events", "max_events"}) {
      if (auto value = text({key, std::string("outlook.") + key, std::string("filters.") + key})) source_.emplace_back(key, *value);
    }
    mapCalendars();
    if (auto both = tree_.take({"bidirectional", "two_way", "two_way_sync", "sync.bidirectional", "write_back"})) {
      if (auto on = boolValue(both->second)) {
        source_.emplace_back("allow_event_updates", *on ? "true" : "false");
        source_.emplace_back("allow_metadata_updates", *on ? "true" : "false");
        if (*on) {
          notes_.push_back(both->first + ": the olk15 connector reads Outlook for Mac without writing, so edits "
                                         "cannot flow back to it; the allow_* keys only take effect for writable sources");
        }
      } else {
        tree_.reject(both->first, "expected true or false");
      }
    }
    if (!refused.empty()) {
      // Nothing of the source is written: say so for every key that would have gone into it.
      source_.clear();
      for (const auto& path : tree_.mappedSince(first_mapped)) {
        if (path != refused) tree_.reject(path, "not written: there is no Outlook source (see " + refused + ")");
      }
    }
  }

  void mapDestination() {
    auto found = tree_.take({"destination", "target", "destination_calendar", "sync_target"}, false);
    if (!found) return;
    const std::string base = found->first;
    if (!isObject(found->second)) {
      tree_.reject(base, "expected an object with the destination's type, url and account");
      return;
    }
    if (has_master_) {
      tree_.reject(base, "with a master URL this machine is an agent and the master writes the destination: put it "
                         "into the master's [destination] section (secrets were not copied)");
      return;
    }
    const auto object = found->second.extract<Object::Ptr>();
    std::string type;
    for (const char* key : {"type", "provider", "kind", "server_type"}) {
      if (auto t = object->has(key) ? scalarText(object->get(key)) : std::nullopt) {
        const std::string k = lower(*t);
        if (k == "caldav" || k == "sogo" || k == "nextcloud" || k == "radicale" || k == "mailcow") type = "caldav";
        else if (k == "google" || k == "gcal" || k == "google_calendar") type = "google";
        else if (k == "exchange" || k == "ews") type = "ews";
        else if (k == "graph" || k == "office365" || k == "m365" || k == "microsoft365" || k == "outlook365") type = "graph";
        if (type.empty()) tree_.reject(base + "." + key, "unknown destination type '" + *t + "'; no [destination] was written");
        else tree_.handle(base + "." + key);
        break;
      }
    }
    if (type.empty()) {
      if (!object->has("type") && !object->has("provider") && !object->has("kind") && !object->has("server_type")) {
        tree_.reject(base, "no destination type given; no [destination] was written");
      }
      return;
    }
    destination_.emplace_back("type", type);
    for (const auto& key : object->getNames()) {
      const std::string k = lower(key);
      const std::string at = base + "." + key;
      if (k == "type" || k == "provider" || k == "kind" || k == "server_type") continue;
      const auto value = scalarText(object->get(key));
      if (k == "password" || k == "pass" || k == "app_password") {
        destination_.emplace_back(type == "ews" || type == "caldav" ? "password" : "client_secret",
                                  "env:CALSYNC_DESTINATION_PASSWORD");
        secrets_.push_back({at, "[destination] password", "CALSYNC_DESTINATION_PASSWORD"});
        tree_.handle(at);
      } else if (k == "client_secret") {
        destination_.emplace_back("client_secret", "env:CALSYNC_DESTINATION_CLIENT_SECRET");
        secrets_.push_back({at, "[destination] client_secret", "CALSYNC_DESTINATION_CLIENT_SECRET"});
        tree_.handle(at);
      } else if (looksSecret(k)) {
        tree_.reject(at, "OAuth tokens are not imported; sign in with calsyncctl auth " + type + " --destination");
      } else if (!value) {
        // Left for the report.
      } else if (k == "url" || k == "server_url" || k == "caldav_url" || k == "ews_url" || k == "endpoint") {
        destination_.emplace_back("url", *value), tree_.handle(at);
      } else if (k == "username" || k == "user" || k == "email" || k == "login" || k == "account") {
        if (type == "google") {
          tree_.reject(at, "google signs in with calsyncctl auth google --destination; the account is chosen there");
        } else {
          destination_.emplace_back(type == "graph" ? "user" : "username", *value), tree_.handle(at);
        }
      } else if (k == "calendar" || k == "calendar_id" || k == "calendar_name") {
        destination_.emplace_back("calendar", *value), tree_.handle(at);
      } else if (k == "client_id" && (type == "google" || type == "graph")) {
        destination_.emplace_back("client_id", *value), tree_.handle(at);
      } else if ((k == "tenant" || k == "tenant_id") && type == "graph") {
        destination_.emplace_back("tenant", *value), tree_.handle(at);
      }
    }
  }

  std::string render(const std::string& source_label, const ImportResult& result) const {
    const bool standalone = !has_master_ && !destination_.empty();
    std::string ini = "; calsyncd configuration imported by `calsyncctl import outlook-config` from " +
                      commentText(source_label) + ".\n"
                      "; Check it with: calsyncctl test-config --config FILE\n";
    if (!result.secrets.empty()) {
      ini += "; Secrets were not copied. Set these environment variables for calsyncd (or use KEY_file = PATH):\n";
      for (const auto& s : result.secrets) ini += ";   " + s.variable + "  (" + s.setting + ", was " + commentText(s.path) + ")\n";
    }
    if (!result.unmapped.empty()) {
      ini += "; Not imported:\n";
      for (const auto& u : result.unmapped) ini += ";   " + commentText(u.path + ": " + u.reason) + "\n";
    }
    Entries daemon{{"mode", standalone ? "standalone" : "agent"}};
    daemon.insert(daemon.end(), daemon_.begin(), daemon_.end());
    ini += "\n" + iniSection("daemon", daemon);
    if (!agent_.empty()) ini += "\n" + iniSection("agent", agent_);
    if (standalone) {
      // The embedded master's API: loopback only, so plain http is acceptable.
      ini += "\n" + iniSection("master", {{"listen", "127.0.0.1:8008"}, {"allow_plain_http", "true"}});
    }
    if (!source_.empty()) ini += "\n" + iniSection("source.outlook", source_);
    if (standalone) ini += "\n" + iniSection("destination", destination_);
    return ini;
  }

  JsonTree tree_;
  Entries daemon_, agent_, source_, destination_;
  std::vector<SecretPlaceholder> secrets_;
  std::vector<std::string> notes_;
  bool has_master_ = false;
};

}  // namespace

ImportResult importOutlookConfig(const std::string& json_text, const std::string& source_label) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json_text).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("not valid JSON: " + e.displayText());
  } catch (const std::exception&) {
  }
  if (!root) throw std::invalid_argument("the file must hold one JSON object");
  return Importer(root).run(source_label);
}

}  // namespace calsync::ctl
