// Signing the master's own cloud sections in, and listing what they can see (TYPE is a
// connector type that registers sign-in hooks, core/sign_in.h: google, graph):
//   GET  /sync/config/TYPE/auth-url?source=NAME   authorization URL (redirect URI from config)
//   POST /sync/config/TYPE/exchange-code          {source, code, state}
//   POST /sync/config/TYPE/device-code            {source}: the user code to type (graph)
//   POST /sync/config/TYPE/device-code/poll       {source}: pending / slow_down / signed_in
//   POST /sync/config/TYPE/calendars              {source}: the calendars + ready INI sections
// Tokens go to the section's encrypted token store (the connectors' google_auth.h,
// graph_auth.h); nothing secret is ever part of an answer or a log line.
#include <map>
#include <memory>
#include <mutex>

#include "core/log.h"
#include "master/api/config_helpers.h"
#include "master/master_runtime.h"
#include "oauth/token_client.h"

namespace calsync::master::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// A value as it can stand in an INI file (the quoting rules of daemon/config/ini_reader.h).
std::string iniValue(const std::string& value) {
  const bool needs_quotes = value.find_first_of(";#") != std::string::npos ||
                            (!value.empty() && (value.front() == ' ' || value.back() == ' ' || value.front() == '"'));
  return needs_quotes ? "\"" + value + "\"" : value;
}

std::string iniSection(const std::string& header, const std::string& type, const Settings& settings) {
  std::string text = "[" + header + "]\ntype = " + type + "\n";
  for (const auto& [key, value] : settings) text += key + " = " + iniValue(value) + "\n";
  return text;
}

// Runs a sign-in step, turning the provider's and the flow's refusals into API errors.
template <typename Step>
auto signInStep(Step&& step) {
  try {
    return step();
  } catch (const oauth::TokenEndpointError& e) {
    if (e.kind() == ErrorKind::Auth) throw ApiError(400, "code_refused", e.what());
    throw apiErrorFor(e);
  } catch (const ConnectorError& e) {
    // Wrong or stale state, no sign-in in progress, no refresh token issued.
    if (e.kind() == ErrorKind::Auth) throw ApiError(400, "sign_in_failed", e.what());
    throw apiErrorFor(e);
  }
}

const ConnectorInfo& infoOf(const std::string& type) {
  const ConnectorInfo* info = ConnectorRegistry::instance().find(type);
  if (!info || info->type != type) throw notFound("no connector type '" + type + "'");
  return *info;
}

CredentialState credentialOf(const ConnectorInfo& info, const ConnectorSpec& spec) {
  if (info.credential_status) {
    if (auto state = info.credential_status(spec, nowSeconds())) return *state;
  }
  return CredentialState{spec.name, info.type, "ok", 0, ""};
}

void audit(Context& c, Request& r, const std::string& action, const ConnectorSpec& spec, const std::string& type,
           const CredentialState& after) {
  c.runtime.audit().append({0, 0, r.actor, action, type + ":" + sectionLabel(spec.name), "",
                            "{\"state\":\"" + after.state + "\"}"});
  log::info("api", type + " sign-in of " + sectionLabel(spec.name) + " completed (" + after.state + ")");
}

void authUrl(Context& c, Request& r, const std::string& type) {
  const ConnectorInfo& info = infoOf(type);
  if (!info.sign_in.authorization_url) throw notFound("nobody signs in to " + type + " sections");
  const ConnectorSpec spec = connectorSection(c, r.query("source"), type);
  const SignInStart start = signInStep([&] { return info.sign_in.authorization_url(spec, nowSeconds()); });
  Object body;
  body.set("source", spec.name);
  body.set("auth_url", start.url);
  body.set("state", start.state);
  body.set("redirect_uri", start.redirect_uri);
  body.set("expires_at", timeText(start.expires_at));
  r.send(200, body);
}

