// The master's HTTP API in-process: a real store in a temporary directory, a MasterRuntime
// with an in-memory destination, and HttpApi on a loopback port, called over plain HTTP
// the way clients call it. Helpers feed the store as agent "agent-1" would.
#pragma once

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "core/hash.h"
#include "ical/ical_codec.h"
#include "in_memory_connector.h"
#include "master/http_api.h"
#include "master/master_runtime.h"
#include "net/http_client.h"
#include "protocol/batch.h"
#include "tests/support/temp_dir.h"

namespace calsync::master {

class ApiFixture : public ::testing::Test {
 protected:
  static constexpr const char* kAdminToken = "api-test-admin-token";

  struct Answer {
    int status = 0;
    std::string body;
    Poco::JSON::Object::Ptr json;
  };

  ApiFixture() {
    auto destination = std::make_unique<testing::InMemoryConnector>(std::vector<Calendar>{{"dest", "Consolidated", "", "", true}});
    destination_ = destination.get();
    DestinationSetup setup;
    setup.type = "memory";
    setup.connector = std::move(destination);
    runtime_ = std::make_unique<MasterRuntime>(
        storesOf(db_), std::move(setup), health_);
    HttpApiOptions options;
    options.listen = "127.0.0.1:0";
    options.mode = "master";
    options.admin_token = kAdminToken;
    options.started_at = 1;
    options.agent_requests_per_second = 10000;
    options.agent_request_burst = 10000;
    api_ = std::make_unique<HttpApi>(*runtime_, options);
    api_->start();
  }
  ~ApiFixture() override { api_->stop(); }

  Answer call(const std::string& method, const std::string& path, const std::string& body = "") {
    net::HttpOptions options;
    options.timeout_seconds = 10;
    net::HttpClient http(options);
    net::Headers headers = {{"Authorization", std::string("Bearer ") + kAdminToken}};
    if (!body.empty()) headers.push_back({"Content-Type", "application/json"});
    auto r = http.send({method, "http://127.0.0.1:" + std::to_string(api_->port()) + path, headers, body});
    Answer answer{r.status, r.body, nullptr};
    try {
      Poco::JSON::Parser parser;
      answer.json = parser.parse(r.body).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
    }
    return answer;
  }

  static std::string errorCode(const Answer& a) {
    return a.json && a.json->has("error") ? a.json->getObject("error")->getValue<std::string>("code") : "";
  }
  static std::string errorMessage(const Answer& a) {
    return a.json && a.json->has("error") ? a.json->getObject("error")->getValue<std::string>("message") : "";
  }

  protocol::BatchObject item(const CalendarObject& o) {
    return {o.native_id, o.uid, contentHash(o), ical::serialize(o), o.span_start_utc, o.span_end_utc, true};
  }
  // One heartbeat from `agent` with a batch for `source`/`calendar`.
  HeartbeatResponse send(std::vector<protocol::BatchObject> upserts, const std::string& calendar = "cal",
                         const std::string& agent = "agent-1", bool writable = true) {
    protocol::SourceBatch batch{"work", "memory", {calendar, "Calendar " + calendar, "", "", writable}, std::move(upserts),
                                {}, false, {}, ""};
    HeartbeatRequest request;
    request.agent_id = agent;
    request.agent_name = agent;
    request.epoch = "epoch-" + agent;
    request.batches.push_back({++sequence_[agent], protocol::encodeBatch(batch)});
    runtime_->store().recordCheckIn(agent, agent, nowSeconds());
    return runtime_->heartbeat(request);
  }
  static std::int64_t nowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

  // The public id the API gives a calendar of agent-1's source "work".
  std::string calendarId(const std::string& calendar = "cal") {
    auto list = call("GET", "/calendars");
    auto calendars = list.json->getArray("calendars");
    for (std::size_t i = 0; i < calendars->size(); ++i) {
      auto c = calendars->getObject(static_cast<unsigned>(i));
      if (c->getValue<std::string>("calendar_id") == calendar) return c->getValue<std::string>("id");
    }
    return "";
  }

  calsync::testing::TempDir temp_;
  store::MasterDatabase db_ = store::openSqliteMasterDatabase((temp_.path() / "master.db").string());
  HealthBoard health_;
  testing::InMemoryConnector* destination_ = nullptr;
  std::unique_ptr<MasterRuntime> runtime_;
  std::unique_ptr<HttpApi> api_;
  std::map<std::string, std::int64_t> sequence_;
};

}  // namespace calsync::master
