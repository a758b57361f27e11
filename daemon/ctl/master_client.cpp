#include "daemon/ctl/master_client.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "daemon/config/issue.h"
#include "daemon/config/schema.h"
#include "daemon/ctl/json_fields.h"
#include "daemon/ctl/local_config.h"
#include "net/http_client.h"
#include "net/url.h"

namespace calsync::ctl {
namespace {

constexpr const char* kTokenVariable = "CALSYNC_ADMIN_TOKEN";

std::string trimmedLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string readTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usageError("cannot read the token file '" + path + "' given with --token-file");
  std::ostringstream content;
  content << in.rdbuf();
  std::string token = trimmedLine(content.str());
  if (token.empty()) throw usageError("the token file '" + path + "' is empty");
  return token;
}

// The address to connect to for a `listen` value: a wildcard listener is reached on loopback.
std::string connectHost(const std::string& listen_host) {
  if (listen_host == "0.0.0.0" || listen_host.empty()) return "127.0.0.1";
  if (listen_host == "::") return "[::1]";
  if (listen_host.find(':') != std::string::npos) return "[" + listen_host + "]";
  return listen_host;
}

std::pair<std::string, std::string> splitHostPort(const std::string& listen) {
  if (listen.starts_with("[")) {
    const auto close = listen.find(']');
    return {listen.substr(1, close - 1), listen.substr(close + 2)};
  }
  const auto colon = listen.rfind(':');
  return {listen.substr(0, colon), listen.substr(colon + 1)};
}

// Keeps only the issues about keys this command actually reads.
std::vector<config::Issue> relevant(const std::vector<config::Issue>& issues, const std::vector<std::string>& keys) {
  std::vector<config::Issue> out;
  for (const auto& issue : issues) {
    for (const auto& key : keys) {
      if (issue.key == key || issue.key == key + "_file") out.push_back(issue);
    }
  }
  return out;
}

void checkUrl(const std::string& url) {
  const auto parts = net::parseUrl(url);
  if (!parts) throw usageError("--master must be an http:// or https:// URL, e.g. https://master.example.com:8008");
  if (parts->has_userinfo) {
    throw usageError("--master must not carry credentials (user@host): they end up in shell history and `ps`; "
                     "give the admin token with --token-file or CALSYNC_ADMIN_TOKEN");
  }
  if (!parts->query.empty()) throw usageError("--master is the master's base URL, without a query");
  if (parts->scheme == "http" && !isLoopbackHost(parts->host)) {
    throw usageError("plain http:// is used only to reach this machine (127.0.0.1, ::1, localhost): the admin token "
                     "would cross the network in clear. Use https://" + parts->host + ":" + std::to_string(parts->port) +
                     " (and --ca-file for a private CA)");
  }
}

}  // namespace

bool isLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

MasterTarget resolveTarget(const Globals& globals) {
  MasterTarget target;
  target.ca_file = globals.ca_file;
  std::string token;
  if (!globals.token_file.empty()) {
    token = readTokenFile(globals.token_file);
    target.token_source = "--token-file " + globals.token_file;
  } else if (const char* env = std::getenv(kTokenVariable); env && *env) {
    token = trimmedLine(env);
    target.token_source = kTokenVariable;
  }

  // The local config's token belongs to the local master: it is sent to another master only
  // when --config says so explicitly.
  const bool url_from_config = globals.master_url.empty();
  const bool token_from_config = token.empty() && (url_from_config || globals.config_given);
  if (url_from_config || token_from_config) {
    RawConfig raw;
    try {
      raw = readRawConfig(globals.config_path);
    } catch (const config::ConfigError& e) {
      throw configProblem("cannot use the local configuration to find the master:\n" + describeIssues(e.issues) +
                          "\nGive --config FILE, or --master URL with --token-file FILE or CALSYNC_ADMIN_TOKEN");
    }
    std::vector<config::Issue> issues;
    const RawSection empty{{globals.config_path, 0}, {}};
    const RawSection* daemon = raw.section("daemon");
    const RawSection* master = raw.section("master");
    const RawSection* agent = raw.section("agent");
    const Settings d = validateSection("daemon", daemon ? *daemon : empty, config::sectionSchema("daemon"), issues);
    const Settings m = validateSection("master", master ? *master : empty, config::sectionSchema("master"), issues);
    const Settings a = validateSection("agent", agent ? *agent : empty, config::sectionSchema("agent"), issues);
    std::vector<std::string> needed;
    if (url_from_config) needed = {"mode", "listen", "tls_cert", "master_url", "ca_file"};
    if (token_from_config) needed.push_back("admin_token");
    if (auto problems = relevant(issues, needed); !problems.empty()) {
      throw configProblem("the local configuration has errors:\n" + describeIssues(problems));
    }
    if (url_from_config) {
      if (d.at("mode") == "agent") {
        // An agent machine: its master is the one to ask.
        if (a.at("master_url").empty()) throw configProblem(globals.config_path + ": [agent] master_url is not set");
        target.url = a.at("master_url");
        if (target.ca_file.empty()) target.ca_file = a.at("ca_file");
        target.described_as = "the master of this agent (" + target.url + ", from " + globals.config_path + ")";
      } else {
        const auto [host, port] = splitHostPort(m.at("listen"));
        target.url = std::string(m.at("tls_cert").empty() ? "http" : "https") + "://" + connectHost(host) + ":" + port;
        target.described_as = "the local daemon (" + target.url + ", from " + globals.config_path + ")";
      }
    }
    if (token_from_config && !m.at("admin_token").empty()) {
      token = m.at("admin_token");
      target.token_source = "[master] admin_token in " + globals.config_path;
    }
  }
  if (!url_from_config) {
    target.url = globals.master_url;
    target.described_as = globals.master_url;
  }
  while (target.url.ends_with("/")) target.url.pop_back();
  checkUrl(target.url);
  if (token.empty()) {
    throw configProblem("no admin token: set CALSYNC_ADMIN_TOKEN, give --token-file FILE, or set [master] "
                        "admin_token (or admin_token_file) in " + globals.config_path);
  }
  target.token = token;
  return target;
}

