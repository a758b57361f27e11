// The agent <-> master heartbeat: what an idle heartbeat costs on the wire and in master CPU,
// and how long the first heartbeat of an agent with N events takes to be stored (DESIGN.md
// section 8). A real master (SQLite store, HTTP API on loopback) and a real agent link talk
// through a relay that counts every byte, HTTP headers included.
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <ctime>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "agent/https_master_link.h"
#include "core/hash.h"
#include "core/health.h"
#include "ical/ical_codec.h"
#include "ics_corpus.h"
#include "master/credentials.h"
#include "master/http_api.h"
#include "master/master_runtime.h"
#include "protocol/batch.h"
#include "protocol/heartbeat.h"
#include "store/agent_state.h"

namespace {

using namespace calsync;

// Forwards loopback connections to the master and counts the bytes each way.
class CountingRelay {
 public:
  explicit CountingRelay(std::uint16_t upstream_port)
      : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)), upstream_(upstream_port) {
    thread_ = std::thread([this] { acceptLoop(); });
  }
  ~CountingRelay() {
    stopping_ = true;
    ::shutdown(listener_.impl()->sockfd(), SHUT_RDWR);
    thread_.join();
    for (auto& t : connections_) t.join();
  }
  std::uint16_t port() const { return listener_.address().port(); }
  std::uint64_t total() const { return to_master_ + from_master_; }
  std::uint64_t toMaster() const { return to_master_; }
  std::uint64_t fromMaster() const { return from_master_; }

 private:
  void acceptLoop() {
    while (!stopping_) {
      try {
        Poco::Net::StreamSocket client = listener_.acceptConnection();
        connections_.emplace_back([this, client]() mutable { relay(client); });
      } catch (...) {
        return;
      }
    }
  }
  void relay(Poco::Net::StreamSocket client) {
    Poco::Net::StreamSocket master(Poco::Net::SocketAddress("127.0.0.1", upstream_));
    const int a = client.impl()->sockfd();
    const int b = master.impl()->sockfd();
    char buffer[65536];
    for (;;) {
      pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (::poll(fds, 2, 1000) < 0) return;
      if (stopping_) return;
      for (int i = 0; i < 2; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
        if (n <= 0) return;
        const int to = i == 0 ? b : a;
        for (ssize_t sent = 0; sent < n;) {
          const ssize_t w = ::send(to, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
          if (w <= 0) return;
          sent += w;
        }
        (i == 0 ? to_master_ : from_master_) += static_cast<std::uint64_t>(n);
      }
    }
  }

  Poco::Net::ServerSocket listener_;
  std::uint16_t upstream_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> to_master_{0};
  std::atomic<std::uint64_t> from_master_{0};
  std::thread thread_;
  std::vector<std::thread> connections_;
};

double threadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One source calendar's first batch: every object of the corpus, as an agent sends it.
protocol::SourceBatch firstBatch(std::size_t events, std::vector<protocol::DigestEntry>& digest) {
  protocol::SourceBatch batch;
  batch.source = "team";
  batch.source_type = "ics";
  batch.calendar.id = "team.ics";
  batch.calendar.name = "Team";
  const ical::ParsedCalendar parsed = ical::parse(bench::makeIcsCorpus(events));
  for (const auto& object : parsed.objects) {
    protocol::BatchObject o;
    o.native_id = object.uid;
    o.uid = object.uid;
    o.hash = contentHash(object);
    o.ical = ical::serialize(object, {true});
    o.span_start_utc = object.span_start_utc;
    o.span_end_utc = object.span_end_utc;
    digest.push_back({batch.source, batch.calendar.id, o.native_id, o.hash, true});
    batch.upserts.push_back(std::move(o));
  }
  return batch;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t events = 10000;
  int idle = 200;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--events") && i + 1 < argc) events = std::strtoul(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--idle") && i + 1 < argc) idle = std::atoi(argv[++i]);
    else {
      std::cerr << "usage: heartbeat_bench [--events N] [--idle N]\n";
      return 2;
    }
  }
  const auto dir = std::filesystem::temp_directory_path() / ("calsync-heartbeat-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  store::MasterDatabase database = store::openSqliteMasterDatabase((dir / "master.db").string());
  HealthBoard health;
  master::MasterRuntime runtime(master::storesOf(database),
                                master::DestinationSetup{}, health);
  master::HttpApiOptions api_options;
  api_options.listen = "127.0.0.1:0";
  api_options.agent_requests_per_second = 1e6;  // measure the master, not the rate limiter
  api_options.agent_request_burst = 1e6;
  master::HttpApi api(runtime, api_options);
  api.start();
  CountingRelay relay(api.port());

  const std::string token = master::newCredential("cse_");
  store::EnrollmentToken record;
  record.id = "bench";
  record.created_at = 1;
  record.expires_at = 4102444800;
  database.auth->addEnrollmentToken(record, master::credentialHash(token));
  auto agent_state = store::openSqliteAgentState((dir / "agent.db").string());
  agent::MasterEndpoint endpoint;
  endpoint.url = "http://127.0.0.1:" + std::to_string(relay.port());
  endpoint.enroll_token = token;
  agent::HttpsMasterLink link(endpoint, *agent_state, "Bench agent");

  // The first heartbeat: every event, gzip'd over HTTP, decoded and stored.
  std::vector<protocol::DigestEntry> digest_entries;
  const protocol::SourceBatch batch = firstBatch(events, digest_entries);
  HeartbeatRequest first;
  first.agent_id = "bench-agent";
  first.agent_name = "Bench agent";
  first.epoch = "e1";
  first.batches.push_back({1, protocol::encodeBatch(batch)});
  first.state_digest = protocol::stateDigest(digest_entries);
  link.heartbeat({"bench-agent", "Bench agent", "e1", {}, "", {}});  // enrols first
  const std::uint64_t before_first = relay.total();
  auto started = std::chrono::steady_clock::now();
  const HeartbeatResponse stored = link.heartbeat(first);
  const double first_seconds = secondsSince(started);
  const std::uint64_t first_bytes = relay.total() - before_first;
  if (stored.acknowledged_sequence != 1 || stored.resync) {
    std::cerr << "the first heartbeat was not acknowledged\n";
    return 1;
  }

  // The same batch stored in-process by a second agent: the master's own cost, no HTTP.
  HeartbeatRequest direct = first;
  direct.agent_id = "bench-agent-2";
  started = std::chrono::steady_clock::now();
  runtime.heartbeat(direct);
  const double ingest_seconds = secondsSince(started);

  // Idle heartbeats: nothing changed, only the state digest travels.
  HeartbeatRequest nothing{"bench-agent", "Bench agent", "e1", {}, protocol::stateDigest(digest_entries), {}};
  const std::uint64_t up_before = relay.toMaster();
  const std::uint64_t down_before = relay.fromMaster();
  started = std::chrono::steady_clock::now();
  for (int i = 0; i < idle; ++i) {
    if (link.heartbeat(nothing).resync) {
      std::cerr << "the master asked for a resync of an unchanged agent\n";
      return 1;
    }
  }
  const double idle_wall_ms = secondsSince(started) * 1e3 / idle;
  const double up = static_cast<double>(relay.toMaster() - up_before) / idle;
  const double down = static_cast<double>(relay.fromMaster() - down_before) / idle;

  // Master CPU of one idle heartbeat, measured on this thread without HTTP around it.
  std::vector<double> cpu;
  for (int i = 0; i < idle; ++i) {
    const double before = threadCpuMs();
    runtime.heartbeat(nothing);
    cpu.push_back(threadCpuMs() - before);
  }
  std::sort(cpu.begin(), cpu.end());
  double cpu_total = 0;
  for (double c : cpu) cpu_total += c;

  api.stop();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << "first heartbeat, " << batch.upserts.size() << " objects (" << events << " events): "
            << first_bytes / 1024 << " KiB on the wire, stored in " << static_cast<int>(first_seconds * 1000)
            << " ms over HTTP, " << static_cast<int>(ingest_seconds * 1000) << " ms in-process\n"
            << "idle heartbeat: " << static_cast<int>(up) << " B up + " << static_cast<int>(down)
            << " B down per heartbeat (HTTP headers included), " << idle_wall_ms << " ms round trip\n"
            << "idle heartbeat master CPU: mean " << cpu_total / static_cast<double>(cpu.size()) << " ms, p99 "
            << cpu[cpu.size() * 99 / 100] << " ms over " << cpu.size() << "\n"
            << "peak RSS " << usage.ru_maxrss / 1024 << " MiB\n";
  std::filesystem::remove_all(dir);
  return 0;
}