void exchangeCode(Context& c, Request& r, const std::string& type) {
  const ConnectorInfo& info = infoOf(type);
  if (!info.sign_in.exchange_code) throw notFound("nobody signs in to " + type + " sections");
  const auto request = r.jsonBody();
  const ConnectorSpec spec = connectorSection(c, optionalString(request, "source"), type);
  const std::string code = requiredString(request, "code");
  const std::string state = optionalString(request, "state");
  // Without a state nothing ties the code to the sign-in this master started.
  if (state.empty() && code.find("state=") == std::string::npos) {
    throw badRequest("\"state\" is required (the one auth-url answered), unless \"code\" is the whole redirect address");
  }
  signInStep([&] {
    info.sign_in.exchange_code(spec, code, state, nowSeconds());
    return true;
  });
  const CredentialState after = credentialOf(info, spec);
  audit(c, r, type + ".sign_in", spec, type, after);
  Object body;
  body.set("source", spec.name);
  body.set("credential", credentialJson(after));
  r.send(200, body);
}

void calendars(Context& c, Request& r, const std::string& type) {
  const ConnectorInfo& info = infoOf(type);
  if (!info.discover) throw notFound("no calendar discovery for " + type + " sections");
  const ConnectorSpec spec = connectorSection(c, optionalString(r.jsonBody(), "source"), type);
  DiscoveryReport report;
  try {
    report = info.discover(spec);
  } catch (const ConnectorError& e) {
    throw apiErrorFor(e);
  }
  Array list;
  for (const auto& found : report.calendars) {
    Object o;
    o.set("id", found.calendar.id);
    o.set("name", found.calendar.name);
    o.set("color", found.calendar.color);
    o.set("writable", found.calendar.writable);
    o.set("account", found.account);
    o.set("suggested", found.suggested);
    o.set("reason", found.reason);
    o.set("section_name", found.section_name);
    o.set("source_ini", iniSection("source." + found.section_name, type, found.settings));
    Settings destination = found.settings;
    destination.erase("calendars");
    destination["calendar"] = found.calendar.id;
    o.set("destination_ini", iniSection("destination", type, destination));
    list.add(o);
  }
  Array notes;
  for (const auto& note : report.notes) notes.add(note);
  Object body;
  body.set("source", spec.name);
  body.set("calendars", list);
  body.set("notes", notes);
  r.send(200, body);
}

// Device-code sign-ins in progress, by section. The device code is a secret between the
// master and Microsoft, so it stays here; the admin only ever sees the user code.
struct DeviceSignIns {
  struct Pending {
    DeviceCodeSignIn authorization;
    int interval = 5;
  };
  std::mutex mutex;
  std::map<std::string, Pending> by_section;

  std::optional<Pending> find(const std::string& section) {
    std::lock_guard lock(mutex);
    const auto it = by_section.find(section);
    return it == by_section.end() ? std::nullopt : std::optional<Pending>(it->second);
  }
  void put(const std::string& section, Pending pending) {
    std::lock_guard lock(mutex);
    by_section[section] = std::move(pending);
  }
  void erase(const std::string& section) {
    std::lock_guard lock(mutex);
    by_section.erase(section);
  }
};

const ConnectorInfo& deviceInfo(const std::string& type) {
  const ConnectorInfo& info = infoOf(type);
  if (!info.sign_in.start_device || !info.sign_in.poll_device) {
    throw notFound(type + " offers no device-code sign-in; use GET /sync/config/" + type + "/auth-url");
  }
  return info;
}

// Device sign-ins are kept per section of a type ("graph:work").
std::string deviceKey(const std::string& type, const ConnectorSpec& spec) { return type + ":" + spec.name; }

