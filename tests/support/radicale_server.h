// A real CalDAV server for tests: Debian's Radicale in a throw-away directory on a loopback
// port, started in the constructor and stopped (its data deleted) in the destructor.
#pragma once

#include <memory>
#include <string>

namespace calsync::testing {

class ChildProcess;

class RadicaleServer {
 public:
  // Throws std::runtime_error (with Radicale's log) when it does not come up within ~20 s.
  RadicaleServer();
  ~RadicaleServer();
  RadicaleServer(const RadicaleServer&) = delete;
  RadicaleServer& operator=(const RadicaleServer&) = delete;

  std::string baseUrl() const;   // "http://127.0.0.1:PORT"
  // Creates /USER/NAME/ with MKCALENDAR (authenticating as USER; Radicale runs with auth
  // type none, so any password works) and returns the collection URL with its trailing '/'.
  std::string makeCalendar(const std::string& user, const std::string& name);
  // The directory holding Radicale's collections (tests may inspect it).
  std::string storageDir() const;

 private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace calsync::testing
