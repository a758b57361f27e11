#include "tests/support/radicale_server.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/errors.h"
#include "net/http_client.h"
#include "tests/support/child_process.h"

namespace calsync::testing {
namespace {

namespace fs = std::filesystem;

std::string makeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/calsync-radicale-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!mkdtemp(buffer.data())) throw std::runtime_error("RadicaleServer: cannot create a temp dir");
  return buffer.data();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> radicaleCommand(const std::string& config) {
  if (access("/usr/bin/radicale", X_OK) == 0) return {"/usr/bin/radicale", "--config", config};
  return {"python3", "-m", "radicale", "--config", config};
}

// True once anything answers HTTP on the port; false when `process` died or time ran out.
bool waitUntilAnswering(const std::string& base_url, ChildProcess& process, std::chrono::seconds limit) {
  net::HttpOptions options;
  options.connect_timeout_seconds = 1;
  options.timeout_seconds = 2;
  net::HttpClient client(options);
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process.running()) return false;
    try {
      net::HttpRequest request;
      request.method = "OPTIONS";
      request.url = base_url + "/";
      client.send(request);
      return true;
    } catch (const ConnectorError&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return false;
}

}  // namespace

RadicaleServer::RadicaleServer() : dir_(makeTempDir()) {
  const std::string config = dir_ + "/config";
  const std::string log = dir_ + "/radicale.log";
  try {
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = pickFreePort();
      std::ofstream(config) << "[server]\nhosts = 127.0.0.1:" << port_ << "\n"
                            << "[auth]\ntype = none\n"
                            << "[storage]\nfilesystem_folder = " << dir_ << "/collections\n"
                            << "[logging]\nlevel = warning\n";
      process_ = std::make_unique<ChildProcess>(radicaleCommand(config), log);
      if (waitUntilAnswering(baseUrl(), *process_, std::chrono::seconds(20))) return;
      // Usually the port was taken in between: try another one.
      process_->stop();
    }
    throw std::runtime_error("Radicale did not start; its log:\n" + readFile(log));
  } catch (...) {
    process_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    throw;
  }
}

RadicaleServer::~RadicaleServer() {
  process_.reset();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string RadicaleServer::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string RadicaleServer::storageDir() const { return dir_ + "/collections"; }

std::string RadicaleServer::makeCalendar(const std::string& user, const std::string& name) {
  net::HttpOptions options;
  options.username = user;
  options.password = "unused";
  options.timeout_seconds = 10;
  net::HttpClient client(options);
  net::HttpRequest request;
  request.method = "MKCALENDAR";
  request.url = baseUrl() + "/" + user + "/" + name + "/";
  request.headers = {{"Content-Type", "application/xml; charset=utf-8"}};
  request.body =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop>"
      "<D:displayname>" + name + "</D:displayname>"
      "</D:prop></D:set></C:mkcalendar>";
  auto response = client.send(request);
  if (response.status != 201) {
    throw std::runtime_error("MKCALENDAR " + request.url + " answered " + std::to_string(response.status) + ": " +
                             response.body);
  }
  return request.url;
}

}  // namespace calsync::testing
