#include "agent/https_master_link.h"

#include <Poco/DeflatingStream.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>

#include <sstream>
#include <stdexcept>

#include "core/errors.h"
#include "core/hash.h"
#include "core/log.h"
#include "net/http_client.h"
#include "protocol/heartbeat.h"

namespace calsync::agent {
namespace {

constexpr const char* kSecretValue = "master_secret";
constexpr const char* kSecretMasterValue = "master_secret_for";   // the master URL the secret belongs to
constexpr const char* kUsedTokenValue = "enroll_token_used";     // hash of the token that was spent

std::string gzip(const std::string& text) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
  deflater << text;
  deflater.close();
  return out.str();
}

std::string bodyOf(const net::HttpResponse& response) {
  if (response.header("Content-Encoding") != "gzip") return response.body;
  std::istringstream in(response.body);
  Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::ostringstream out;
  try {
    out << inflater.rdbuf();
  } catch (const Poco::Exception& e) {
    throw ConnectorError(ErrorKind::Protocol, "the master sent a corrupt gzip body: " + e.displayText());
  }
  return out.str();
}

// The message of the master's {"error": {"message": ...}} body, or the status line.
std::string errorMessage(const net::HttpResponse& response) {
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(bodyOf(response)).extract<Poco::JSON::Object::Ptr>();
    auto error = root ? root->getObject("error") : nullptr;
    if (error && error->has("message")) return error->getValue<std::string>("message");
  } catch (const std::exception&) {
  }
  return std::to_string(response.status) + " " + response.reason;
}

std::string trimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

bool isLoopbackUrl(const std::string& url) {
  try {
    const Poco::URI uri(url);
    const std::string& host = uri.getHost();
    if (host == "localhost") return true;
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
  } catch (const Poco::Exception&) {
    return false;
  }
}

struct HttpsMasterLink::Impl {
  Impl(MasterEndpoint e, store::AgentStateStore& s, std::string name)
      : endpoint(std::move(e)), state(s), agent_name(std::move(name)) {}
  MasterEndpoint endpoint;
  store::AgentStateStore& state;
  std::string agent_name;
  std::mutex mutex;   // enrolment happens once, whichever thread gets there first
  std::mutex waits_mutex;
  net::HttpClient* waiting = nullptr;  // the long-poll in progress, if any
  bool stop_waiting = false;

  net::HttpOptions options(int timeout) const {
    net::HttpOptions o;
    o.ca_file = endpoint.ca_file;
    o.timeout_seconds = timeout;
    o.user_agent = "calsyncd-agent/0.1";
    return o;
  }

  // The agent secret, enrolling first when there is none (or the token in the config is new).
  std::string secret(const std::string& agent_id) {
    std::lock_guard lock(mutex);
    const std::string token_hash = endpoint.enroll_token.empty() ? "" : sha256Hex(endpoint.enroll_token);
    std::string current = state.value(kSecretValue);
    const bool same_master = state.value(kSecretMasterValue) == endpoint.url;
    const bool new_token = !token_hash.empty() && state.value(kUsedTokenValue) != token_hash;
    if (!current.empty() && same_master && !new_token) return current;
    if (endpoint.enroll_token.empty()) {
      throw ConnectorError(ErrorKind::Auth, "this agent is not enrolled with " + endpoint.url +
                                                ": set [agent] enroll_token (or enroll_token_file) to a token from "
                                                "`calsyncctl token create`");
    }
    Poco::JSON::Object body;
    body.set("token", endpoint.enroll_token);
    body.set("agent_id", agent_id);
    body.set("agent_name", agent_name);
    std::ostringstream text;
    Poco::JSON::Stringifier::condense(body, text);
    net::HttpClient client(options(endpoint.timeout_seconds));
    net::HttpRequest request{"POST", endpoint.url + "/sync/agents/enroll",
                             {{"Content-Type", "application/json"}}, text.str()};
    const net::HttpResponse response = client.send(request);
    if (response.status != 201) {
      ConnectorError error = net::errorForStatus(response, "enrolment");
      throw ConnectorError(response.status == 401 ? ErrorKind::Auth : error.kind(),
                           "enrolment with " + endpoint.url + " was refused: " + errorMessage(response),
                           error.retryAfterSeconds());
    }
    std::string issued;
    try {
      Poco::JSON::Parser parser;
      issued = parser.parse(bodyOf(response)).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("agent_secret");
    } catch (const std::exception&) {
      throw ConnectorError(ErrorKind::Protocol, "the master's enrolment answer has no agent_secret");
    }
    state.setValue(kSecretValue, issued);
    state.setValue(kSecretMasterValue, endpoint.url);
    state.setValue(kUsedTokenValue, token_hash);
    log::info("agent", "enrolled with " + endpoint.url + " as '" + agent_id + "'");
    return issued;
  }