MasterClient::MasterClient(MasterTarget target, int timeout_seconds) : target_(std::move(target)) {
  net::HttpOptions options;
  options.ca_file = target_.ca_file;
  options.verify_tls = true;
  options.connect_timeout_seconds = std::min(timeout_seconds, 15);
  options.timeout_seconds = timeout_seconds;
  options.user_agent = "calsyncctl/" CALSYNC_VERSION;
  http_ = std::make_unique<net::HttpClient>(options);
}

MasterClient::~MasterClient() = default;

ApiAnswer MasterClient::call(const std::string& method, const std::string& path, const std::string& json_body,
                             const std::vector<int>& also_accepted) {
  net::HttpRequest request;
  request.method = method;
  request.url = target_.url + path;
  request.headers = {{"Authorization", "Bearer " + target_.token}, {"Accept", "application/json"}};
  if (!json_body.empty() || method == "POST" || method == "PUT") {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = json_body;
  }
  net::HttpResponse response;
  try {
    response = http_->send(request);
  } catch (const ConnectorError& e) {
    std::string hint = "is calsyncd running there? Use --master URL for another master";
    const std::string what = e.what();
    if (what.find("certificate") != std::string::npos || what.find("SSL") != std::string::npos ||
        what.find("TLS") != std::string::npos) {
      hint = "the master's TLS certificate was not accepted; give the CA that signed it with --ca-file FILE, and "
             "use the host name the certificate names";
    }
    throw operationFailed("cannot reach " + target_.described_as + ": " + what + "\n" + hint);
  }
  ApiAnswer answer;
  answer.status = response.status;
  answer.body = response.body;
  const bool ok = (response.status >= 200 && response.status < 300) ||
                  std::find(also_accepted.begin(), also_accepted.end(), response.status) != also_accepted.end();
  if (ok) {
    answer.json = json::parseObject(response.body);
    return answer;
  }
  std::string code;
  std::string message;
  try {
    const auto error = json::object(json::parseObject(response.body), "error");
    code = json::text(error, "code");
    message = json::text(error, "message");
  } catch (const CtlError&) {
  }
  if (message.empty()) message = response.reason.empty() ? "no explanation given" : response.reason;
  std::string text = "the master answered " + std::to_string(response.status) + (code.empty() ? "" : " " + code) +
                     " to " + method + " " + path.substr(0, path.find('?')) + ": " + message;
  if (response.status == 401) {
    text += "\nThe admin token (from " + target_.token_source +
            ") was refused: use the token in the master's [master] admin_token";
  } else if (response.status == 404 && code == "not_found" && message.starts_with("no such endpoint")) {
    text += "\nThis master does not offer that endpoint yet; update calsyncd there";
  }
  throw ApiFailure(response.status, code, text);
}

std::string urlEncode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace calsync::ctl
