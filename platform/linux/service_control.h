// How the service manager talks to calsyncd: readiness notifications and control signals.
// Each OS has its own implementation under platform/<os>/ with this same header.
#pragma once

#include <string>

namespace calsync::platform {

enum class ControlEvent { Terminate, Reload };

// Call before starting any thread, so every thread inherits the blocked control signals
// and only waitForControlEvent() receives them.
void blockControlSignals();
// Blocks until the service manager (or an admin) asks to stop or reload.
ControlEvent waitForControlEvent();
// Asks this process to reload as the service manager would (waitForControlEvent() returns
// Reload); callable from any thread.
void requestReload();

// systemd's sd_notify protocol ("READY=1", "STOPPING=1", "RELOADING=1", "WATCHDOG=1");
// does nothing when NOTIFY_SOCKET is unset.
void notifyServiceManager(const std::string& state);
// Seconds between watchdog pings the service manager expects, 0 when it expects none.
int watchdogIntervalSeconds();

}  // namespace calsync::platform