void startDeviceCode(Context& c, Request& r, const std::string& type, DeviceSignIns& pending) {
  const ConnectorInfo& info = deviceInfo(type);
  const ConnectorSpec spec = connectorSection(c, optionalString(r.jsonBody(), "source"), type);
  const DeviceCodeSignIn authorization = signInStep([&] { return info.sign_in.start_device(spec); });
  pending.put(deviceKey(type, spec), {authorization, authorization.interval_seconds});
  Object body;
  body.set("source", spec.name);
  body.set("user_code", authorization.user_code);
  body.set("verification_uri", authorization.verification_uri);
  body.set("verification_uri_complete", authorization.verification_uri_complete);
  body.set("message", authorization.message);
  body.set("expires_at", timeText(authorization.expires_at));
  body.set("interval", authorization.interval_seconds);
  r.send(200, body);
}

void pollDeviceCode(Context& c, Request& r, const std::string& type, DeviceSignIns& pending) {
  const ConnectorInfo& info = deviceInfo(type);
  const ConnectorSpec spec = connectorSection(c, optionalString(r.jsonBody(), "source"), type);
  const std::string key = deviceKey(type, spec);
  auto current = pending.find(key);
  if (!current) {
    throw ApiError(409, "no_sign_in_in_progress",
                   "no device-code sign-in is in progress for " + sectionLabel(spec.name) + "; start one with POST "
                   "/sync/config/" + type + "/device-code");
  }
  const std::int64_t now = nowSeconds();
  if (current->authorization.expires_at && now > current->authorization.expires_at) {
    pending.erase(key);
    throw ApiError(410, "device_code_expired", "the device code expired before anyone signed in; start again");
  }
  DevicePollResult result = DevicePollResult::Pending;
  try {
    result = info.sign_in.poll_device(spec, current->authorization, now);
  } catch (const oauth::TokenEndpointError& e) {
    if (e.kind() != ErrorKind::Auth) throw apiErrorFor(e);
    pending.erase(key);
    if (e.error() == "expired_token" || e.error() == "code_expired") {
      throw ApiError(410, "device_code_expired", "the device code expired before anyone signed in; start again");
    }
    if (e.error() == "authorization_declined" || e.error() == "access_denied") {
      throw ApiError(400, "sign_in_declined", "the sign-in was declined at the verification page; start again");
    }
    throw ApiError(400, "sign_in_failed", e.what());
  } catch (const ConnectorError& e) {
    if (e.kind() != ErrorKind::Auth) throw apiErrorFor(e);
    pending.erase(key);
    throw ApiError(400, "sign_in_failed", e.what());
  }
  Object body;
  body.set("source", spec.name);
  if (result == DevicePollResult::Done) {
    pending.erase(key);
    const CredentialState after = credentialOf(info, spec);
    audit(c, r, type + ".sign_in", spec, type, after);
    body.set("status", std::string("signed_in"));
    body.set("credential", credentialJson(after));
  } else {
    if (result == DevicePollResult::SlowDown) {
      current->interval += 5;   // RFC 8628 section 3.5
      pending.put(key, *current);
    }
    body.set("status", std::string(result == DevicePollResult::SlowDown ? "slow_down" : "pending"));
    body.set("interval", current->interval);
  }
  r.send(200, body);
}

}  // namespace

void addOAuthConfigRoutes(Router& router, Context& c) {
  const std::string base = "/sync/config/{type}";
  router.add({"GET", base + "/auth-url", Access::Admin, [&c](Request& r) { authUrl(c, r, r.param("type")); }});
  router.add({"POST", base + "/exchange-code", Access::Admin, [&c](Request& r) { exchangeCode(c, r, r.param("type")); }});
  router.add({"POST", base + "/calendars", Access::Admin, [&c](Request& r) { calendars(c, r, r.param("type")); }});
  auto pending = std::make_shared<DeviceSignIns>();
  router.add({"POST", base + "/device-code", Access::Admin,
              [&c, pending](Request& r) { startDeviceCode(c, r, r.param("type"), *pending); }});
  router.add({"POST", base + "/device-code/poll", Access::Admin,
              [&c, pending](Request& r) { pollDeviceCode(c, r, r.param("type"), *pending); }});
}

}  // namespace calsync::master::api
