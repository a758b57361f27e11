#include "tests/support/fake_http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <thread>

namespace calsync::testing {

std::string testCaFile() { return std::string(CALSYNC_TEST_SUPPORT_DIR) + "/tls/ca.pem"; }

std::string FakeRequest::header(const std::string& name) const {
  auto lower = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
  };
  for (const auto& [key, value] : headers) {
    if (lower(key) == lower(name)) return value;
  }
  return {};
}

struct FakeHttpServer::Impl {
  Handler handler;
  mutable std::mutex mutex;
  std::vector<FakeRequest> requests;
  std::condition_variable stop_signal;
  bool stopping = false;
  Poco::ThreadPool threads{2, 16};
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
  bool https = false;

  void serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
};

namespace {

class DelegatingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit DelegatingHandler(std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)> serve)
      : serve_(std::move(serve)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    serve_(request, response);
  }

 private:
  std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)> serve_;
};

class DelegatingFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit DelegatingFactory(std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)> serve)
      : serve_(std::move(serve)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new DelegatingHandler(serve_);
  }

 private:
  std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)> serve_;
};

}  // namespace

void FakeHttpServer::Impl::serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  FakeRequest recorded;
  recorded.method = request.getMethod();
  recorded.target = request.getURI();
  for (const auto& [name, value] : request) recorded.headers.emplace_back(name, value);
  Poco::StreamCopier::copyToString(request.stream(), recorded.body);
  recorded.client_port = request.clientAddress().port();
  {
    std::lock_guard lock(mutex);
    requests.push_back(recorded);
  }
  FakeResponse answer = handler(recorded);
  if (answer.hang) {
    std::unique_lock lock(mutex);
    stop_signal.wait(lock, [&] { return stopping; });
    return;
  }
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
  for (const auto& [name, value] : answer.headers) response.add(name, value);
  if (answer.chunked) {
    response.setChunkedTransferEncoding(true);
  } else if (answer.claimed_length) {
    response.setContentLength(static_cast<std::streamsize>(*answer.claimed_length));
    response.setKeepAlive(false);
  } else {
    response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
  }
  std::ostream& out = response.send();
  if (answer.trickle_interval.count() == 0) {
    out << answer.body;
    return;
  }
  for (char c : answer.body) {
    {
      std::unique_lock lock(mutex);
      if (stop_signal.wait_for(lock, answer.trickle_interval, [&] { return stopping; })) return;
    }
    out.put(c);
    out.flush();
    if (!out) return;
  }
}

FakeHttpServer::FakeHttpServer(Handler handler, Transport transport) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  impl_->https = transport == Transport::Https;
  Poco::Net::ServerSocket socket;
  if (impl_->https) {
    const std::string dir = std::string(CALSYNC_TEST_SUPPORT_DIR) + "/tls/";
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, dir + "server.key", dir + "server.pem", "", Poco::Net::Context::VERIFY_NONE);
    socket = Poco::Net::SecureServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
  } else {
    socket = Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0));
  }
  impl_->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  params->setMaxThreads(16);
  Impl* impl = impl_.get();
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(
      new DelegatingFactory([impl](auto& request, auto& response) { impl->serve(request, response); }), impl_->threads,
      socket, params);
  impl_->server->start();
}

FakeHttpServer::~FakeHttpServer() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stop_signal.notify_all();
  impl_->server->stopAll(true);
  impl_->threads.joinAll();
}

std::string FakeHttpServer::baseUrl() const {
  return std::string(impl_->https ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port);
}

int FakeHttpServer::port() const { return impl_->port; }

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

}  // namespace calsync::testing
