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
  // `wait_seconds`: how long each poll may wait at the master; stop() can take that long
  // when the master is remote.
  UpdateListener(AgentRuntime& runtime, int wait_seconds) : runtime_(runtime), wait_seconds_(wait_seconds) {}
  ~UpdateListener() { stop(); }
  void start();
  // Asks the thread to finish and joins it. Wake an in-process master first (its long-poll
  // returns at once when the master shuts down).
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
