// Talking to a master's REST API as the admin: which master (--master, or the local daemon from
// the local config), which admin token (--token-file, CALSYNC_ADMIN_TOKEN, or the local config's
// [master] admin_token, never a plain argument: it would show in `ps`), and one request at a
// time over net::HttpClient with TLS verification always on.
#pragma once

#include <Poco/JSON/Object.h>

#include <memory>
#include <string>
#include <vector>

#include "daemon/ctl/cli.h"

namespace calsync::net {
class HttpClient;
}

namespace calsync::ctl {

struct MasterTarget {
  std::string url;            // base URL without a trailing '/'
  std::string token;          // the admin token; never printed
  std::string token_source;   // where it came from, for error messages
  std::string ca_file;
  std::string described_as;   // "the local daemon (from /etc/calsync/calsyncd.ini)" or the URL
};

// Works out the master and the token from the options, the environment and the local config.
// Throws usageError for a URL calsyncctl will not use (plain http to another machine,
// credentials in the URL) and configProblem when the local config cannot say.
MasterTarget resolveTarget(const Globals& globals);

// True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http may go to.
bool isLoopbackHost(const std::string& host);

// A non-2xx answer from the master, with its JSON error code and message.
class ApiFailure : public CtlError {
 public:
  ApiFailure(int status, std::string code, const std::string& message)
      : CtlError(kExitFailed, message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

struct ApiAnswer {
  int status = 0;
  std::string body;                 // as received, for --json
  Poco::JSON::Object::Ptr json;     // parsed body
};

class MasterClient {
 public:
  MasterClient(MasterTarget target, int timeout_seconds);
  ~MasterClient();
  MasterClient(const MasterClient&) = delete;
  MasterClient& operator=(const MasterClient&) = delete;

  // `path` starts with '/' and may carry a query. Non-2xx answers throw ApiFailure unless
  // their status is in `also_accepted`; transport failures throw operationFailed.
  ApiAnswer call(const std::string& method, const std::string& path, const std::string& json_body = "",
                 const std::vector<int>& also_accepted = {});
  ApiAnswer get(const std::string& path) { return call("GET", path); }

  const MasterTarget& target() const { return target_; }

 private:
  MasterTarget target_;
  std::unique_ptr<net::HttpClient> http_;
};

// Percent-encodes a path segment or query value.
std::string urlEncode(const std::string& text);

}  // namespace calsync::ctl
