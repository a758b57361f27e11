// What the admin API asks of the daemon that serves it: what only the daemon knows (its
// configuration, the sources it reads itself) or may do (write a conf.d drop-in, reload).
// daemon/ implements it. An API served without a daemon (unit tests of other routes) has none,
// and the routes that need one answer 503.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/credential_state.h"
#include "core/registry.h"
#include "master/destination_writer.h"

namespace calsync::master {

// A refusal the API passes on as it is: HTTP status, stable code, a message for people.
class ControlError : public std::runtime_error {
 public:
  ControlError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

// One cycle run on request (POST /sync/test/end-to-end).
struct CycleRun {
  bool local_agent = false;            // standalone: this daemon read its own sources
  std::string agent_id;
  int sources_ok = 0;
  int sources_failed = 0;
  std::size_t changes = 0;             // changes the sources yielded
  bool delivered = true;               // everything reached the master
  std::vector<std::string> errors;     // "source 'team': auth: ..."; never secrets
  bool has_destination = false;
  WriteReport destination;
};

struct DestinationChange {
  std::string file;                    // the conf.d drop-in written
  std::string before;                  // JSON images for the audit log, without secrets
  std::string after;
};

class DaemonControl {
 public:
  virtual ~DaemonControl() = default;

  // The connector section `name` of the running configuration: "destination", or NAME of a
  // [source.NAME] section (also in mode = master, where such a section only holds credentials).
  virtual std::optional<ConnectorSpec> section(const std::string& name) const = 0;
  // The destination calendar as configured; empty = the connector's first.
  virtual std::string destinationCalendar() const = 0;
  // The credentials of this daemon's own sections (destination, and sources it reads).
  virtual std::vector<CredentialState> credentials(std::int64_t now) const = 0;
  // One full cycle now, ignoring backoff: the local sources (standalone), then the destination.
  virtual CycleRun runCycleNow() = 0;
  // Makes section `from` (with its sign-in) the [destination] writing to `calendar`, through a
  // conf.d drop-in validated with the whole configuration before anything is replaced. Does not
  // reload. Throws ControlError (409 when there is no conf.d directory).
  virtual DestinationChange replaceDestination(const std::string& from, const std::string& calendar) = 0;
  // Whether requestReload() can work: false when the daemon was not started as a service.
  virtual bool canReload() const = 0;
  // Reloads the configuration as SIGHUP does, on the daemon's main thread, soon after this
  // returns (so the request that asked is answered first).
  virtual void requestReload() = 0;
};

}  // namespace calsync::master