  // `long_poll` calls can be ended from another thread by stopWaiting().
  net::HttpResponse call(const std::string& agent_id, const std::string& method, const std::string& path,
                         const std::string& body, int timeout, bool long_poll = false) {
    const std::string token = secret(agent_id);
    net::HttpClient client(options(timeout));
    struct WaitRegistration {
      Impl& impl;
      bool active;
      ~WaitRegistration() {
        if (!active) return;
        std::lock_guard lock(impl.waits_mutex);
        impl.waiting = nullptr;
      }
    } registration{*this, long_poll};
    if (long_poll) {
      std::lock_guard lock(waits_mutex);
      if (stop_waiting) client.cancel();
      waiting = &client;
    }
    net::HttpRequest request;
    request.method = method;
    request.url = endpoint.url + path;
    request.headers = {{"Authorization", "Bearer " + token}, {"Accept-Encoding", "gzip"}};
    if (!body.empty()) {
      request.headers.push_back({"Content-Type", "application/json"});
      request.headers.push_back({"Content-Encoding", "gzip"});
      request.body = gzip(body);
    }
    net::HttpResponse response = client.send(request);
    if (response.status >= 200 && response.status < 300) return response;
    ConnectorError error = net::errorForStatus(response, "master");
    ErrorKind kind = error.kind();
    if (response.status == 400 || response.status == 413) kind = ErrorKind::Protocol;
    throw ConnectorError(kind, "master " + endpoint.url + " answered " + path + ": " + errorMessage(response),
                         error.retryAfterSeconds());
  }

  std::string agentPath(const std::string& agent_id) {
    std::string encoded;
    Poco::URI::encode(agent_id, "/?#%&=+", encoded);
    return "/sync/agents/" + encoded;
  }
};

HttpsMasterLink::HttpsMasterLink(MasterEndpoint endpoint, store::AgentStateStore& state, std::string agent_name)
    : impl_(std::make_unique<Impl>(std::move(endpoint), state, std::move(agent_name))) {
  impl_->endpoint.url = trimSlash(impl_->endpoint.url);
  const std::string& url = impl_->endpoint.url;
  if (url.rfind("https://", 0) != 0) {
    if (url.rfind("http://", 0) != 0) throw std::invalid_argument("master_url must be an https:// URL: " + url);
    if (!isLoopbackUrl(url) && !impl_->endpoint.allow_plain_http) {
      throw std::invalid_argument("master_url " + url +
                                  " is plain http to another machine: the agent secret would cross the network in "
                                  "clear; use https://, or set [agent] allow_plain_http = true for testing");
    }
  }
}

HttpsMasterLink::~HttpsMasterLink() = default;

HeartbeatResponse HttpsMasterLink::heartbeat(const HeartbeatRequest& request) {
  const std::string body = protocol::encodeHeartbeatRequest(request);
  const auto response = impl_->call(request.agent_id, "POST", impl_->agentPath(request.agent_id) + "/heartbeat", body,
                                    impl_->endpoint.timeout_seconds);
  try {
    return protocol::decodeHeartbeatResponse(bodyOf(response));
  } catch (const protocol::ProtocolError& e) {
    throw ConnectorError(ErrorKind::Protocol, std::string("the master's heartbeat answer: ") + e.what());
  }
}

std::vector<AgentUpdate> HttpsMasterLink::pendingUpdates(const std::string& agent_id, int wait_seconds) {
  net::HttpResponse response;
  try {
    response = impl_->call(agent_id, "GET",
                           impl_->agentPath(agent_id) + "/pending-updates?wait=" + std::to_string(wait_seconds), "",
                           wait_seconds + impl_->endpoint.timeout_seconds, /*long_poll=*/true);
  } catch (const ConnectorError&) {
    std::lock_guard lock(impl_->waits_mutex);
    if (impl_->stop_waiting) return {};
    throw;
  }
  try {
    return protocol::decodeUpdateList(bodyOf(response));
  } catch (const protocol::ProtocolError& e) {
    throw ConnectorError(ErrorKind::Protocol, std::string("the master's pending updates: ") + e.what());
  }
}

void HttpsMasterLink::stopWaiting() {
  std::lock_guard lock(impl_->waits_mutex);
  impl_->stop_waiting = true;
  if (impl_->waiting) impl_->waiting->cancel();
}

void HttpsMasterLink::reportUpdate(const std::string& agent_id, const UpdateOutcome& outcome) {
  impl_->call(agent_id, "POST",
              impl_->agentPath(agent_id) + "/updates/" + std::to_string(outcome.id) + "/processed",
              protocol::encodeOutcome(outcome), impl_->endpoint.timeout_seconds);
}

}  // namespace calsync::agent
