// The daemon side of the admin API's master::DaemonControl: the running configuration, the
// cycle on request, the destination drop-in and the reload, for one Service.
#pragma once

#include <functional>
#include <mutex>

#include "daemon/config/config.h"
#include "master/daemon_control.h"

namespace calsync::daemon {

class LocalDaemonControl : public master::DaemonControl {
 public:
  struct Hooks {
    std::function<master::CycleRun()> run_cycle;
    std::function<void()> request_reload;   // empty: this daemon cannot reload itself
  };
  // `config` must outlive this object (the Service owns both).
  LocalDaemonControl(const config::Config& config, Hooks hooks);

  std::optional<ConnectorSpec> section(const std::string& name) const override;
  std::string destinationCalendar() const override;
  std::vector<CredentialState> credentials(std::int64_t now) const override;
  master::CycleRun runCycleNow() override;
  master::DestinationChange replaceDestination(const std::string& from, const std::string& calendar) override;
  bool canReload() const override { return static_cast<bool>(hooks_.request_reload); }
  void requestReload() override;

 private:
  const config::Config& config_;
  Hooks hooks_;
  std::mutex change_mutex_;   // one destination change at a time
};

}  // namespace calsync::daemon
