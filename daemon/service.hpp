#pragma once

#include <filesystem>
#include <memory>

#include "config/config.hpp"

namespace leadsync::daemon {

// `leadsync run` exits with this when the queue file is damaged: restarting
// cannot help, so the systemd unit does not (RestartPreventExitStatus=).
inline constexpr int kExitQueueDamaged = 3;

// The running daemon: queue, dispatcher, sources, metrics endpoint, signal
// handling and systemd notifications, all on one io_context thread (the
// queue has its own). Built from a validated config; Run() returns the exit
// code once a SIGTERM/SIGINT drain has finished, or the drain that damage
// found in the queue file started (kExitQueueDamaged).
class Service final {
 public:
  explicit Service(config::Config config);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  [[nodiscard]] int Run();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadsync::daemon
