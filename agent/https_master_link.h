// The agent's link to a remote master: the heartbeat protocol over HTTPS (docs/protocol.md),
// gzip both ways, enrolling with a one-time token the first time and authenticating with
// the per-agent secret it is given afterwards.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/master_link.h"
#include "store/agent_state.h"

namespace calsync::agent {

struct MasterEndpoint {
  std::string url;                // https://master.example.com:8008
  std::string ca_file;            // extra CA bundle to trust; empty = system store
  std::string enroll_token;       // used only while the agent has no secret
  bool allow_plain_http = false;  // http:// beyond loopback only when set
  int timeout_seconds = 60;
};

class HttpsMasterLink : public MasterLink {
 public:
  // Throws std::invalid_argument when the URL is unusable (plain http to a remote host
  // without allow_plain_http, not http/https).
  HttpsMasterLink(MasterEndpoint endpoint, store::AgentStateStore& state, std::string agent_name);
  ~HttpsMasterLink() override;

  HeartbeatResponse heartbeat(const HeartbeatRequest& request) override;
  std::vector<AgentUpdate> pendingUpdates(const std::string& agent_id, int wait_seconds) override;
  void reportUpdate(const std::string& agent_id, const UpdateOutcome& outcome) override;
  void stopWaiting() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for URLs whose host is a loopback address or "localhost".
bool isLoopbackUrl(const std::string& url);

}  // namespace calsync::agent
