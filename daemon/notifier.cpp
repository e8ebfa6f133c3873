#include "daemon/notifier.hpp"

#include <systemd/sd-daemon.h>

#include <chrono>

namespace leadsync::daemon {
namespace {

unsigned long long MonotonicMicros() {
  return static_cast<unsigned long long>(std::chrono::duration_cast<std::chrono::microseconds>(
                                             std::chrono::steady_clock::now().time_since_epoch())
                                             .count());
}

}  // namespace

Notifier::Notifier() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) watchdog_usec_ = usec;
}

void Notifier::Ready() { sd_notify(0, "READY=1"); }

void Notifier::Reloading() {
  // systemd 253+ wants MONOTONIC_USEC with RELOADING=1; older ones ignore it.
  const std::string message = "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(MonotonicMicros());
  sd_notify(0, message.c_str());
}

void Notifier::Stopping() { sd_notify(0, "STOPPING=1"); }

void Notifier::Status(const std::string& text) { sd_notify(0, ("STATUS=" + text).c_str()); }

void Notifier::Watchdog() { sd_notify(0, "WATCHDOG=1"); }

}  // namespace leadsync::daemon
