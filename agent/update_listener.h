// Keeps a long-poll open to the master so updates (a rename made at the master, an event
// edit) reach the sources within a second instead of at the next sync cycle.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "agent/agent_runtime.h"

namespace calsync::agent {

class UpdateListener {
 public:
  // `wait_seconds`: how long each poll may wait at the master.
  UpdateListener(AgentRuntime& runtime, int wait_seconds) : runtime_(runtime), wait_seconds_(wait_seconds) {}
  ~UpdateListener() { stop(); }
  void start();
  // Ends the poll in progress (MasterLink::stopWaiting) and joins the thread.
  void stop();

 private:
  void run();

  AgentRuntime& runtime_;
  int wait_seconds_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace calsync::agent
