#pragma once

#include <cstdint>
#include <string>

namespace leadsync::daemon {

// systemd's notification protocol through libsystemd (a no-op when not run
// by systemd): READY, RELOADING, STOPPING, STATUS and the watchdog.
class Notifier final {
 public:
  Notifier();
  void Ready();
  void Reloading();
  void Stopping();
  void Status(const std::string& text);
  void Watchdog();
  // Half the WatchdogSec= interval, or 0 when the watchdog is off.
  [[nodiscard]] std::uint64_t WatchdogIntervalMicros() const { return watchdog_usec_ / 2; }

 private:
  std::uint64_t watchdog_usec_ = 0;
};

}  // namespace leadsync::daemon
