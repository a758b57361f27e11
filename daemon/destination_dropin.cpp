#include "daemon/destination_dropin.h"

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "master/daemon_control.h"
#include "oauth/key_file.h"
#include "oauth/json_access.h"
#include "oauth/token_store.h"

namespace calsync::daemon {
namespace {

namespace fs = std::filesystem;
using master::ControlError;

const config::SectionValues& sectionOf(const config::Config& config, const std::string& name) {
  const std::string key = name == "destination" ? name : "source." + name;
  const auto it = config.sections.find(key);
  if (it == config.sections.end()) throw ControlError(404, "no_such_section", "the configuration has no [" + key + "]");
  return it->second;
}

ConnectorSpec specOf(const config::Config& config, const std::string& name) {
  if (name == "destination" && config.destination) return config.destination->spec;
  for (const auto& source : config.sources) {
    if (source.name == name) return source.spec;
  }
  throw ControlError(404, "no_such_section", "the configuration has no [source." + name + "]");
}

// A value as the INI reader reads it back unchanged (daemon/config/ini_reader.h).
std::string iniValue(const std::string& key, const std::string& value) {
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) throw ControlError(400, "bad_value", "the value of " + key + " contains control characters");
  }
  const bool needs_quotes = value.find_first_of(";#\"") != std::string::npos ||
                            (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!needs_quotes) return value;
  if (value.find('"') != std::string::npos) {
    throw ControlError(400, "bad_value", "the value of " + key + " contains '\"' and ';' or '#', which INI cannot hold");
  }
  return "\"" + value + "\"";
}

std::string formatted(const KeySpec& spec, const std::string& value) {
  if (spec.type == KeyType::Duration && !value.empty()) return value + "s";
  return value;
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string json(const Poco::JSON::Object& object) { return calsync::json::stringify(object); }

}  // namespace

std::string destinationImage(const config::Config& config) {
  Poco::JSON::Object image;
  image.set("type", config.destination ? config.destination->spec.type : std::string());
  image.set("calendar", config.destination ? config.destination->calendar : std::string());
  if (config.destination) image.set("defined_in", config.destination->origin.file);
  return json(image);
}

DestinationPlan planDestination(const config::Config& running, const std::string& from, const std::string& calendar,
                                const std::string& note, const ConnectorRegistry& registry) {
  if (running.files_read.empty()) throw ControlError(409, "no_config_file", "this daemon was not started from a file");
  const std::string main_path = running.files_read.front();
  const fs::path conf_d = config::dropInDirectory(main_path);
  std::error_code error;
  if (!fs::is_directory(conf_d, error)) {
    throw ControlError(409, "no_conf_d",
                       "calsyncd keeps configuration changes made through the API in a drop-in directory, and " +
                           conf_d.string() + " does not exist: create it, writable by the service account (e.g. "
                           "`install -d -o calsync -m 0750 " + conf_d.string() + "`), and try again; or set "
                           "[destination] in " + main_path + " yourself and reload");
  }

  DestinationPlan plan;
  plan.path = (conf_d / kDestinationDropInName).string();
  plan.from = specOf(running, from);
  const config::SectionValues& section = sectionOf(running, from);
  const ConnectorInfo* info = registry.find(plan.from.type);
  if (!info) throw ControlError(409, "unknown_type", "connector type '" + plan.from.type + "' is not built in");
  if (!info->can_be_destination) {
    throw ControlError(409, "not_a_destination", "connector type '" + info->type + "' cannot be a destination");
  }

  std::string text = "; Written by calsyncd: " + note + "\n"
                     "; The destination uses the settings and the sign-in of [" + section.name + "]; its tokens (and\n"
                     "; client secret) are kept encrypted in the destination's data directory, not here.\n"
                     "; It replaces [destination] of the files read before it. Edit or delete it, then reload.\n"
                     "[destination]\ntype = " + info->type + "\ncalendar = " + iniValue("calendar", calendar) + "\n";
  const std::string auth = section.values.contains("auth") ? section.values.at("auth") : "";
  for (const KeySpec& spec : info->keys) {
    if (!section.origins.contains(spec.key)) continue;   // not written: its default applies there too
    const std::string& value = section.values.at(spec.key);
    if (spec.type == KeyType::Secret) {
      if (value.empty()) continue;
      if (spec.key != "client_secret" || auth == "client_credentials") {
        throw ControlError(409, "secret_not_carried",
                           "[" + section.name + "] sets the secret " + spec.key + ", which a drop-in written by calsyncd "
                           "never holds; add [destination] with " + spec.key + "_file yourself and reload");
      }
      plan.client_secret = value;
      continue;
    }
    text += spec.key + " = " + iniValue(spec.key, formatted(spec, value)) + "\n";
  }
  plan.text = std::move(text);

  try {
    plan.result = config::loadWithStagedDropIn(main_path, {plan.path, plan.text}, registry);
  } catch (const config::ConfigError& e) {
    throw ControlError(409, "invalid_configuration",
                       std::string("the configuration with this destination would not load, so nothing was changed:\n") +
                           e.what());
  }
  const auto& result = plan.result.destination;
  if (!result || result->spec.type != info->type || result->calendar != calendar) {
    const auto& origins = plan.result.sections.at("destination").origins;
    const std::string where = origins.contains("calendar") ? origins.at("calendar").file : plan.path;
    throw ControlError(409, "overridden", "a drop-in read after " + std::string(kDestinationDropInName) + " (" + where +
                                             ") sets [destination] itself; remove it there first");
  }
  return plan;
}

void applyDestination(const DestinationPlan& plan) {
  const std::string previous = readText(plan.path);
  const bool had_previous = fs::exists(plan.path);
  try {
    oauth::writePrivateFile(plan.path, plan.text);
  } catch (const ConnectorError& e) {
    throw ControlError(409, "cannot_write", std::string("cannot write the drop-in: ") + e.what());
  }
  try {
    const std::string destination_dir = plan.result.destination->spec.data_dir;
    const oauth::TokenStore target(destination_dir);
    std::optional<oauth::StoredCredentials> carried;
    if (fs::path(plan.from.data_dir) != fs::path(destination_dir)) {
      carried = oauth::TokenStore(plan.from.data_dir).load();
      if (carried) {
        carried->pending_state.clear();
        carried->pending_verifier.clear();
        carried->pending_redirect_uri.clear();
        carried->pending_expires_at = 0;
      }
    } else if (!plan.client_secret.empty()) {
      carried = target.load();
    }
    if (!plan.client_secret.empty()) {
      if (!carried) carried = oauth::StoredCredentials{};
      carried->client_secret = plan.client_secret;
    }
    if (carried) target.save(*carried);
  } catch (const ConnectorError& e) {
    try {
      std::error_code ignored;
      if (had_previous) {
        oauth::writePrivateFile(plan.path, previous);
      } else {
        fs::remove(plan.path, ignored);
      }
    } catch (const ConnectorError& restore) {
      throw ControlError(500, "drop_in_left", std::string("the sign-in could not be carried (") + e.what() +
                                                  ") and the previous drop-in could not be put back (" + restore.what() +
                                                  "): fix or delete " + plan.path + " before the next reload");
    }
    throw ControlError(409, "sign_in_not_carried",
                       std::string("the sign-in could not be carried to the destination, so nothing was changed: ") + e.what());
  }
}

}  // namespace calsync::daemon
